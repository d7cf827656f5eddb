package io.ferrite.core.shard;

import io.ferrite.core.api.ChangeEvent;
import io.ferrite.core.api.ChangeEventListener;
import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.ChangeListener;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Delivers change events to the store's subscribers. The listener arrays are copied on write,
 * so emitting (on every write) costs a few volatile reads and nothing when nobody listens; a
 * {@link ChangeEvent} is built only when a {@link ChangeEventListener} is subscribed, and the
 * values are copied out of the log only when one of them asked for values.
 */
public final class ChangeBus {
    private record Detailed(ChangeEventListener listener, boolean withValues) {}

    private volatile ChangeListener[] listeners = new ChangeListener[0];
    private volatile Detailed[] detailed = new Detailed[0];
    private volatile boolean wantsValues;

    public synchronized void subscribe(ChangeListener listener) {
        ChangeListener[] current = listeners;
        ChangeListener[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = listener;
        listeners = next;
    }

    public synchronized void unsubscribe(ChangeListener listener) {
        listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(ChangeListener[]::new);
    }

    /** Subscribes a listener of whole events; {@code withValues}: it gets the string values too. */
    public synchronized void subscribe(ChangeEventListener listener, boolean withValues) {
        Detailed[] next = Arrays.copyOf(detailed, detailed.length + 1);
        next[detailed.length] = new Detailed(listener, withValues);
        detailed = next;
        wantsValues = Arrays.stream(next).anyMatch(Detailed::withValues);
    }

    public synchronized void unsubscribe(ChangeEventListener listener) {
        detailed = Arrays.stream(detailed).filter(d -> d.listener() != listener).toArray(Detailed[]::new);
        wantsValues = Arrays.stream(detailed).anyMatch(Detailed::withValues);
    }

    /** True when some subscriber wants values: only then does a write find them for {@link #emit}. */
    public boolean wantsValues() {
        return wantsValues;
    }

    /** An event of no single shard (FLUSHDB, FLUSHALL). */
    public void emit(int db, MemorySegment key, ChangeKind kind) {
        emit(-1, 0, db, key, kind, null, null);
    }

    /** An event of shard {@code shard}, its {@code sequence}-th; the values may be null. */
    public void emit(int shard, long sequence, int db, MemorySegment key, ChangeKind kind,
                     MemorySegment oldValue, MemorySegment newValue) {
        for (ChangeListener listener : listeners) {
            listener.onChange(db, key, kind);
        }
        Detailed[] current = detailed;
        if (current.length == 0) {
            return;
        }
        ChangeEvent withValues = new ChangeEvent(db, key, kind, shard, sequence, oldValue, newValue);
        ChangeEvent without = oldValue == null && newValue == null ? withValues
                : new ChangeEvent(db, key, kind, shard, sequence, null, null);
        for (Detailed d : current) {
            d.listener().onChange(d.withValues() ? withValues : without);
        }
    }
}
