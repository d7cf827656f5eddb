package io.ferrite.server.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.server.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** notify-keyspace-events seen through Lettuce (RESP2 and RESP3) and Jedis subscribers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyspaceNotificationsTest {
    private TestServer server;
    private RedisClient client;
    private RedisCommands<String, String> redis;

    @BeforeAll
    void start() {
        server = TestServer.start();
        client = RedisClient.create(RedisURI.builder().withHost(server.host()).withPort(server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
        redis = client.connect().sync();
    }

    @AfterAll
    void stop() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        server.close();
    }

    @BeforeEach
    void reset() {
        redis.flushall();
        redis.configSet("notify-keyspace-events", "");
    }

    /** "channel message" for every message or pmessage the connection receives. */
    private BlockingQueue<String> listen(StatefulRedisPubSubConnection<String, String> connection) {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                received.add(channel + " " + message);
            }

            @Override
            public void message(String pattern, String channel, String message) {
                received.add(channel + " " + message);
            }
        });
        return received;
    }

    private static List<String> take(BlockingQueue<String> queue, int n) throws InterruptedException {
        List<String> got = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String next = queue.poll(5, TimeUnit.SECONDS);
            assertThat(next).as("message %d of %d after %s", i + 1, n, got).isNotNull();
            got.add(next);
        }
        return got;
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void writesOfEveryTypePublishKeyspaceAndKeyeventMessages(ProtocolVersion protocol) throws Exception {
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
            BlockingQueue<String> received = listen(sub);
            sub.sync().psubscribe("__key*@0__:*");
            redis.configSet("notify-keyspace-events", "KEA");
            redis.set("s", "v");
            assertThat(take(received, 2)).containsExactly("__keyspace@0__:s set", "__keyevent@0__:set s");
            redis.hset("h", "f", "1");
            redis.sadd("set", "m");
            redis.expire("s", 100);
            redis.del("h");
            assertThat(take(received, 8)).containsExactly(
                    "__keyspace@0__:h hset", "__keyevent@0__:hset h",
                    "__keyspace@0__:set sadd", "__keyevent@0__:sadd set",
                    "__keyspace@0__:s expire", "__keyevent@0__:expire s",
                    "__keyspace@0__:h del", "__keyevent@0__:del h");
            redis.psetex("short", 50, "x");
            List<String> expiry = take(received, 6);
            assertThat(expiry).containsSubsequence("__keyspace@0__:short set", "__keyspace@0__:short expire",
                    "__keyspace@0__:short expired");
        }
    }

    @Test
    void classesMaskTheEventsAndNewKeysHaveTheirOwnClass() throws Exception {
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
            BlockingQueue<String> received = listen(sub);
            sub.sync().psubscribe("*");
            redis.configSet("notify-keyspace-events", "Eln");
            redis.set("foo", "bar");
            redis.set("foo", "baz");
            redis.rpush("list", "a");
            redis.rename("list", "list2");
            assertThat(take(received, 4)).containsExactly("__keyevent@0__:new foo", "__keyevent@0__:new list",
                    "__keyevent@0__:rpush list", "__keyevent@0__:new list2");
            assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void jedisSubscriberSeesAnotherDatabase() throws Exception {
        redis.configSet("notify-keyspace-events", "K$");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                received.add(channel + " " + message);
            }
        };
        Thread subscriber = new Thread(() -> {
            try (Jedis jedis = new Jedis(server.host(), server.port())) {
                jedis.subscribe(listener, "__keyspace@3__:counter");
            }
        });
        subscriber.start();
        long deadline = System.currentTimeMillis() + 5000;
        while (!listener.isSubscribed() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        try (Jedis jedis = new Jedis(server.host(), server.port())) {
            jedis.select(3);
            jedis.incr("counter");
            jedis.append("counter", "0");
            assertThat(take(received, 2)).containsExactly("__keyspace@3__:counter incrby", "__keyspace@3__:counter append");
        } finally {
            listener.unsubscribe();
            subscriber.join(5000);
        }
    }

    @Test
    void configShowsTheCanonicalFormAndRefusesWhatItCannotDo() {
        redis.configSet("notify-keyspace-events", "KA");
        assertThat(redis.configGet("notify-keyspace-events")).containsEntry("notify-keyspace-events", "AK");
        redis.configSet("notify-keyspace-events", "$lshzxeKE");
        assertThat(redis.configGet("notify-keyspace-events")).containsEntry("notify-keyspace-events", "$lshzxeKE");
        assertThatThrownBy(() -> redis.configSet("notify-keyspace-events", "KQ"))
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessageContaining("Invalid event class character");
        assertThatThrownBy(() -> redis.configSet("notify-keyspace-events", "Km"))
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessageContaining("key-miss events ('m') are not supported");
        assertThat(redis.configGet("notify-keyspace-events")).containsEntry("notify-keyspace-events", "$lshzxeKE");
    }
}
