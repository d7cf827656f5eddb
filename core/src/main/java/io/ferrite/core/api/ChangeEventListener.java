package io.ferrite.core.api;

/**
 * Subscribes to the keyspace's changes with their shard sequence number and, when asked, the
 * string values before and after. The same contract as {@link ChangeListener}: called
 * synchronously on the thread that made the change, under the key's shard lock, so the events
 * of one shard arrive in sequence order; it must be quick and must not call back into the store
 * (hand slow work to another thread, with copies of what it needs).
 */
@FunctionalInterface
public interface ChangeEventListener {
    void onChange(ChangeEvent event);
}
