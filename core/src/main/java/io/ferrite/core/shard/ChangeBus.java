package io.ferrite.core.shard;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.ChangeListener;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Delivers change events to the store's subscribers. The listener array is copied on write,
 * so emitting (on every write) costs one volatile read and nothing when nobody listens.
 */
public final class ChangeBus {
    private volatile ChangeListener[] listeners = new ChangeListener[0];

    public synchronized void subscribe(ChangeListener listener) {
        ChangeListener[] current = listeners;
        ChangeListener[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = listener;
        listeners = next;
    }

    public synchronized void unsubscribe(ChangeListener listener) {
        listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(ChangeListener[]::new);
    }

    public void emit(int db, MemorySegment key, ChangeKind kind) {
        ChangeListener[] current = listeners;
        for (ChangeListener listener : current) {
            listener.onChange(db, key, kind);
        }
    }
}
