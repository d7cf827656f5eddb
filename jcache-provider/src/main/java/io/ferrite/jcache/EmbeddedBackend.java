package io.ferrite.jcache;

import io.ferrite.core.FerriteStore;
import java.net.URI;
import java.util.Properties;

/**
 * Caches in an engine of this JVM: the one the application handed over as
 * {@link FerriteCachingProvider#STORE_PROPERTY} (used as it is, never closed here), or the
 * engine of the manager's URI, shared by every manager of that URI whatever its class loader
 * and closed when the last of them closes.
 */
final class EmbeddedBackend implements CacheBackend {
    /** The engines of this JVM, one per URI (the first manager's properties configure it). */
    private static final SharedByKey<URI, FerriteStore> ENGINES = new SharedByKey<>(FerriteStore::isClosed, FerriteStore::close);

    private final FerriteStore store;
    /** The URI of a shared engine, null for the application's own. */
    private final URI shared;

    private EmbeddedBackend(FerriteStore store, URI shared) {
        this.store = store;
        this.shared = shared;
    }

    static EmbeddedBackend open(URI uri, Properties properties) {
        if (properties.get(FerriteCachingProvider.STORE_PROPERTY) instanceof FerriteStore given) {
            return new EmbeddedBackend(given, null);
        }
        return new EmbeddedBackend(ENGINES.acquire(uri, () -> FerriteStore.open(EmbeddedStoreConfig.from(properties))), uri);
    }

    @Override
    public EntryStore entries(int db, byte[] prefix, String cacheName) {
        return new EngineEntryStore(store, db, prefix, cacheName);
    }

    @Override
    public KeyDirectory directory(int db, byte[] prefix, String cacheName, EntryStore entries,
                                  KeyDirectory.ForeignChanges foreign) {
        return new EngineKeyDirectory(store, db, prefix, foreign);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        return type.isAssignableFrom(FerriteStore.class) ? type.cast(store) : null;
    }

    @Override
    public void release() {
        if (shared != null) {
            ENGINES.release(shared, store);
        }
    }
}
