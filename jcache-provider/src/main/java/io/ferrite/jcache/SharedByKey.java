package io.ferrite.jcache;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the cache managers of one JVM share, one per key (an embedded engine per URI, a
 * server connection per address), opened by the first manager that needs it and closed when
 * the last of them releases it.
 */
final class SharedByKey<K, T> {
    private static final class Shared<T> {
        final T value;
        int users;

        Shared(T value) {
            this.value = value;
        }
    }

    private final Map<K, Shared<T>> shared = new HashMap<>();
    private final Predicate<T> stale;
    private final Consumer<T> close;

    /**
     * @param stale true for a value that closed by other means (opened again on the next acquire)
     */
    SharedByKey(Predicate<T> stale, Consumer<T> close) {
        this.stale = stale;
        this.close = close;
    }

    /** The value of {@code key}, opened by {@code open} when there is none yet. */
    synchronized T acquire(K key, Supplier<T> open) {
        Shared<T> entry = shared.get(key);
        if (entry == null || stale.test(entry.value)) {
            entry = new Shared<>(open.get());
            shared.put(key, entry);
        }
        entry.users++;
        return entry.value;
    }

    synchronized void release(K key, T value) {
        Shared<T> entry = shared.get(key);
        if (entry == null || entry.value != value) {
            return;
        }
        if (--entry.users == 0) {
            shared.remove(key);
            close.accept(value);
        }
    }
}
