package io.ferrite.jcache;

/**
 * Caches on a Ferrite server: their entries are the server's string keys, written with
 * Redis 8.4's conditional {@code SET ... IFEQ} and {@code DELEX ... IFEQ} (which Ferrite
 * answers), so the same compare-and-set steps as embedded keep another client's writes.
 * The connections are shared by every manager of the same server in this JVM.
 */
final class RemoteBackend implements CacheBackend {
    private static final SharedByKey<RemoteAddress, RemoteServer> SERVERS =
            new SharedByKey<>(RemoteServer::isClosed, RemoteServer::close);

    private final RemoteAddress address;
    private final RemoteServer server;

    RemoteBackend(RemoteAddress address) {
        this.address = address;
        this.server = SERVERS.acquire(address, () -> RemoteServer.open(address));
    }

    @Override
    public EntryStore entries(int db, byte[] prefix, String cacheName) {
        return new RemoteEntryStore(server, db, prefix, cacheName);
    }

    @Override
    public KeyDirectory directory(int db, byte[] prefix, String cacheName, EntryStore entries,
                                  KeyDirectory.ForeignChanges foreign) {
        return new RemoteKeyDirectory(server, db, prefix, cacheName, (RemoteEntryStore) entries, foreign);
    }

    @Override
    public void register(int db, String cacheName, byte[] description) {
        server.registerSoon(db, cacheName, CacheCatalog.KEY_BYTES, name(cacheName), description);
    }

    @Override
    public void unregister(int db, String cacheName) {
        server.call(db, cacheName, commands -> commands.hdel(CacheCatalog.KEY_BYTES, name(cacheName)));
    }

    private static byte[] name(String cacheName) {
        return cacheName.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        return null;
    }

    @Override
    public void release() {
        SERVERS.release(address, server);
    }
}
