package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferrite.server.TestServer;
import io.ferrite.server.persistence.RdbImport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.Tuple;

/**
 * An RDB file written by a real redis-server 7.0, with every type it has in each encoding and
 * with expiries, is imported ({@code ./ferrite import-rdb}) and reads back equal from Ferrite.
 */
class RdbImportWithRedisTest {
    static String redisServerSkip() {
        Optional<Path> executable = RedisTools.find("redis-server");
        if (executable.isEmpty() || !RedisTools.version(executable.get()).contains("v=7.0.")) {
            return "redis-server 7.0 is not on the PATH (install Debian's redis-server package)";
        }
        return null;
    }

    static void fill(Jedis redis) {
        redis.set("int", "12345");
        redis.set("text", "hello");
        redis.set("long", "x".repeat(5000)); // LZF-compressed in the RDB
        redis.set("expiring", "soon", SetParams.setParams().px(3_600_000));
        redis.hset("small-hash", Map.of("a", "1", "b", "2"));
        for (int i = 0; i < 700; i++) {
            redis.hset("big-hash", "f" + i, "v" + i);
            redis.sadd("big-set", "m" + i);
            redis.rpush("big-list", "e" + i);
            redis.zadd("big-zset", i * 1.5, "z" + i);
        }
        redis.hset("long-value-hash", "f", "v".repeat(100));
        redis.sadd("intset", "1", "2", "300000", "-5");
        redis.sadd("small-set", "x", "y");
        redis.rpush("small-list", "a", "b", "c");
        redis.rpush("plain-node-list", "y".repeat(10_000), "small");
        redis.zadd("small-zset", Map.of("a", 1.0, "b", -2.5, "c", 1e20));
        redis.zadd("inf-zset", Map.of("lo", Double.NEGATIVE_INFINITY, "hi", Double.POSITIVE_INFINITY, "mid", 0.1));
        redis.expire("big-hash", 7200);
        redis.select(3);
        redis.set("in-db-3", "three");
        redis.select(0);
    }

    /** Every key of every database, as what the reads give (type, value, expiry time). */
    static Map<String, Object> contents(Jedis jedis) {
        Map<String, Object> all = new TreeMap<>();
        for (int db : List.of(0, 3)) {
            jedis.select(db);
            for (String key : jedis.keys("*")) {
                String type = jedis.type(key);
                Object value = switch (type) {
                    case "string" -> jedis.get(key);
                    case "hash" -> new TreeMap<>(jedis.hgetAll(key));
                    case "set" -> new java.util.TreeSet<>(jedis.smembers(key));
                    case "list" -> jedis.lrange(key, 0, -1);
                    case "zset" -> {
                        List<String> pairs = new ArrayList<>();
                        for (Tuple t : jedis.zrangeWithScores(key, 0, -1)) {
                            pairs.add(t.getElement() + "=" + t.getScore());
                        }
                        yield pairs;
                    }
                    default -> type;
                };
                all.put(db + ":" + key, List.of(type, value, jedis.pexpireTime(key)));
            }
        }
        jedis.select(0);
        return all;
    }

    @Test
    void anRdbOfRedisImportsAndReadsBackEqual() throws Exception {
        String skip = redisServerSkip();
        assumeTrue(skip == null, skip);
        Map<String, Object> expected;
        Path rdb;
        try (RedisTools.RedisServer redisServer = RedisTools.RedisServer.start(RedisTools.find("redis-server").orElseThrow());
             Jedis redis = new Jedis("127.0.0.1", redisServer.port)) {
            fill(redis);
            expected = contents(redis);
            redis.save();
            rdb = Files.createTempFile("redis", ".rdb");
            Files.copy(redisServer.dir().resolve("dump.rdb"), rdb, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path dir = Files.createTempDirectory("ferrite-import");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RdbImport.Result result = RdbImport.importInto(rdb, dir.resolve("appendonlydir"), "appendonly.aof",
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(result.keys()).isEqualTo(expected.size());
        TestServer ferrite = TestServer.startIn(dir, "appendonly yes");
        try (Jedis jedis = new Jedis(ferrite.host(), ferrite.port())) {
            assertThat(contents(jedis)).isEqualTo(expected);
            assertThat(jedis.objectEncoding("big-hash")).isEqualTo("hashtable");
            assertThat(jedis.objectEncoding("intset")).isEqualTo("intset");
        } finally {
            ferrite.close();
        }
        // An AOF that exists is never overwritten.
        Path other = Files.createTempDirectory("ferrite-import-twice");
        RdbImport.importInto(rdb, other, "appendonly.aof", new PrintStream(new ByteArrayOutputStream()));
        assertThatThrownBy(() -> RdbImport.importInto(rdb, other, "appendonly.aof", System.err))
                .hasMessageContaining("already holds an append-only file");
    }

    @Test
    void aStreamIsRefusedByName() throws Exception {
        String skip = redisServerSkip();
        assumeTrue(skip == null, skip);
        Path rdb;
        try (RedisTools.RedisServer redisServer = RedisTools.RedisServer.start(RedisTools.find("redis-server").orElseThrow());
             Jedis redis = new Jedis("127.0.0.1", redisServer.port)) {
            redis.set("fine", "x");
            redis.xadd("events", StreamEntryID.NEW_ENTRY, Map.of("f", "v"));
            redis.save();
            rdb = redisServer.dir().resolve("dump.rdb");
            Path copy = Files.createTempFile("stream", ".rdb");
            Files.copy(rdb, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            rdb = copy;
        }
        Path dir = Files.createTempDirectory("ferrite-import-stream");
        Path target = rdb;
        assertThatThrownBy(() -> RdbImport.importInto(target, dir, "appendonly.aof", System.err))
                .hasMessageContaining("key 'events' is a stream, which Ferrite does not support yet");
        assertThat(Files.exists(dir.resolve("appendonly.aof.manifest"))).isFalse();
        assertThat(Files.exists(dir.resolve("appendonly.aof.1.base.aof"))).isFalse();
    }

    @Test
    void aDamagedRdbIsRefusedWithAReason() throws Exception {
        Path file = Files.createTempFile("bad", ".rdb");
        Files.writeString(file, "NOTREDIS");
        Path dir = Files.createTempDirectory("ferrite-import-bad");
        assertThatThrownBy(() -> RdbImport.importInto(file, dir, "appendonly.aof", System.err)).hasMessageContaining("not an RDB file");
        String skip = redisServerSkip();
        assumeTrue(skip == null, skip);
        Path rdb;
        try (RedisTools.RedisServer redisServer = RedisTools.RedisServer.start(RedisTools.find("redis-server").orElseThrow());
             Jedis redis = new Jedis("127.0.0.1", redisServer.port)) {
            for (int i = 0; i < 100; i++) {
                redis.set("key" + i, "value" + i);
            }
            redis.save();
            rdb = redisServer.dir().resolve("dump.rdb");
            byte[] bytes = Files.readAllBytes(rdb);
            int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("value50");
            bytes[at + 1] ^= 0x20; // one flipped bit in a value: only the checksum sees it
            Files.write(file, bytes);
        }
        assertThatThrownBy(() -> RdbImport.importInto(file, dir, "appendonly.aof", System.err)).hasMessageContaining("checksum");
        assertThat(Files.exists(dir.resolve("appendonly.aof.manifest"))).isFalse();
    }
}
