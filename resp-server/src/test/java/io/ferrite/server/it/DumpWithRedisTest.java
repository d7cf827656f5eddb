package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferrite.server.TestServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

/**
 * DUMP payloads move both ways between Ferrite and a real redis-server 7.0: hashes and sets of
 * every encoding Redis writes (listpack, hashtable, intset at each width) restore into the other
 * server with the same contents and encoding, and the payloads Ferrite writes for packed
 * encodings are byte for byte Redis's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DumpWithRedisTest {
    private RedisTools.RedisServer redisServer;
    private TestServer ferriteServer;
    private Jedis redis;
    private Jedis ferrite;
    private String skipReason;

    @BeforeAll
    void start() throws Exception {
        Optional<Path> executable = RedisTools.find("redis-server");
        if (executable.isEmpty() || !RedisTools.version(executable.get()).contains("v=7.0.")) {
            skipReason = "redis-server 7.0 is not on the PATH (install Debian's redis-server package)";
            return;
        }
        redisServer = RedisTools.RedisServer.start(executable.get());
        ferriteServer = TestServer.start();
        redis = new Jedis("127.0.0.1", redisServer.port);
        ferrite = new Jedis(ferriteServer.host(), ferriteServer.port());
    }

    @AfterAll
    void stop() {
        if (redis != null) {
            redis.close();
            ferrite.close();
            redisServer.close();
            ferriteServer.close();
        }
    }

    @BeforeEach
    void flush() {
        assumeTrue(skipReason == null, skipReason);
        redis.flushAll();
        ferrite.flushAll();
    }

    /** The same writes on both servers. */
    private void onBoth(Consumer<Jedis> writes) {
        writes.accept(redis);
        writes.accept(ferrite);
    }

    private static Map<String, String> hugeHash() {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < 2000; i++) {
            fields.put("field:" + i, i % 7 == 0 ? Integer.toString(i * 1000) : "value-" + i);
        }
        return fields;
    }

    @Test
    void packedEncodingsAreDumpedExactlyAsRedisDoes() {
        onBoth(j -> {
            j.hset("h:small", Map.of("name", "ferrite"));
            j.hset("h:small", "lang", "java");
            j.hset("h:ints", "1", "-5");
            j.hset("h:ints", "big", "123456789012");
            j.hset("h:ints", "007", "-0");
            j.hset("h:lzf", "field", "a".repeat(40));
            j.hset("h:empty", "", "");
            j.sadd("s:16", "3", "1", "2");
            j.sadd("s:32", "1", "-70000", "5");
            j.sadd("s:64", "1", "5000000000", "-3");
            j.sadd("s:sticky", "1", "5000000000", "-3");
            j.srem("s:sticky", "5000000000");
        });
        for (String key : new String[] {"h:small", "h:ints", "h:lzf", "h:empty", "s:16", "s:32", "s:64", "s:sticky"}) {
            assertThat(ferrite.objectEncoding(key)).as(key).isEqualTo(redis.objectEncoding(key));
            assertThat(ferrite.dump(key)).as(key).isEqualTo(redis.dump(key));
        }
    }

    @Test
    void redisPayloadsRestoreInFerriteAndBack() {
        redis.hset("h:listpack", Map.of("a", "1", "b", "2"));
        redis.hset("h:table", hugeHash());
        redis.hset("h:longvalue", "f", "x".repeat(100));
        redis.sadd("s:intset", "5", "-3", "100");
        redis.sadd("s:strings", "red", "green", "blue");
        for (int i = 0; i < 1000; i++) {
            redis.sadd("s:table", "member:" + i);
        }
        for (String key : redis.keys("*")) {
            byte[] payload = redis.dump(key);
            assertThat(ferrite.restore(key, 0, payload)).as(key).isEqualTo("OK");
            assertThat(ferrite.type(key)).as(key).isEqualTo(redis.type(key));
            assertThat(ferrite.objectEncoding(key)).as(key).isEqualTo(redis.objectEncoding(key));
            if (redis.type(key).equals("hash")) {
                assertThat(ferrite.hgetAll(key)).as(key).isEqualTo(redis.hgetAll(key));
            } else {
                assertThat(ferrite.smembers(key)).as(key).isEqualTo(redis.smembers(key));
            }
            // And Ferrite's payload restores in Redis to the same value.
            assertThat(redis.restore(key + ":back", 0, ferrite.dump(key))).as(key).isEqualTo("OK");
            if (redis.type(key).equals("hash")) {
                assertThat(redis.hgetAll(key + ":back")).as(key).isEqualTo(redis.hgetAll(key));
            } else {
                assertThat(redis.smembers(key + ":back")).as(key).isEqualTo(redis.smembers(key));
            }
            assertThat(redis.objectEncoding(key + ":back")).as(key).isEqualTo(redis.objectEncoding(key));
        }
        assertThat(new HashMap<>(ferrite.hgetAll("h:table"))).hasSize(2000);
    }
}
