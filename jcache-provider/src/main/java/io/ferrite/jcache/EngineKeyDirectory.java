package io.ferrite.jcache;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.ChangeEvent;
import io.ferrite.core.api.ChangeEventListener;
import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.ChangeListener;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of one cache in an embedded engine (those of its database that start with its
 * prefix), kept in step with the engine through its change events, so iteration,
 * {@code clear()} and {@code removeAll()} visit the cache's entries without scanning the whole
 * keyspace. Filled by one scan when the cache is opened on an engine that already holds data;
 * from then on every door's writes maintain it, since the engine reports them all.
 *
 * <p>The listener runs on the writing thread under the key's shard lock: it only copies the
 * key into a concurrent set and, for writes that did not come from this JVM's caches, hands
 * it to {@link ForeignChanges} to be turned into listener events on another thread. While a
 * listener of the cache requires old values it takes whole events with values instead
 * ({@link FerriteStore#switchValues}, one step, so no event is missed or seen twice) and hands
 * over a copy of the value the key held before; otherwise no write anywhere copies a value for it.
 */
final class EngineKeyDirectory implements KeyDirectory, ChangeListener, ChangeEventListener {
    /**
     * Looks a changed key up in the set without copying it (the engine's key memory is valid
     * only during the event): equal to the {@link Key} of the same bytes, with the same hash.
     * One per thread, reused.
     */
    private static final class Probe {
        private MemorySegment segment;
        private int hash;

        Probe of(MemorySegment key) {
            segment = key;
            int h = 1;
            for (long i = 0, n = key.byteSize(); i < n; i++) {
                h = 31 * h + key.get(ValueLayout.JAVA_BYTE, i);
            }
            hash = h;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.bytes().length == segment.byteSize()
                    && MemorySegment.mismatch(segment, 0, k.bytes().length, MemorySegment.ofArray(k.bytes()), 0, k.bytes().length) < 0;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final ThreadLocal<Probe> PROBE = ThreadLocal.withInitial(Probe::new);

    private final FerriteStore store;
    private final int db;
    private final byte[] prefix;
    private final Set<Key> keys = ConcurrentHashMap.newKeySet();
    private final ForeignChanges foreign;
    private boolean withValues;

    EngineKeyDirectory(FerriteStore store, int db, byte[] prefix, ForeignChanges foreign) {
        this.store = store;
        this.db = db;
        this.prefix = prefix;
        this.foreign = foreign;
    }

    /** Subscribes, then scans once for the keys already there. */
    @Override
    public void open() {
        store.subscribe((ChangeListener) this);
        long cursor = 0;
        do {
            cursor = store.keys().scan(db, cursor, 1000, null, (key, type) -> {
                if (hasPrefix(key)) {
                    keys.add(new Key(key.toArray(ValueLayout.JAVA_BYTE)));
                }
            });
        } while (cursor != 0);
    }

    @Override
    public synchronized void oldValuesWanted(boolean wanted) {
        if (wanted != withValues) {
            withValues = wanted;
            store.switchValues(this, wanted);
        }
    }

    @Override
    public synchronized void close() {
        store.unsubscribe((ChangeListener) this);
        store.unsubscribe((ChangeEventListener) this);
        keys.clear();
    }

    @Override
    public Key[] snapshot() {
        return keys.toArray(Key[]::new);
    }

    private boolean hasPrefix(MemorySegment key) {
        long n = prefix.length;
        if (key.byteSize() < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (key.get(ValueLayout.JAVA_BYTE, i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void onChange(ChangeEvent event) {
        changed(event.db(), event.key(), event.kind(), event.oldValue());
    }

    @Override
    public void onChange(int changedDb, MemorySegment key, ChangeKind kind) {
        changed(changedDb, key, kind, null);
    }

    private void changed(int changedDb, MemorySegment key, ChangeKind kind, MemorySegment oldValue) {
        if (kind == ChangeKind.FLUSH) {
            if (changedDb == -1 || changedDb == db) {
                keys.clear();
            }
            return;
        }
        if (kind == ChangeKind.NEW || changedDb != db || !hasPrefix(key)) {
            return;
        }
        // Events of one key arrive under its shard lock, one at a time: contains-then-add is safe.
        Probe probe = PROBE.get().of(key);
        boolean existed;
        switch (kind) {
            case DEL, EXPIRED, EVICTED, RENAME_FROM, MOVE_FROM -> existed = keys.remove(probe);
            case EXPIRE, PERSIST -> existed = keys.contains(probe);
            default -> {
                existed = keys.contains(probe);
                if (!existed) {
                    keys.add(new Key(key.toArray(ValueLayout.JAVA_BYTE)));
                }
            }
        }
        probe.segment = null;
        if (!OwnWrites.active()) {
            foreign.changed(new Key(key.toArray(ValueLayout.JAVA_BYTE)), kind, existed,
                    oldValue == null ? null : oldValue.toArray(ValueLayout.JAVA_BYTE));
        }
    }
}
