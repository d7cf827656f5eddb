package io.ferrite.jcache;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * Ferrite's JSR-107 provider, found through {@code META-INF/services}. One
 * {@link FerriteCacheManager} per (URI, class loader), as the specification asks. A URI
 * {@code ferrite://[user[:password]@]host[:port]} keeps the caches on that Ferrite server
 * (remote); any other names an engine embedded in this JVM, shared by every manager of that
 * URI (or, with a data directory, of that directory). The default URI is {@value #DEFAULT_URI}, or the system property
 * {@value #DEFAULT_URI_PROPERTY} when it is set (to make a server the default without code).
 *
 * <p>Properties: {@link #STORE_PROPERTY} hands over an engine the application opened itself
 * (to share it with the RESP server in the same JVM, for example); {@code ferrite.dir},
 * {@code ferrite.maxmemory}, {@code ferrite.shards}, {@code ferrite.checkpoints} and
 * {@code ferrite.checkpoint-seconds} configure the embedded one (see {@link io.ferrite.core.embedded.EmbeddedSettings});
 * {@code ferrite.user}, {@code ferrite.password} and {@code ferrite.timeout} (ms) a remote one.
 */
public final class FerriteCachingProvider implements CachingProvider {
    /** The URI of the default embedded engine. */
    public static final String DEFAULT_URI = "ferrite:embedded";
    /** Property whose value is an open {@link io.ferrite.core.FerriteStore} for the manager to use. */
    public static final String STORE_PROPERTY = "ferrite.store";
    /** System property whose value, when set, replaces {@link #DEFAULT_URI} as the default URI. */
    public static final String DEFAULT_URI_PROPERTY = "ferrite.jcache.uri";

    private final Map<ClassLoader, Map<URI, FerriteCacheManager>> managers = new WeakHashMap<>();

    @Override
    public synchronized CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
        URI managerUri = uri == null ? getDefaultURI() : uri;
        ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
        Map<URI, FerriteCacheManager> byUri = managers.computeIfAbsent(loader, l -> new HashMap<>());
        FerriteCacheManager manager = byUri.get(managerUri);
        if (manager == null || manager.isClosed()) {
            Properties copy = new Properties();
            if (properties != null) {
                copy.putAll(properties);
            }
            manager = new FerriteCacheManager(this, managerUri, loader, copy);
            byUri.put(managerUri, manager);
        }
        return manager;
    }

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
        return getCacheManager(uri, classLoader, getDefaultProperties());
    }

    @Override
    public CacheManager getCacheManager() {
        return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
    }

    @Override
    public ClassLoader getDefaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : getClass().getClassLoader();
    }

    @Override
    public URI getDefaultURI() {
        return URI.create(System.getProperty(DEFAULT_URI_PROPERTY, DEFAULT_URI));
    }

    @Override
    public Properties getDefaultProperties() {
        return new Properties();
    }

    @Override
    public void close() {
        for (FerriteCacheManager manager : all()) {
            manager.close();
        }
    }

    @Override
    public void close(ClassLoader classLoader) {
        Map<URI, FerriteCacheManager> byUri;
        synchronized (this) {
            byUri = managers.get(classLoader == null ? getDefaultClassLoader() : classLoader);
            byUri = byUri == null ? Map.of() : new HashMap<>(byUri);
        }
        for (FerriteCacheManager manager : byUri.values()) {
            manager.close();
        }
    }

    @Override
    public void close(URI uri, ClassLoader classLoader) {
        FerriteCacheManager manager;
        synchronized (this) {
            Map<URI, FerriteCacheManager> byUri = managers.get(classLoader == null ? getDefaultClassLoader() : classLoader);
            manager = byUri == null ? null : byUri.get(uri == null ? getDefaultURI() : uri);
        }
        if (manager != null) {
            manager.close();
        }
    }

    @Override
    public boolean isSupported(OptionalFeature optionalFeature) {
        // STORE_BY_REFERENCE, the only optional feature: the cache hands back the instances it was
        // given while the engine still holds their bytes (ValueReferences)
        return optionalFeature == OptionalFeature.STORE_BY_REFERENCE;
    }

    private synchronized java.util.List<FerriteCacheManager> all() {
        java.util.List<FerriteCacheManager> list = new java.util.ArrayList<>();
        for (Map<URI, FerriteCacheManager> byUri : managers.values()) {
            list.addAll(byUri.values());
        }
        return list;
    }

    /** A manager closed: a later request for its URI and loader gets a new one. */
    synchronized void forget(FerriteCacheManager manager) {
        Map<URI, FerriteCacheManager> byUri = managers.get(manager.getClassLoader());
        if (byUri != null) {
            byUri.remove(manager.getURI(), manager);
            if (byUri.isEmpty()) {
                managers.remove(manager.getClassLoader());
            }
        }
    }
}
