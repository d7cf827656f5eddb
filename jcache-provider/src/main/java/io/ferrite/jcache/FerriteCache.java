package io.ferrite.jcache;

import io.ferrite.jcache.codec.TypedCodec;
import io.ferrite.jcache.event.CacheListeners;
import io.ferrite.jcache.management.CacheConfigurationBean;
import io.ferrite.jcache.management.CacheStatistics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * A JSR-107 cache whose entries are Redis string keys of the engine ({@code <prefix><key>}),
 * so another door reads and writes the same data with the same TTLs.
 *
 * <p>Every operation on a key runs under the key's stripe lock of this cache (operations of
 * this JVM on one key are atomic, entry processors included, and user code never runs under
 * an engine lock) and ends in a compare-and-set against the value it read, so a write another
 * door makes meanwhile is never lost: the step is redone ({@link CacheEntries}). Loaders,
 * writers, processors and synchronous listeners run on the calling thread.
 */
public final class FerriteCache<K, V> implements Cache<K, V> {
    private final FerriteCacheManager manager;
    private final String name;
    private final CompleteConfiguration<K, V> configuration;
    private final CacheBackend backend;
    private final CacheEntries<K, V> core;
    private final KeyDirectory directory;
    private final ExpiryTimes expiry;
    private final CacheLoader<K, V> loader;
    private final CacheListeners<K, V> listeners;
    private final CacheStatistics statistics = new CacheStatistics();
    private final CacheConfigurationBean configurationBean;
    private volatile boolean closed;
    /** The database its entries are in. */
    private final int database;

    FerriteCache(FerriteCacheManager manager, String name, CompleteConfiguration<K, V> configuration,
                 CacheBackend backend, CacheSettings settings) {
        this.manager = manager;
        this.name = name;
        this.database = settings.database();
        this.configuration = configuration;
        this.backend = backend;
        this.expiry = new ExpiryTimes(configuration.getExpiryPolicyFactory().create());
        this.loader = configuration.getCacheLoaderFactory() == null ? null : configuration.getCacheLoaderFactory().create();
        CacheWriter<K, V> writer = configuration.isWriteThrough() && configuration.getCacheWriterFactory() != null
                ? writerOf(configuration) : null;
        this.listeners = new CacheListeners<>(name);
        for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
            listeners.register(listener);
        }
        this.configurationBean = new CacheConfigurationBean(configuration);
        statistics.enabled(configuration.isStatisticsEnabled());
        ClassLoader classLoader = manager.getClassLoader();
        EntryStore entries = backend.entries(settings.database(), settings.prefix(), name);
        this.core = new CacheEntries<>(this, entries,
                new TypedCodec(configuration.getKeyType(), settings.serializer(), classLoader),
                new TypedCodec(configuration.getValueType(), settings.serializer(), classLoader),
                expiry, configuration.isReadThrough(), loader, writer, listeners, statistics,
                configuration.isStoreByValue() ? ValueReferences.NONE
                        : ValueReferences.byReference(configuration.getKeyType() != byte[].class));
        this.directory = backend.directory(settings.database(), settings.prefix(), name, entries, core::foreignChange);
        directory.open();
        directory.oldValuesWanted(listeners.oldValuesRequired());
    }

    /** The writer takes supertypes of the cache's types; it is only ever given K and V. */
    @SuppressWarnings("unchecked")
    private static <K, V> CacheWriter<K, V> writerOf(CompleteConfiguration<K, V> configuration) {
        return (CacheWriter<K, V>) configuration.getCacheWriterFactory().create();
    }

    // ---- reads ----

    @Override
    public V get(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        long start = System.nanoTime();
        byte[] ek = core.engineKey(key);
        V value = core.locked(ek, () -> {
            V found = core.readAndAccess(ek);
            if (found != null) {
                statistics.hits(1);
                return found;
            }
            statistics.misses(1);
            if (!configuration.isReadThrough() || loader == null) {
                return null;
            }
            V loaded = core.load(key);
            if (loaded != null) {
                core.storeLoaded(key, ek, loaded);
            }
            return loaded;
        });
        statistics.getTime(start);
        return value;
    }

    @Override
    public Map<K, V> getAll(Set<? extends K> keys) {
        checkOpen();
        requireNoNulls(keys);
        long start = System.nanoTime();
        Map<K, V> found = new LinkedHashMap<>();
        Set<K> missing = new HashSet<>();
        for (K key : keys) {
            byte[] ek = core.engineKey(key);
            V value = core.locked(ek, () -> core.readAndAccess(ek));
            if (value != null) {
                statistics.hits(1);
                found.put(key, value);
            } else {
                statistics.misses(1);
                missing.add(key);
            }
        }
        if (!missing.isEmpty() && configuration.isReadThrough() && loader != null) {
            for (Map.Entry<K, V> e : core.loadAll(missing).entrySet()) {
                if (e.getKey() != null && e.getValue() != null) {
                    byte[] ek = core.engineKey(e.getKey());
                    core.locked(ek, () -> core.storeLoaded(e.getKey(), ek, e.getValue()));
                    found.put(e.getKey(), e.getValue());
                }
            }
        }
        statistics.getTime(start);
        return found;
    }

    @Override
    public boolean containsKey(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        return core.store().exists(core.engineKey(key));
    }

    @Override
    public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener completionListener) {
        checkOpen();
        requireNoNulls(keys);
        CompletionListener done = completionListener == null ? NoCompletion.INSTANCE : completionListener;
        if (loader == null) {
            done.onCompletion();
            return;
        }
        Set<K> wanted = new HashSet<>(keys);
        manager.executor().execute(() -> {
            try {
                Set<K> toLoad = new HashSet<>();
                for (K key : wanted) {
                    if (replaceExistingValues || !core.store().exists(core.engineKey(key))) {
                        toLoad.add(key);
                    }
                }
                if (!toLoad.isEmpty()) {
                    for (Map.Entry<K, V> e : core.loadAll(toLoad).entrySet()) {
                        if (e.getKey() == null || e.getValue() == null) {
                            continue;
                        }
                        byte[] ek = core.engineKey(e.getKey());
                        core.locked(ek, () -> {
                            if (replaceExistingValues) {
                                core.put(e.getKey(), ek, e.getValue(), false);
                            } else {
                                core.storeLoaded(e.getKey(), ek, e.getValue());
                            }
                            return null;
                        });
                    }
                }
                done.onCompletion();
            } catch (Exception e) {
                done.onException(e instanceof CacheLoaderException ? e : new CacheLoaderException(e));
            }
        });
    }

    // ---- writes ----

    @Override
    public void put(K key, V value) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long start = System.nanoTime();
        byte[] ek = core.engineKey(key);
        core.locked(ek, () -> {
            core.writeThrough(key, value);
            core.put(key, ek, value, true);
            return null;
        });
        statistics.putTime(start);
    }

    @Override
    public V getAndPut(K key, V value) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long start = System.nanoTime();
        byte[] ek = core.engineKey(key);
        V old = core.locked(ek, () -> {
            core.writeThrough(key, value);
            return core.getAndPut(key, ek, value);
        });
        statistics.hits(old != null ? 1 : 0);
        statistics.misses(old != null ? 0 : 1);
        statistics.getTime(start);
        statistics.putTime(start);
        return old;
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        checkOpen();
        Objects.requireNonNull(map, "map");
        for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
            Objects.requireNonNull(e.getKey(), "a key of the map");
            Objects.requireNonNull(e.getValue(), "a value of the map");
        }
        long start = System.nanoTime();
        Map<K, V> toPut = new LinkedHashMap<>(map);
        CacheWriterException failure = null;
        if (core.hasWriter()) {
            Collection<Cache.Entry<? extends K, ? extends V>> batch = new ArrayList<>();
            for (Map.Entry<K, V> e : toPut.entrySet()) {
                batch.add(new FerriteCacheEntry<>(e.getKey(), e.getValue()));
            }
            try {
                core.writer().writeAll(batch);
            } catch (Exception e) {
                failure = e instanceof CacheWriterException cwe ? cwe : new CacheWriterException(e);
                // What the writer left in the batch was not written: the cache keeps only what was.
                for (Cache.Entry<? extends K, ? extends V> left : batch) {
                    toPut.remove(left.getKey());
                }
            }
        }
        for (Map.Entry<K, V> e : toPut.entrySet()) {
            byte[] ek = core.engineKey(e.getKey());
            core.locked(ek, () -> {
                core.put(e.getKey(), ek, e.getValue(), true);
                return null;
            });
        }
        statistics.putTime(start);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean putIfAbsent(K key, V value) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long start = System.nanoTime();
        byte[] ek = core.engineKey(key);
        boolean put = core.locked(ek, () -> {
            if (core.store().read(ek) != null) {
                statistics.hits(1);
                return false;
            }
            statistics.misses(1);
            core.writeThrough(key, value);
            return core.createIfAbsent(key, ek, value);
        });
        statistics.putTime(start);
        return put;
    }

    @Override
    public boolean remove(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        long start = System.nanoTime();
        byte[] ek = core.engineKey(key);
        boolean removed = core.locked(ek, () -> {
            core.deleteThrough(key);
            return core.remove(key, ek, null) != null;
        });
        statistics.removeTime(start);
        return removed;
    }

    @Override
    public boolean remove(K key, V oldValue) {
        checkOpen(); // before the argument checks: a closed cache says so first
        Objects.requireNonNull(oldValue, "oldValue");
        long start = System.nanoTime();
        boolean removed = ifPresent(key, oldValue, (ek, current) -> {
            core.deleteThrough(key);
            return core.remove(key, ek, current) != null;
        }, false);
        statistics.removeTime(start);
        return removed;
    }

    @Override
    public V getAndRemove(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        long start = System.nanoTime();
        byte[] ek = core.engineKey(key);
        V old = core.locked(ek, () -> {
            core.deleteThrough(key);
            return core.remove(key, ek, null);
        });
        statistics.hits(old != null ? 1 : 0);
        statistics.misses(old != null ? 0 : 1);
        statistics.getTime(start);
        statistics.removeTime(start);
        return old;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        checkOpen(); // before the argument checks: a closed cache says so first
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        long start = System.nanoTime();
        boolean replaced = ifPresent(key, oldValue, (ek, current) -> {
            core.writeThrough(key, newValue);
            return core.replace(key, ek, current, newValue);
        }, false);
        statistics.putTime(start);
        return replaced;
    }

    @Override
    public boolean replace(K key, V value) {
        checkOpen(); // before the argument checks: a closed cache says so first
        Objects.requireNonNull(value, "value");
        long start = System.nanoTime();
        boolean replaced = ifPresent(key, null, (ek, current) -> {
            core.writeThrough(key, value);
            return core.replace(key, ek, null, value);
        }, false);
        statistics.putTime(start);
        return replaced;
    }

    @Override
    public V getAndReplace(K key, V value) {
        checkOpen(); // before the argument checks: a closed cache says so first
        Objects.requireNonNull(value, "value");
        long start = System.nanoTime();
        V old = ifPresent(key, null, (ek, current) -> {
            V previous = core.decodeValue(ek, current);
            core.writeThrough(key, value);
            return core.replace(key, ek, null, value) ? previous : null;
        }, null);
        statistics.getTime(start);
        statistics.putTime(start);
        return old;
    }

    /**
     * The shape of the conditional operations: under the key's lock, a miss when the entry is
     * absent, a hit when present; then, if it holds {@code expected} (any value when null),
     * {@code action} with the engine key and the current bytes, else an access.
     */
    private <R> R ifPresent(K key, V expected, BiFunction<byte[], byte[], R> action, R otherwise) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        byte[] ek = core.engineKey(key);
        byte[] wanted = expected == null ? null : core.encodeValue(expected);
        return core.locked(ek, () -> {
            byte[] current = core.store().read(ek);
            if (current == null) {
                statistics.misses(1);
                return otherwise;
            }
            statistics.hits(1);
            if (wanted != null && !core.holds(ek, current, expected, wanted)) {
                core.accessed(ek, current);
                return otherwise;
            }
            return action.apply(ek, current);
        });
    }

    @Override
    public void removeAll(Set<? extends K> keys) {
        checkOpen();
        requireNoNulls(keys);
        removeKeys(new LinkedHashSet<K>(keys));
    }

    @Override
    public void removeAll() {
        checkOpen();
        Set<K> keys = new LinkedHashSet<>();
        for (KeyDirectory.Key k : directory.snapshot()) {
            K key = core.decodeKey(core.store().cacheKey(k.bytes()));
            if (key != null) {
                keys.add(key);
            }
        }
        removeKeys(keys);
    }

    private void removeKeys(Set<K> keys) {
        if (keys.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        CacheWriterException failure = null;
        Set<K> toRemove = keys;
        if (core.hasWriter()) {
            Collection<Object> batch = new ArrayList<>(keys);
            try {
                core.writer().deleteAll(batch);
            } catch (Exception e) {
                failure = e instanceof CacheWriterException cwe ? cwe : new CacheWriterException(e);
                toRemove = new LinkedHashSet<>(keys);
                toRemove.removeAll(batch); // what the writer left was not deleted from the store behind
            }
        }
        for (K key : toRemove) {
            byte[] ek = core.engineKey(key);
            core.locked(ek, () -> core.remove(key, ek, null));
        }
        statistics.removeTime(start);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void clear() {
        checkOpen();
        for (KeyDirectory.Key k : directory.snapshot()) {
            byte[] ek = k.bytes();
            core.locked(ek, () -> {
                core.clear(ek);
                return null;
            });
        }
    }

    // ---- entry processors ----

    @Override
    public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(processor, "entryProcessor");
        byte[] ek = core.engineKey(key);
        return core.locked(ek, () -> core.invoke(key, ek, processor, arguments));
    }

    @Override
    public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> processor,
                                                         Object... arguments) {
        checkOpen();
        requireNoNulls(keys);
        Objects.requireNonNull(processor, "entryProcessor");
        Map<K, EntryProcessorResult<T>> results = new HashMap<>();
        for (K key : keys) {
            try {
                T result = invoke(key, processor, arguments);
                if (result != null) {
                    results.put(key, () -> result);
                }
            } catch (EntryProcessorException e) {
                results.put(key, () -> {
                    throw e;
                });
            }
        }
        return results;
    }

    // ---- the rest of the API ----

    @Override
    public Iterator<Cache.Entry<K, V>> iterator() {
        checkOpen();
        return new EntryIterator<>(this, core, directory.snapshot());
    }

    @Override
    public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        checkOpen();
        Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
        listeners.register(listenerConfiguration);
        directory.oldValuesWanted(listeners.oldValuesRequired());
        if (configuration instanceof MutableConfiguration<K, V> mutable) {
            mutable.addCacheEntryListenerConfiguration(listenerConfiguration);
        }
    }

    @Override
    public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        checkOpen();
        Objects.requireNonNull(listenerConfiguration, "cacheEntryListenerConfiguration");
        listeners.deregister(listenerConfiguration);
        directory.oldValuesWanted(listeners.oldValuesRequired());
        if (configuration instanceof MutableConfiguration<K, V> mutable) {
            mutable.removeCacheEntryListenerConfiguration(listenerConfiguration);
        }
    }

    /** The engine database of its entries (and of its {@link CacheCatalog} registration). */
    int database() {
        return database;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public CacheManager getCacheManager() {
        return manager;
    }

    @Override
    public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
        if (clazz.isInstance(configuration)) {
            return clazz.cast(configuration);
        }
        throw new IllegalArgumentException("the configuration of cache " + name + " is not a " + clazz.getName());
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isAssignableFrom(getClass())) {
            return clazz.cast(this);
        }
        T own = backend.unwrap(clazz);
        if (own != null) {
            return own;
        }
        throw new IllegalArgumentException("cannot unwrap cache " + name + " to " + clazz.getName());
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        manager.closing(this);
    }

    /**
     * Closes without telling the manager (it is the one asking). Entries stay in the engine,
     * except those of keys with no byte form (store-by-reference), which nobody could reach again.
     */
    void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            core.removeReferenceKeyedEntries();
        } catch (RuntimeException e) {
            System.getLogger("ferrite.jcache").log(System.Logger.Level.WARNING,
                    "cache " + name + ": cannot remove the entries of keys with no byte form", e);
        }
        directory.close();
        listeners.close();
        Closing.quietly(loader);
        Closing.quietly(core.writer());
        Closing.quietly(expiry.policy());
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cache " + name + " is closed");
        }
    }

    CacheStatistics statistics() {
        return statistics;
    }

    CacheConfigurationBean configurationBean() {
        return configurationBean;
    }

    CompleteConfiguration<K, V> configuration() {
        return configuration;
    }

    private static void requireNoNulls(Set<?> keys) {
        Objects.requireNonNull(keys, "keys");
        for (Object key : keys) {
            Objects.requireNonNull(key, "a key of the set");
        }
    }

    /** A completion listener for callers that pass none. */
    private enum NoCompletion implements CompletionListener {
        INSTANCE;

        @Override
        public void onCompletion() {
        }

        @Override
        public void onException(Exception e) {
        }
    }
}
