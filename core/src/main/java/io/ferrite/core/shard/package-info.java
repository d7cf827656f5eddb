/**
 * Shards: partitions of the keyspace, each with its own log and per-database indexes, and the
 * record-level operations on them.
 */
package io.ferrite.core.shard;
