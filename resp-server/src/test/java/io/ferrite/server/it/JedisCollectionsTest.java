package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.server.TestServer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Jedis's hash and set API against Ferrite, in RESP2 and RESP3, small and large collections. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JedisCollectionsTest {
    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Jedis connect(RedisProtocol protocol) {
        return new Jedis(new HostAndPort(server.host(), server.port()), DefaultJedisClientConfig.builder().protocol(protocol).build());
    }

    @BeforeEach
    void flush() {
        try (Jedis jedis = connect(RedisProtocol.RESP2)) {
            jedis.flushAll();
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void hashes(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            Map<String, String> user = new LinkedHashMap<>();
            user.put("name", "ada");
            user.put("lang", "java");
            assertThat(jedis.hset("user:1", user)).isEqualTo(2);
            assertThat(jedis.hset("user:1", "name", "grace")).isZero();
            assertThat(jedis.hget("user:1", "name")).isEqualTo("grace");
            assertThat(jedis.hget("user:1", "missing")).isNull();
            assertThat(jedis.hsetnx("user:1", "name", "x")).isZero();
            assertThat(jedis.hsetnx("user:1", "age", "36")).isEqualTo(1);
            assertThat(jedis.hmget("user:1", "name", "nope", "age")).containsExactly("grace", null, "36");
            assertThat(jedis.hlen("user:1")).isEqualTo(3);
            assertThat(jedis.hstrlen("user:1", "name")).isEqualTo(5);
            assertThat(jedis.hexists("user:1", "age")).isTrue();
            assertThat(jedis.hkeys("user:1")).containsExactlyInAnyOrder("name", "lang", "age");
            assertThat(jedis.hvals("user:1")).containsExactlyInAnyOrder("grace", "java", "36");
            assertThat(jedis.hgetAll("user:1")).containsOnly(Map.entry("name", "grace"), Map.entry("lang", "java"), Map.entry("age", "36"));
            assertThat(jedis.hincrBy("user:1", "age", 1)).isEqualTo(37);
            assertThat(jedis.hincrByFloat("user:1", "score", 1.5)).isEqualTo(1.5);
            assertThat(jedis.hrandfield("user:1", 10)).hasSize(4);
            assertThat(jedis.hrandfieldWithValues("user:1", -6)).hasSize(6);
            assertThat(jedis.hdel("user:1", "age", "score", "nope")).isEqualTo(2);
            assertThat(jedis.objectEncoding("user:1")).isEqualTo("listpack");
            assertThatThrownBy(() -> jedis.hincrBy("user:1", "name", 1)).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR hash value is not an integer");
            jedis.set("str", "x");
            assertThatThrownBy(() -> jedis.hget("str", "f")).isInstanceOf(JedisDataException.class).hasMessageStartingWith("WRONGTYPE");

            Map<String, String> big = new HashMap<>();
            for (int i = 0; i < 5000; i++) {
                big.put("field:" + i, "value:" + i);
            }
            assertThat(jedis.hset("big", big)).isEqualTo(5000);
            assertThat(jedis.objectEncoding("big")).isEqualTo("hashtable");
            assertThat(jedis.hgetAll("big")).isEqualTo(big);
            Map<String, String> scanned = new HashMap<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<Map.Entry<String, String>> page = jedis.hscan("big", cursor, new ScanParams().count(100).match("field:1*"));
                page.getResult().forEach(e -> scanned.put(e.getKey(), e.getValue()));
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            assertThat(scanned).hasSize(1111).allSatisfy((f, v) -> assertThat(f).startsWith("field:1"));
            assertThat(jedis.del("big")).isEqualTo(1);
            assertThat(jedis.hlen("big")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void sets(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            assertThat(jedis.sadd("ints", "3", "1", "2", "3")).isEqualTo(3);
            assertThat(jedis.objectEncoding("ints")).isEqualTo("intset");
            assertThat(jedis.smembers("ints")).containsExactlyInAnyOrder("1", "2", "3");
            assertThat(jedis.sismember("ints", "2")).isTrue();
            assertThat(jedis.smismember("ints", "1", "9")).containsExactly(true, false);
            assertThat(jedis.scard("ints")).isEqualTo(3);
            assertThat(jedis.sadd("tags", "red", "green", "blue")).isEqualTo(3);
            assertThat(jedis.objectEncoding("tags")).isEqualTo("hashtable");
            assertThat(jedis.srem("tags", "green", "nope")).isEqualTo(1);
            assertThat(jedis.sinter("ints", "tags")).isEmpty();
            assertThat(jedis.sunion("ints", "tags")).containsExactlyInAnyOrder("1", "2", "3", "red", "blue");
            assertThat(jedis.sdiff("ints", "tags")).containsExactlyInAnyOrder("1", "2", "3");
            assertThat(jedis.sunionstore("all", "ints", "tags")).isEqualTo(5);
            assertThat(jedis.sintercard("all", "ints")).isEqualTo(3);
            assertThat(jedis.sintercard(2, "all", "ints")).isEqualTo(2);
            assertThat(jedis.smove("all", "moved", "red")).isEqualTo(1);
            assertThat(jedis.smembers("moved")).containsExactly("red");
            assertThat(jedis.srandmember("all", 10)).hasSize(4).doesNotHaveDuplicates();
            assertThat(jedis.srandmember("all", -10)).hasSize(10);
            Set<String> popped = jedis.spop("all", 2);
            assertThat(popped).hasSize(2);
            assertThat(jedis.scard("all")).isEqualTo(2);
            assertThat(jedis.spop("missing")).isNull();

            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < 20_000; i++) {
                pipeline.sadd("big", "member:" + i);
            }
            Response<Long> size = pipeline.scard("big");
            pipeline.sync();
            assertThat(size.get()).isEqualTo(20_000);
            Set<String> all = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.sscan("big", cursor);
                all.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            assertThat(all).hasSize(20_000);
            assertThat(jedis.smembers("big")).isEqualTo(all);
            List<String> sample = jedis.srandmember("big", 100);
            assertThat(sample).hasSize(100).doesNotHaveDuplicates();
            assertThat(all).containsAll(sample);
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void theFirstListAndSortedSetCommands(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            assertThat(jedis.lpush("jobs", "a", "b")).isEqualTo(2);
            assertThat(jedis.rpush("jobs", "c")).isEqualTo(3);
            assertThat(jedis.lrange("jobs", 0, -1)).containsExactly("b", "a", "c");
            assertThat(jedis.llen("jobs")).isEqualTo(3);
            assertThat(jedis.lindex("jobs", -1)).isEqualTo("c");
            assertThat(jedis.lpop("jobs")).isEqualTo("b");
            assertThat(jedis.rpop("jobs", 5)).containsExactly("c", "a");
            assertThat(jedis.exists("jobs")).isFalse();
            assertThat(jedis.lpushx("jobs", "x")).isZero();
            assertThat(jedis.rpop("jobs")).isNull();

            assertThat(jedis.zadd("board", Map.of("ada", 3.0, "bob", 1.5, "cy", 2.0))).isEqualTo(3);
            assertThat(jedis.zrange("board", 0, -1)).containsExactly("bob", "cy", "ada");
            assertThat(jedis.zrangeWithScores("board", 0, 0).getFirst().getScore()).isEqualTo(1.5);
            assertThat(jedis.zscore("board", "cy")).isEqualTo(2.0);
            assertThat(jedis.zincrby("board", 0.5, "bob")).isEqualTo(2.0);
            assertThat(jedis.zcard("board")).isEqualTo(3);
            assertThat(jedis.zrem("board", "ada", "none")).isEqualTo(1);
            assertThat(jedis.type("board")).isEqualTo("zset");
            assertThatThrownBy(() -> jedis.lpush("board", "x")).isInstanceOf(JedisDataException.class).hasMessageStartingWith("WRONGTYPE");
            assertThatThrownBy(() -> jedis.zrangeByScore("board", 0, 10)).isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("unknown command");
            assertThatThrownBy(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.ZRANGE, "board", "0", "10", "BYSCORE"))
                    .isInstanceOf(JedisDataException.class).hasMessage("ERR ZRANGE BYSCORE and BYLEX are not supported yet by Ferrite");
            assertThatThrownBy(() -> jedis.dump("board")).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR DUMP of a zset is not supported yet by Ferrite");
            jedis.rpush("jobs", "x");
            assertThatThrownBy(() -> jedis.dump("jobs")).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR DUMP of a list is not supported yet by Ferrite");

            // The interim storage keeps a list in one record of at most 16 MB, and says so.
            String megabyte = "x".repeat(1 << 20);
            for (int i = 0; i < 15; i++) {
                jedis.rpush("long", megabyte);
            }
            assertThatThrownBy(() -> jedis.rpush("long", megabyte)).isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("at most 16 MB");
            assertThat(jedis.llen("long")).isEqualTo(15);
            jedis.del("long");
        }
    }
}
