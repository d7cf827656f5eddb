package io.ferrite.jcache;

import io.ferrite.core.api.ChangeKind;
import java.util.Arrays;

/**
 * Finds the keys of one cache, for iteration, {@code clear()} and {@code removeAll()}: kept
 * by change events in an embedded engine ({@link EngineKeyDirectory}), by keyspace
 * notifications on a server ({@link RemoteKeyDirectory}).
 */
interface KeyDirectory {
    /** A key's bytes with value equality. */
    record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** Receives changes made by other doors (RESP, the engine's expiry) to a cache's keys. */
    interface ForeignChanges {
        void changed(Key key, ChangeKind kind, boolean existedBefore);
    }

    /** Starts following the cache's keys. */
    void open();

    void close();

    /** The cache's keys now (a copy, for operations that change the cache while they walk it). */
    Key[] snapshot();
}
