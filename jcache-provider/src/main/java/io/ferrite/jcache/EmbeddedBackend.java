package io.ferrite.jcache;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.aof.RespCommand;
import io.ferrite.core.api.Status;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import io.ferrite.core.api.StorageException;
import io.ferrite.core.embedded.EmbeddedEngine;
import io.ferrite.core.embedded.EmbeddedEngines;
import java.net.URI;
import java.util.Properties;
import javax.cache.CacheException;

/**
 * Caches in an engine of this JVM: the one the application handed over as
 * {@link FerriteCachingProvider#STORE_PROPERTY} (used as it is, never closed here), or the
 * engine of the manager's data directory, or of its URI when it has none, shared with every
 * other embedded door of that directory ({@link EmbeddedEngines}: JCache managers whatever
 * their URIs and class loaders, JDBC connections) and closed when the last of them lets go.
 */
final class EmbeddedBackend implements CacheBackend {
    private final FerriteStore store;
    /** The engine this manager acquired, null for the application's own. */
    private final EmbeddedEngine engine;

    private EmbeddedBackend(FerriteStore store, EmbeddedEngine engine) {
        this.store = store;
        this.engine = engine;
    }

    static EmbeddedBackend open(URI uri, Properties properties) {
        if (properties.get(FerriteCachingProvider.STORE_PROPERTY) instanceof FerriteStore given) {
            return new EmbeddedBackend(given, null);
        }
        EmbeddedEngine engine;
        try {
            engine = EmbeddedEngines.acquire(uri.toString(), properties);
        } catch (IllegalStateException | StorageException e) {
            throw new CacheException("cannot open the engine of " + uri + ": " + e.getMessage(), e);
        }
        return new EmbeddedBackend(engine.store(), engine);
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
    public void register(int db, String cacheName, byte[] description) {
        byte[] name = cacheName.getBytes(StandardCharsets.UTF_8);
        catalogWrite(db, cacheName, () -> store.hashes().set(db, MemorySegment.ofArray(CacheCatalog.KEY_BYTES),
                new MemorySegment[] {MemorySegment.ofArray(name), MemorySegment.ofArray(description)}, 0, 1, new LongParse()),
                () -> RespCommand.of(HSET, CacheCatalog.KEY_BYTES, name, description));
    }

    @Override
    public void unregister(int db, String cacheName) {
        byte[] name = cacheName.getBytes(StandardCharsets.UTF_8);
        catalogWrite(db, cacheName, () -> store.hashes().delete(db, MemorySegment.ofArray(CacheCatalog.KEY_BYTES),
                new MemorySegment[] {MemorySegment.ofArray(name)}, 0, 1, new LongParse()),
                () -> RespCommand.of(HDEL, CacheCatalog.KEY_BYTES, name));
    }

    /**
     * Writes a {@link CacheCatalog} change. The cache works without it (only other doors miss
     * it), so an engine that refuses it (a value size limit, the memory budget, an AOF that
     * cannot be written) is logged, not the cache's failure.
     */
    private void catalogWrite(int db, String cacheName, Supplier<Status> body, Supplier<byte[]> loggedForm) {
        String failure;
        try {
            Status status = store.write(db, CacheCatalog.KEY_BYTES, body, loggedForm);
            failure = status == Status.OK ? null : status + (status == Status.WRONG_TYPE ? ": that key holds another type" : "");
        } catch (StorageException e) {
            failure = e.getMessage();
        }
        if (failure != null) {
            LOG.log(System.Logger.Level.WARNING, "cache " + cacheName + ": its registration in " + CacheCatalog.KEY
                    + " of database " + db + " was not written (" + failure + "), so other doors do not list it");
        }
    }

    private static final System.Logger LOG = System.getLogger(EmbeddedBackend.class.getName());

    private static final byte[] HSET = {'H', 'S', 'E', 'T'};
    private static final byte[] HDEL = {'H', 'D', 'E', 'L'};

    @Override
    public <T> T unwrap(Class<T> type) {
        return type.isAssignableFrom(FerriteStore.class) ? type.cast(store) : null;
    }

    @Override
    public void release() {
        if (engine != null) {
            EmbeddedEngines.release(engine);
        }
    }
}
