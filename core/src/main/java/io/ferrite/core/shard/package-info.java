/**
 * Shards: partitions of the keyspace, each with its own log and per-database indexes, the
 * record-level operations on them, their compaction and their bucket walks (SCAN, expiry), and
 * the read-only view of a shard a checkpoint froze ({@code FrozenShard}).
 */
package io.ferrite.core.shard;
