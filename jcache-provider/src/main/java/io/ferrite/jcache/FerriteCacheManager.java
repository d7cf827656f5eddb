package io.ferrite.jcache;

import io.ferrite.jcache.management.MBeans;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * The caches of one URI and class loader: in an embedded engine (shared with every other
 * manager of the same URI) or, for {@code ferrite://host:port}, on that Ferrite server.
 * Closing a manager closes its caches but keeps their entries; {@link #destroyCache} removes them.
 */
public final class FerriteCacheManager implements CacheManager {
    private final FerriteCachingProvider provider;
    private final URI uri;
    private final ClassLoader classLoader;
    private final Properties properties;
    private final CacheBackend backend;
    private final Map<String, FerriteCache<?, ?>> caches = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private volatile boolean closed;

    FerriteCacheManager(FerriteCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties) {
        this.provider = provider;
        this.uri = uri;
        this.classLoader = classLoader;
        this.properties = properties;
        this.backend = CacheBackend.open(uri, properties);
        this.executor = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("ferrite-jcache-loader-", 0).factory());
    }

    @Override
    public CachingProvider getCachingProvider() {
        return provider;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(configuration, "configuration");
        synchronized (caches) {
            if (caches.containsKey(cacheName)) {
                throw new CacheException("a cache named " + cacheName + " already exists");
            }
            CompleteConfiguration<K, V> copy = copyOf(configuration);
            CacheSettings settings = CacheSettings.of(cacheName, copy);
            FerriteCache<K, V> cache = new FerriteCache<>(this, cacheName, copy, backend, settings);
            backend.register(settings.database(), cacheName, CacheCatalog.describe(settings.prefix(), copy.getKeyType(),
                    copy.getValueType()));
            caches.put(cacheName, cache);
            if (copy.isManagementEnabled()) {
                enableManagement(cacheName, true);
            }
            if (copy.isStatisticsEnabled()) {
                enableStatistics(cacheName, true);
            }
            return cache;
        }
    }

    @SuppressWarnings("unchecked")
    private static <K, V> CompleteConfiguration<K, V> copyOf(Configuration<K, V> configuration) {
        if (configuration instanceof FerriteConfiguration<K, V> ferrite) {
            return new FerriteConfiguration<>(ferrite);
        }
        if (configuration instanceof CompleteConfiguration<K, V> complete) {
            return new MutableConfiguration<>(complete);
        }
        MutableConfiguration<K, V> copy = new MutableConfiguration<>();
        copy.setTypes(configuration.getKeyType(), configuration.getValueType());
        copy.setStoreByValue(configuration.isStoreByValue());
        return copy;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        FerriteCache<?, ?> cache = caches.get(cacheName);
        if (cache == null) {
            return null;
        }
        CompleteConfiguration<?, ?> configuration = cache.configuration();
        if (configuration.getKeyType() != keyType) {
            throw new ClassCastException("cache " + cacheName + " has keys of " + configuration.getKeyType().getName()
                    + ", not " + keyType.getName());
        }
        if (configuration.getValueType() != valueType) {
            throw new ClassCastException("cache " + cacheName + " has values of " + configuration.getValueType().getName()
                    + ", not " + valueType.getName());
        }
        return (Cache<K, V>) cache;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Cache<K, V> getCache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        return (Cache<K, V>) caches.get(cacheName);
    }

    @Override
    public Iterable<String> getCacheNames() {
        checkOpen();
        return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
    }

    @Override
    public void destroyCache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        FerriteCache<?, ?> cache;
        synchronized (caches) {
            cache = caches.remove(cacheName);
        }
        if (cache != null) {
            cache.clear();
            unregisterBeans(cacheName);
            cache.closeNow();
            backend.unregister(cache.database(), cacheName);
        }
    }

    @Override
    public void enableManagement(String cacheName, boolean enabled) {
        FerriteCache<?, ?> cache = cacheToManage(cacheName);
        if (cache != null) {
            if (cache.configuration() instanceof MutableConfiguration<?, ?> mutable) {
                mutable.setManagementEnabled(enabled);
            }
            publish(cache.configurationBean(), MBeans.Kind.CONFIGURATION, cacheName, enabled);
        }
    }

    @Override
    public void enableStatistics(String cacheName, boolean enabled) {
        FerriteCache<?, ?> cache = cacheToManage(cacheName);
        if (cache != null) {
            if (cache.configuration() instanceof MutableConfiguration<?, ?> mutable) {
                mutable.setStatisticsEnabled(enabled);
            }
            cache.statistics().enabled(enabled);
            publish(cache.statistics(), MBeans.Kind.STATISTICS, cacheName, enabled);
        }
    }

    private FerriteCache<?, ?> cacheToManage(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        return caches.get(cacheName);
    }

    private void publish(Object bean, MBeans.Kind kind, String cacheName, boolean enabled) {
        if (enabled) {
            MBeans.register(bean, kind, uri, cacheName);
        } else {
            MBeans.unregister(kind, uri, cacheName);
        }
    }

    /** A cache closes itself: it is no longer this manager's. */
    void closing(FerriteCache<?, ?> cache) {
        synchronized (caches) {
            caches.remove(cache.getName(), cache);
        }
        unregisterBeans(cache.getName());
        cache.closeNow();
    }

    private void unregisterBeans(String cacheName) {
        MBeans.unregister(MBeans.Kind.CONFIGURATION, uri, cacheName);
        MBeans.unregister(MBeans.Kind.STATISTICS, uri, cacheName);
    }

    ExecutorService executor() {
        return executor;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (FerriteCache<?, ?> cache : caches.values()) {
            unregisterBeans(cache.getName());
            cache.closeNow();
        }
        caches.clear();
        executor.shutdown();
        backend.release();
        provider.forget(this);
    }

    @Override
    public boolean isClosed() {
        return closed;
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
        throw new IllegalArgumentException("cannot unwrap the cache manager to " + clazz.getName());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the cache manager " + uri + " is closed");
        }
    }
}
