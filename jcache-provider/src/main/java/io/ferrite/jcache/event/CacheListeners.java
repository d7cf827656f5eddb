package io.ferrite.jcache.event;

import io.ferrite.jcache.Closing;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/**
 * The entry listeners registered on one cache, and their delivery. Synchronous listeners run
 * on the thread that changed the entry, before the cache operation returns (their exceptions
 * reach the caller as {@link CacheEntryListenerException}); asynchronous ones run on the
 * cache's one event thread, in the order the changes happened. Events of changes made by
 * other doors (RESP, the engine's expiry) are delivered on that event thread too, whatever
 * the listener asked for, since their writer is not a cache operation that could wait.
 */
public final class CacheListeners<K, V> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("ferrite.jcache");

    /** One registration: the configuration it was made with, its listener and filter. */
    private record Registration<K, V>(CacheEntryListenerConfiguration<K, V> configuration,
                                      CacheEntryListener<? super K, ? super V> listener,
                                      CacheEntryEventFilter<? super K, ? super V> filter) {
        boolean wants(CacheEntryEvent<K, V> event) {
            return takes(listener, event.getEventType()) && (filter == null || filter.evaluate(event));
        }

        @SuppressWarnings("unchecked")
        void deliver(CacheEntryEvent<K, V> event) {
            List<CacheEntryEvent<? extends K, ? extends V>> events = List.of(event);
            switch (event.getEventType()) {
                case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(events);
                case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(events);
                case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(events);
                case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(events);
            }
        }
    }

    /** Whether {@code listener} implements the listener interface of {@code type}. */
    private static boolean takes(CacheEntryListener<?, ?> listener, EventType type) {
        return switch (type) {
            case CREATED -> listener instanceof CacheEntryCreatedListener;
            case UPDATED -> listener instanceof CacheEntryUpdatedListener;
            case REMOVED -> listener instanceof CacheEntryRemovedListener;
            case EXPIRED -> listener instanceof CacheEntryExpiredListener;
        };
    }

    private final String cacheName;
    private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();
    private volatile ExecutorService asyncThread;

    public CacheListeners(String cacheName) {
        this.cacheName = cacheName;
    }

    public boolean isEmpty() {
        return registrations.isEmpty();
    }

    /** Whether some listener requires old values in its events. */
    public boolean oldValuesRequired() {
        for (Registration<K, V> r : registrations) {
            if (r.configuration.isOldValueRequired()) {
                return true;
            }
        }
        return false;
    }

    /** Whether some listener takes events of {@code type}: only then are they built. */
    public boolean wants(EventType type) {
        for (Registration<K, V> r : registrations) {
            if (takes(r.listener, type)) {
                return true;
            }
        }
        return false;
    }

    public synchronized void register(CacheEntryListenerConfiguration<K, V> configuration) {
        for (Registration<K, V> r : registrations) {
            if (r.configuration.equals(configuration)) {
                throw new IllegalArgumentException("this listener configuration is already registered on cache " + cacheName);
            }
        }
        CacheEntryListener<? super K, ? super V> listener = configuration.getCacheEntryListenerFactory().create();
        CacheEntryEventFilter<? super K, ? super V> filter = configuration.getCacheEntryEventFilterFactory() == null
                ? null : configuration.getCacheEntryEventFilterFactory().create();
        registrations.add(new Registration<>(configuration, listener, filter));
    }

    public synchronized void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
        for (Registration<K, V> r : registrations) {
            if (r.configuration.equals(configuration)) {
                registrations.remove(r);
                Closing.quietly(r.listener);
                Closing.quietly(r.filter);
                return;
            }
        }
    }

    /** Delivers events of a cache operation: synchronous listeners now, the others on the event thread. */
    public void fire(CacheEntryEvent<K, V> event) {
        CacheEntryListenerException failure = null;
        for (Registration<K, V> r : registrations) {
            if (r.configuration.isSynchronous()) {
                try {
                    if (r.wants(event)) {
                        r.deliver(withoutOldValue(event, r));
                    }
                } catch (CacheEntryListenerException e) {
                    failure = failure == null ? e : failure;
                } catch (RuntimeException e) {
                    failure = failure == null ? new CacheEntryListenerException(e) : failure;
                }
            } else {
                async().execute(() -> deliverQuietly(r, event));
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Delivers an event of another door's change, to every listener, on the event thread. */
    public void fireForeign(CacheEntryEvent<K, V> event) {
        for (Registration<K, V> r : registrations) {
            async().execute(() -> deliverQuietly(r, event));
        }
    }

    /** Runs {@code task} on the event thread, after the events queued before it. */
    public void onEventThread(Runnable task) {
        async().execute(task);
    }

    private void deliverQuietly(Registration<K, V> r, CacheEntryEvent<K, V> event) {
        if (!registrations.contains(r)) {
            return;
        }
        try {
            if (r.wants(event)) {
                r.deliver(withoutOldValue(event, r));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cache " + cacheName + ": an asynchronous entry listener failed on "
                    + event, e);
        }
    }

    private CacheEntryEvent<K, V> withoutOldValue(CacheEntryEvent<K, V> event, Registration<K, V> r) {
        if (r.configuration.isOldValueRequired() || !event.isOldValueAvailable()
                || event.getEventType() == EventType.REMOVED || event.getEventType() == EventType.EXPIRED) {
            return event;
        }
        @SuppressWarnings("unchecked")
        javax.cache.Cache<K, V> source = (javax.cache.Cache<K, V>) event.getSource();
        return new FerriteEntryEvent<>(source, event.getEventType(), event.getKey(), event.getValue(), null, false);
    }

    private ExecutorService async() {
        ExecutorService executor = asyncThread;
        if (executor == null) {
            synchronized (this) {
                executor = asyncThread;
                if (executor == null) {
                    executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                            .name("ferrite-jcache-events-" + cacheName).factory());
                    asyncThread = executor;
                }
            }
        }
        return executor;
    }

    /** Delivers what is queued, then closes every listener and filter that is {@link java.io.Closeable}. */
    @Override
    public synchronized void close() {
        ExecutorService executor = asyncThread;
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            asyncThread = null;
        }
        for (Registration<K, V> r : registrations) {
            Closing.quietly(r.listener);
            Closing.quietly(r.filter);
        }
        registrations.clear();
    }
}
