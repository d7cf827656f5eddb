package io.ferrite.jcache;

import java.net.URI;
import java.util.Properties;

/**
 * Where a cache manager's caches keep their entries: an engine in this JVM
 * ({@link EmbeddedBackend}) or a Ferrite server reached over RESP ({@link RemoteBackend}),
 * chosen by the manager's URI.
 */
interface CacheBackend {
    /** The entries of one cache: string keys {@code <prefix><key>} of database {@code db}. */
    EntryStore entries(int db, byte[] prefix, String cacheName);

    /** Finds the keys of one cache (whose entries are {@code entries}); other doors' changes to them go to {@code foreign}. */
    KeyDirectory directory(int db, byte[] prefix, String cacheName, EntryStore entries, KeyDirectory.ForeignChanges foreign);

    /** Registers cache {@code cacheName} of database {@code db} in the {@link CacheCatalog} with {@code description}. */
    void register(int db, String cacheName, byte[] description);

    /** Removes cache {@code cacheName} of database {@code db} from the {@link CacheCatalog}. */
    void unregister(int db, String cacheName);

    /** This backend's own object of {@code type} (the engine, the RESP client), or null. */
    <T> T unwrap(Class<T> type);

    /** The manager is done with it (a shared engine or connection closes with its last user). */
    void release();

    /** {@code ferrite://host:port} is a server; any other URI names an embedded engine. */
    static CacheBackend open(URI uri, Properties properties) {
        if (RemoteAddress.isRemote(uri)) {
            return new RemoteBackend(RemoteAddress.of(uri, properties));
        }
        return EmbeddedBackend.open(uri, properties);
    }
}
