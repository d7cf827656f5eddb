package io.ferrite.jcache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.cache.CacheException;

/**
 * The connections of this JVM to one Ferrite server, through Lettuce: one per database,
 * shared by every cache of every manager on that server. A Lettuce connection is thread-safe
 * and pipelines the commands of concurrent callers on its socket, so two threads' reads share
 * round trips instead of waiting for each other.
 *
 * <p>When the server goes away, commands fail at once with a {@link CacheException} that says
 * so (rather than queueing until a timeout), and Lettuce reconnects in the background, at most
 * a second apart, so the caches work again as soon as the server is back.
 */
final class RemoteServer {
    /** Lettuce's threads, for all servers: created with the first remote manager, daemons. */
    private static volatile ClientResources resources;

    private final RemoteAddress address;
    private final RedisClient client;
    private final Map<Integer, StatefulRedisConnection<byte[], byte[]>> connections = new ConcurrentHashMap<>();
    /** Cache registrations waiting for a connection to their database ({@link #registerSoon}); guarded by this. */
    private final Map<Integer, List<byte[][]>> unregistered = new java.util.HashMap<>();
    private volatile boolean closed;
    private final RemoteNotifications notifications = new RemoteNotifications(this);

    private RemoteServer(RemoteAddress address) {
        this.address = address;
        this.client = RedisClient.create(resources());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(address.timeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(address.timeout()).keepAlive(true).build())
                .build());
    }

    static RemoteServer open(RemoteAddress address) {
        return new RemoteServer(address);
    }

    private static ClientResources resources() {
        ClientResources shared = resources;
        if (shared == null) {
            synchronized (RemoteServer.class) {
                shared = resources;
                if (shared == null) {
                    shared = ClientResources.builder()
                            .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                            .build();
                    resources = shared;
                }
            }
        }
        return shared;
    }

    RemoteAddress address() {
        return address;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Runs one command on database {@code db}, turning Lettuce's failures into
     * {@link CacheException}s that name the cache and the server.
     */
    <R> R call(int db, String cacheName, Function<RedisCommands<byte[], byte[]>, R> command) {
        try {
            return command.apply(connection(db, cacheName).sync());
        } catch (RedisCommandExecutionException e) {
            throw new CacheException("cache " + cacheName + ": the Ferrite server at " + address + " refused the command: "
                    + e.getMessage(), e);
        } catch (RedisCommandTimeoutException e) {
            throw new CacheException("cache " + cacheName + ": the Ferrite server at " + address + " did not answer within "
                    + address.timeout().toMillis() + " ms", e);
        } catch (RedisException e) {
            throw unreachable(cacheName, e);
        }
    }

    private StatefulRedisConnection<byte[], byte[]> connection(int db, String cacheName) {
        StatefulRedisConnection<byte[], byte[]> connection = connections.get(db);
        return connection != null ? connection : connect(db, cacheName);
    }

    /** The first command on a database connects (a failed attempt is retried by the next command). */
    private synchronized StatefulRedisConnection<byte[], byte[]> connect(int db, String cacheName) {
        if (closed) {
            throw new CacheException("cache " + cacheName + ": its cache manager is closed");
        }
        StatefulRedisConnection<byte[], byte[]> connection = connections.get(db);
        if (connection == null) {
            try {
                connection = client.connect(ByteArrayCodec.INSTANCE, uri(db));
            } catch (RedisException e) {
                throw unreachable(cacheName, e);
            }
            connections.put(db, connection);
            List<byte[][]> waiting = unregistered.remove(db);
            if (waiting != null) {
                for (byte[][] registration : waiting) {
                    try {
                        connection.sync().hset(registration[0], registration[1], registration[2]);
                    } catch (RedisException e) {
                        // the cache works without its registration; its next creation registers it
                    }
                }
            }
        }
        return connection;
    }

    /**
     * HSETs {@code field} to {@code value} in {@code key} of {@code db} (a cache's
     * {@link CacheCatalog} registration) now, or, while the server cannot be reached, as soon as
     * a connection to {@code db} is made: creating a cache never needs the server (its first use
     * does), as before caches were registered.
     */
    void registerSoon(int db, String cacheName, byte[] key, byte[] field, byte[] value) {
        try {
            call(db, cacheName, commands -> commands.hset(key, field, value));
        } catch (CacheException e) {
            synchronized (this) {
                unregistered.computeIfAbsent(db, d -> new java.util.ArrayList<>()).add(new byte[][] {key, field, value});
            }
        }
    }

    private RedisURI uri(int db) {
        RedisURI.Builder uri = RedisURI.Builder.redis(address.host(), address.port())
                .withDatabase(db).withTimeout(address.timeout()).withClientName("ferrite-jcache");
        if (address.password() != null) {
            uri.withAuthentication(address.user() == null ? "default" : address.user(), address.password());
        }
        return uri.build();
    }

    /** The server's keyspace notifications, shared by every cache on it (subscribed on first use). */
    RemoteNotifications notifications() {
        return notifications;
    }

    /** A new Pub/Sub connection (for {@link RemoteNotifications}); Lettuce resubscribes it after a reconnect. */
    StatefulRedisPubSubConnection<byte[], byte[]> connectPubSub(String cacheName) {
        try {
            return client.connectPubSub(ByteArrayCodec.INSTANCE, uri(0));
        } catch (RedisException e) {
            throw unreachable(cacheName, e);
        }
    }

    CacheException unreachable(String cacheName, RedisException e) {
        return new CacheException("cache " + cacheName + ": cannot reach the Ferrite server at " + address + ": "
                + e.getMessage(), e);
    }

    synchronized void close() {
        closed = true;
        notifications.close();
        for (StatefulRedisConnection<byte[], byte[]> connection : connections.values()) {
            connection.close();
        }
        connections.clear();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
