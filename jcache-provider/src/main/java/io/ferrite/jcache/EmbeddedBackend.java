package io.ferrite.jcache;

import io.ferrite.core.FerriteStore;
import java.net.URI;
import java.util.Properties;

/**
 * Caches in an engine of this JVM: the one the application handed over as
 * {@link FerriteCachingProvider#STORE_PROPERTY} (used as it is, never closed here), or the
 * engine of the manager's data directory, or of its URI when it has none ({@link EmbeddedEngine}),
 * shared by every manager of that directory or URI whatever its class loader and closed when
 * the last of them closes.
 */
final class EmbeddedBackend implements CacheBackend {
    /** The engines of this JVM, one per data directory or in-memory URI (the first manager's properties configure it). */
    private static final SharedByKey<Object, EmbeddedEngine> ENGINES = new SharedByKey<>(EmbeddedEngine::isClosed, EmbeddedEngine::close);

    private final FerriteStore store;
    /** The engine of the manager's URI, null for the application's own. */
    private final EmbeddedEngine engine;
    /** What the engine is shared by: its data directory, or the URI of one in memory. */
    private final Object sharedBy;

    private EmbeddedBackend(FerriteStore store, EmbeddedEngine engine, Object sharedBy) {
        this.store = store;
        this.engine = engine;
        this.sharedBy = sharedBy;
    }

    static EmbeddedBackend open(URI uri, Properties properties) {
        if (properties.get(FerriteCachingProvider.STORE_PROPERTY) instanceof FerriteStore given) {
            return new EmbeddedBackend(given, null, uri);
        }
        io.ferrite.core.StoreConfig config = EmbeddedStoreConfig.from(properties);
        long checkpointSeconds = EmbeddedStoreConfig.checkpointSeconds(properties);
        // One engine per directory, whatever the URIs: two engines on one directory would ruin it.
        Object sharedBy = config.dataDir() == null ? uri : config.dataDir().toAbsolutePath().normalize();
        EmbeddedEngine engine = ENGINES.acquire(sharedBy, () -> EmbeddedEngine.open(config, checkpointSeconds));
        return new EmbeddedBackend(engine.store(), engine, sharedBy);
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
        if (engine != null) {
            ENGINES.release(sharedBy, engine);
        }
    }
}
