package io.ferrite.jcache;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.CacheException;

/**
 * One server's keyspace notifications, for the caches of this JVM on it: a single Pub/Sub
 * connection holds one {@code PSUBSCRIBE __keyspace@<db>__:<prefix>*} per cache key space and
 * routes each message to the caches that follow it. The first cache to follow makes sure the
 * server sends the classes it needs ({@code K}, generic, string, expired, evicted), adding them
 * to {@code notify-keyspace-events} if they are off, as Spring Session does for its own events.
 *
 * <p>Messages arrive on Lettuce's I/O thread: a {@link Sink} only updates its key set and hands
 * events over. When the connection drops, the messages sent meanwhile are lost; each sink is
 * told so it can read the server again.
 */
final class RemoteNotifications {
    private static final System.Logger LOG = System.getLogger("ferrite.jcache");
    /** What a cache needs: keyspace channels; generic, string, expired and evicted events. */
    private static final String NEEDED = "Kg$xe";

    /** Receives the notifications of one cache's keys. */
    interface Sink {
        /** {@code key} (the whole server key) changed; {@code event} is Redis's event name. */
        void changed(byte[] key, String event);

        /** Messages may have been lost (the connection dropped): what the sink knows may be stale. */
        void missedChanges();
    }

    private final RemoteServer server;
    private final Map<KeyDirectory.Key, Route> routes = new ConcurrentHashMap<>();
    private StatefulRedisPubSubConnection<byte[], byte[]> connection;
    /** Whether the server sends what caches need: null until asked. */
    private Boolean serverNotifies;

    /** One pattern and the sinks that follow it. */
    private record Route(int channelPrefixLength, Set<Sink> sinks) {}

    RemoteNotifications(RemoteServer server) {
        this.server = server;
    }

    /** The pattern for a cache: its database's keyspace channel, then its key prefix with glob characters escaped. */
    static byte[] pattern(int db, byte[] prefix) {
        byte[] channel = channelPrefix(db);
        byte[] keys = RemoteKeyScan.patternOf(prefix);
        byte[] pattern = new byte[channel.length + keys.length];
        System.arraycopy(channel, 0, pattern, 0, channel.length);
        System.arraycopy(keys, 0, pattern, channel.length, keys.length);
        return pattern;
    }

    private static byte[] channelPrefix(int db) {
        return ("__keyspace@" + db + "__:").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Starts delivering the notifications of keys {@code <prefix>*} of {@code db} to {@code sink}.
     *
     * @return false when the server does not send keyspace notifications and refused to start
     *         (the caller then reads the server instead, and sees no other client's changes)
     */
    synchronized boolean follow(int db, byte[] prefix, Sink sink, String cacheName) {
        if (!serverNotifies(cacheName)) {
            return false;
        }
        if (connection == null) {
            connection = server.connectPubSub(cacheName);
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] pattern, byte[] channel, byte[] message) {
                    deliver(pattern, channel, message);
                }
            });
            connection.addListener(new RedisConnectionStateListener() {
                @Override
                public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                    routes.values().forEach(route -> route.sinks().forEach(Sink::missedChanges));
                }

                @Override
                public void onRedisConnected(RedisChannelHandler<?, ?> handler, java.net.SocketAddress address) {
                    // Back after a drop: the server may have restarted with notifications off.
                    // Ask again off Lettuce's I/O thread (a blocking call there would never return).
                    java.util.concurrent.CompletableFuture.runAsync(() -> recheck(cacheName));
                }
            });
        }
        byte[] pattern = pattern(db, prefix);
        KeyDirectory.Key key = new KeyDirectory.Key(pattern);
        Route route = routes.get(key);
        if (route == null) {
            route = new Route(channelPrefix(db).length, ConcurrentHashMap.newKeySet());
            routes.put(key, route);
            try {
                connection.sync().psubscribe(pattern);
            } catch (RuntimeException e) {
                routes.remove(key);
                throw new CacheException("cache " + cacheName + ": cannot subscribe to the keyspace notifications of "
                        + server.address() + ": " + e.getMessage(), e);
            }
        }
        route.sinks().add(sink);
        return true;
    }

    /** Stops delivering to {@code sink}; the pattern is unsubscribed when nobody follows it. */
    synchronized void unfollow(int db, byte[] prefix, Sink sink) {
        KeyDirectory.Key key = new KeyDirectory.Key(pattern(db, prefix));
        Route route = routes.get(key);
        if (route == null || !route.sinks().remove(sink) || !route.sinks().isEmpty()) {
            return;
        }
        routes.remove(key);
        if (connection != null && connection.isOpen()) {
            connection.async().punsubscribe(key.bytes()); // no need to wait: later messages find no route
        }
    }

    /**
     * Returns once every notification the server sent before now has been delivered: a PING on
     * the Pub/Sub connection is answered after them. So a key another client wrote before a
     * cache-wide operation started is in the cache's key set when the operation reads it.
     */
    void barrier(String cacheName) {
        StatefulRedisPubSubConnection<byte[], byte[]> current;
        synchronized (this) {
            current = connection;
        }
        if (current == null) {
            return;
        }
        try {
            current.sync().ping();
        } catch (io.lettuce.core.RedisException e) {
            throw server.unreachable(cacheName, e);
        }
    }

    private void deliver(byte[] pattern, byte[] channel, byte[] message) {
        Route route = routes.get(new KeyDirectory.Key(pattern));
        if (route == null || channel.length < route.channelPrefixLength()) {
            return;
        }
        byte[] key = java.util.Arrays.copyOfRange(channel, route.channelPrefixLength(), channel.length);
        String event = new String(message, StandardCharsets.US_ASCII);
        for (Sink sink : route.sinks()) {
            sink.changed(key, event);
        }
    }

    /** Asks the server once whether it sends the needed classes, and turns them on if not. */
    private boolean serverNotifies(String cacheName) {
        if (serverNotifies != null) {
            return serverNotifies;
        }
        String current;
        try {
            current = server.call(0, cacheName, redis -> redis.configGet("notify-keyspace-events"))
                    .getOrDefault("notify-keyspace-events", "");
        } catch (CacheException e) {
            if (!(e.getCause() instanceof io.lettuce.core.RedisCommandExecutionException)) {
                throw e; // unreachable: asked again on the next attempt
            }
            current = null; // CONFIG refused (renamed, or not allowed to this user)
        }
        if (current == null) {
            LOG.log(System.Logger.Level.WARNING, "The server at " + server.address() + " refuses CONFIG GET: its caches"
                    + " scan the server for their keys and do not see other clients' changes");
            serverNotifies = false;
            return false;
        }
        String flags = current;
        boolean enough = flags.indexOf('K') >= 0 && (flags.indexOf('A') >= 0
                || NEEDED.chars().allMatch(c -> flags.indexOf(c) >= 0));
        if (!enough) {
            try {
                server.call(0, cacheName, redis -> redis.configSet("notify-keyspace-events", flags + NEEDED));
                enough = true;
            } catch (CacheException e) {
                LOG.log(System.Logger.Level.WARNING, "The Ferrite server at " + server.address()
                        + " does not send keyspace notifications and refused to (" + e.getMessage() + "): its caches"
                        + " scan the server for their keys and do not see other clients' changes");
            }
        }
        serverNotifies = enough;
        return enough;
    }

    private synchronized void recheck(String cacheName) {
        if (connection == null) {
            return;
        }
        serverNotifies = null;
        try {
            serverNotifies(cacheName);
        } catch (CacheException e) {
            serverNotifies = null; // unreachable again: the next reconnect asks once more
        }
    }

    synchronized void close() {
        routes.clear();
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
