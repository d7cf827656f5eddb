/**
 * Pub/Sub: the channel and pattern registry, the per-connection subscriptions, the encoding
 * of pushed messages, and the keyspace notifications that turn the engine's change events
 * into messages on {@code __keyspace@db__:key} and {@code __keyevent@db__:event}.
 */
package io.ferrite.server.pubsub;
