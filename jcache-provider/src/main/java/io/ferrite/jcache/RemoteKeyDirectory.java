package io.ferrite.jcache;

import io.ferrite.core.api.ChangeKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.CacheException;

/**
 * The keys of one cache on a Ferrite server, kept by the server's keyspace notifications
 * (see {@link RemoteNotifications}), so iteration, {@code clear()} and {@code removeAll()}
 * visit the cache's keys without the server scanning its whole keyspace, and so other
 * clients' writes, deletions and expiries reach the cache's listeners. Subscribes first, then
 * scans once for the keys already there; after a dropped connection it scans again when next
 * asked. Without notifications (a server that refuses to send them) it scans for every call.
 */
final class RemoteKeyDirectory implements KeyDirectory, RemoteNotifications.Sink {
    private static final Map<String, ChangeKind> KINDS = new HashMap<>();

    static {
        for (ChangeKind kind : ChangeKind.values()) {
            KINDS.put(kind.eventName(), kind);
        }
    }

    private final RemoteServer server;
    private final int db;
    private final byte[] prefix;
    private final String cacheName;
    private final RemoteOwnWrites own;
    private final ForeignChanges foreign;
    private final RemoteKeyScan scan;
    private final Set<Key> keys = ConcurrentHashMap.newKeySet();
    private final RemoteEntryStore store;
    private volatile boolean following;
    private volatile boolean live;
    private volatile boolean stale;

    RemoteKeyDirectory(RemoteServer server, int db, byte[] prefix, String cacheName, RemoteEntryStore store,
                       ForeignChanges foreign) {
        this.store = store;
        RemoteOwnWrites own = store.ownWrites();
        this.server = server;
        this.db = db;
        this.prefix = prefix;
        this.cacheName = cacheName;
        this.own = own;
        this.foreign = foreign;
        this.scan = new RemoteKeyScan(server, db, prefix, cacheName);
        own.deliverTo(foreign);
    }

    /**
     * Subscribes now if the server can be reached, else before the cache's first command that
     * reaches it: a cache may be created before its server is up.
     */
    @Override
    public void open() {
        store.beforeUse(() -> follow(false));
        follow(false);
    }

    /** Subscribes and fills the key set, once; {@code strict}: a server that cannot be reached is an error. */
    private void follow(boolean strict) {
        if (following) {
            return;
        }
        synchronized (this) {
            if (following) {
                return;
            }
            try {
                live = server.notifications().follow(db, prefix, this, cacheName);
                if (live) {
                    rescan();
                }
                following = true;
                store.beforeUse(null);
            } catch (CacheException e) {
                if (strict) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        store.beforeUse(null);
        if (following && live) {
            server.notifications().unfollow(db, prefix, this);
        }
        keys.clear();
    }

    @Override
    public Key[] snapshot() {
        follow(true);
        if (!live) {
            return scan.snapshot();
        }
        server.notifications().barrier(cacheName);
        if (stale) {
            rescan();
        }
        return keys.toArray(Key[]::new);
    }

    private void rescan() {
        stale = false;
        Key[] found = scan.snapshot();
        keys.retainAll(Set.of(found));
        keys.addAll(java.util.Arrays.asList(found));
    }

    @Override
    public void changed(byte[] key, String event) {
        ChangeKind kind = KINDS.getOrDefault(event, ChangeKind.SET); // another type's command: the key changed
        boolean existed;
        switch (kind) {
            case NEW, EXPIRE, PERSIST -> {
                return; // no entry event: the write that follows "new" has its own notification
            }
            case DEL, EXPIRED, EVICTED, RENAME_FROM, MOVE_FROM -> existed = keys.remove(new Key(key));
            default -> existed = !keys.add(new Key(key));
        }
        Key changed = new Key(key);
        if (!own.isOwn(changed, kind, existed)) {
            foreign.changed(changed, kind, existed, null);
        }
    }

    @Override
    public void missedChanges() {
        stale = true;
        own.forgetAll();
    }
}
