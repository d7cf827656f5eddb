package io.ferrite.core.shard;

import io.ferrite.core.api.ChangeEvent;
import io.ferrite.core.api.ChangeEventListener;
import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.ChangeListener;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Delivers change events to the store's subscribers. The subscribers are one immutable
 * snapshot, replaced on every change of them, so emitting (on every write) costs one volatile
 * read and nothing when nobody listens, and a subscriber that changes form
 * ({@link #switchValues}) gets every event exactly once; a {@link ChangeEvent} is built only when
 * a {@link ChangeEventListener} is subscribed, and the values are copied out of the log only
 * when one of them asked for values.
 */
public final class ChangeBus {
    private record Detailed(ChangeEventListener listener, boolean withValues) {}

    private record Subscribers(ChangeListener[] plain, Detailed[] detailed, boolean wantsValues) {
        Subscribers withPlain(ChangeListener[] next) {
            return new Subscribers(next, detailed, wantsValues);
        }

        Subscribers withDetailed(Detailed[] next) {
            return new Subscribers(plain, next, Arrays.stream(next).anyMatch(Detailed::withValues));
        }
    }

    private volatile Subscribers subscribers = new Subscribers(new ChangeListener[0], new Detailed[0], false);

    public synchronized void subscribe(ChangeListener listener) {
        subscribers = subscribers.withPlain(plusPlain(subscribers.plain(), listener));
    }

    public synchronized void unsubscribe(ChangeListener listener) {
        subscribers = subscribers.withPlain(minusPlain(subscribers.plain(), listener));
    }

    /** Subscribes a listener of whole events; {@code withValues}: it gets the string values too. */
    public synchronized void subscribe(ChangeEventListener listener, boolean withValues) {
        subscribers = subscribers.withDetailed(plusDetailed(subscribers.detailed(), new Detailed(listener, withValues)));
    }

    public synchronized void unsubscribe(ChangeEventListener listener) {
        subscribers = subscribers.withDetailed(minusDetailed(subscribers.detailed(), listener));
    }

    /**
     * Moves a subscriber of either form to the other in one step: with {@code withValues} it
     * gets whole events with values from the next event on, otherwise plain events again.
     */
    public synchronized <L extends ChangeListener & ChangeEventListener> void switchValues(L listener, boolean withValues) {
        Subscribers current = subscribers;
        ChangeListener[] plain = minusPlain(current.plain(), listener);
        Detailed[] detailed = minusDetailed(current.detailed(), listener);
        if (withValues) {
            detailed = plusDetailed(detailed, new Detailed(listener, true));
        } else {
            plain = plusPlain(plain, listener);
        }
        subscribers = current.withPlain(plain).withDetailed(detailed);
    }

    private static ChangeListener[] plusPlain(ChangeListener[] current, ChangeListener listener) {
        ChangeListener[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = listener;
        return next;
    }

    private static ChangeListener[] minusPlain(ChangeListener[] current, Object listener) {
        return Arrays.stream(current).filter(l -> l != listener).toArray(ChangeListener[]::new);
    }

    private static Detailed[] plusDetailed(Detailed[] current, Detailed added) {
        Detailed[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = added;
        return next;
    }

    private static Detailed[] minusDetailed(Detailed[] current, Object listener) {
        return Arrays.stream(current).filter(d -> d.listener() != listener).toArray(Detailed[]::new);
    }

    /** True when some subscriber wants values: only then does a write find them for {@link #emit}. */
    public boolean wantsValues() {
        return subscribers.wantsValues();
    }

    /** An event of no single shard (FLUSHDB, FLUSHALL). */
    public void emit(int db, MemorySegment key, ChangeKind kind) {
        emit(-1, 0, db, key, kind, null, null);
    }

    /** An event of shard {@code shard}, its {@code sequence}-th; the values may be null. */
    public void emit(int shard, long sequence, int db, MemorySegment key, ChangeKind kind,
                     MemorySegment oldValue, MemorySegment newValue) {
        Subscribers current = subscribers;
        for (ChangeListener listener : current.plain()) {
            listener.onChange(db, key, kind);
        }
        Detailed[] detailed = current.detailed();
        if (detailed.length == 0) {
            return;
        }
        ChangeEvent withValues = new ChangeEvent(db, key, kind, shard, sequence, oldValue, newValue);
        ChangeEvent without = oldValue == null && newValue == null ? withValues
                : new ChangeEvent(db, key, kind, shard, sequence, null, null);
        for (Detailed d : detailed) {
            d.listener().onChange(d.withValues() ? withValues : without);
        }
    }
}
