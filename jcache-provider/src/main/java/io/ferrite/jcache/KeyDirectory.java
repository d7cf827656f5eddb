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
        /** {@code oldValue}: the bytes the key held before, when known (see {@link #oldValuesWanted}), else null. */
        void changed(Key key, ChangeKind kind, boolean existedBefore, byte[] oldValue);
    }

    /** Starts following the cache's keys. */
    void open();

    /**
     * Whether changes should come with the value the key held before (some listener of the
     * cache requires old values). Only an embedded engine has them to give; a server's
     * notifications carry no values, so a remote directory ignores this.
     */
    default void oldValuesWanted(boolean wanted) {}

    void close();

    /** The cache's keys now (a copy, for operations that change the cache while they walk it). */
    Key[] snapshot();
}
