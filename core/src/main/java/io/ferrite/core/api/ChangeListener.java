package io.ferrite.core.api;

import java.lang.foreign.MemorySegment;

/**
 * Subscribes to changes of the keyspace. Called synchronously on the thread that made the
 * change, while the key's shard is still locked, so events of one key arrive in the order the
 * changes happened. Implementations must be quick and must not call back into the store: copy
 * what is needed and hand it to another thread (a JCTools queue) if the work is slow.
 */
@FunctionalInterface
public interface ChangeListener {
    /**
     * @param db    the logical database (0-based)
     * @param key   the key; valid only during the call. For {@link ChangeKind#FLUSH} it is empty
     *              and {@code db} is -1 when every database was flushed.
     * @param kind  what happened
     */
    void onChange(int db, MemorySegment key, ChangeKind kind);
}
