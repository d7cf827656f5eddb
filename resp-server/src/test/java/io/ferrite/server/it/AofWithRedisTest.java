package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferrite.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * The append-only directory of a real redis-server 7.0 (its default {@code aof-use-rdb-preamble
 * yes}: an RDB base, then an incremental file of commands) is loaded by Ferrite as it is, with
 * every type and expiry and its MULTI/EXEC transactions, so a Redis user can point Ferrite at
 * the directory Redis wrote; and
 * Ferrite's RDB base loads into redis-server.
 */
class AofWithRedisTest {
    /** Waits until INFO persistence holds every one of {@code fields} (the rewrite ended). */
    private static void awaitPersistence(Jedis jedis, String... fields) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!java.util.Arrays.stream(fields).allMatch(jedis.info("persistence")::contains)) {
            assertThat(System.currentTimeMillis()).as("the rewrite ends").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Copies {@code from}'s files into a new directory {@code to} (they are deleted with their server). */
    private static void copyDir(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    @Test
    void redisServersAppendOnlyDirectoryLoadsAsItIs() throws Exception {
        String skip = RdbImportWithRedisTest.redisServerSkip();
        assumeTrue(skip == null, skip);
        Map<String, Object> expected;
        Path dir = Files.createTempDirectory("ferrite-from-redis-aof");
        try (RedisTools.RedisServer redisServer = RedisTools.RedisServer.start(RedisTools.find("redis-server").orElseThrow());
             Jedis redis = new Jedis("127.0.0.1", redisServer.port)) {
            RdbImportWithRedisTest.fill(redis);
            redis.configSet("appendonly", "yes"); // starts with a rewrite: the dataset becomes the RDB base
            awaitPersistence(redis, "aof_rewrite_in_progress:0", "aof_rewrite_scheduled:0");
            redis.set("after-the-base", "in the incremental file");
            Transaction tx = redis.multi(); // written to the file as MULTI ... EXEC
            tx.set("in-a-transaction", "yes");
            tx.incr("counted");
            tx.exec();
            redis.hset("big-hash", "added", "later");
            redis.del("text");
            expected = RdbImportWithRedisTest.contents(redis);
            Path redisAof = redisServer.dir().resolve("appendonlydir");
            assertThat(Files.readString(redisAof.resolve("appendonly.aof.manifest"))).contains(".base.rdb");
            copyDir(redisAof, dir.resolve("appendonlydir"));
        }
        TestServer ferrite = TestServer.startIn(dir, "appendonly yes");
        try (Jedis jedis = new Jedis(ferrite.host(), ferrite.port())) {
            assertThat(RdbImportWithRedisTest.contents(jedis)).isEqualTo(expected);
            assertThat(jedis.objectEncoding("big-hash")).isEqualTo("hashtable");
        } finally {
            ferrite.close();
        }
    }

    @Test
    void ferritesRdbBaseLoadsIntoRedisServer() throws Exception {
        String skip = RdbImportWithRedisTest.redisServerSkip();
        assumeTrue(skip == null, skip);
        Map<String, Object> expected;
        TestServer ferrite = TestServer.start("appendonly yes");
        try (Jedis jedis = new Jedis(ferrite.host(), ferrite.port())) {
            RdbImportWithRedisTest.fill(jedis);
            jedis.bgrewriteaof();
            awaitPersistence(jedis, "aof_rewrites:1", "aof_rewrite_in_progress:0");
            jedis.set("after-the-base", "x");
            expected = RdbImportWithRedisTest.contents(jedis);
        } finally {
            ferrite.stop();
        }
        Path redisDir = Files.createTempDirectory("redis-from-ferrite-aof");
        copyDir(ferrite.dir().resolve("appendonlydir"), redisDir.resolve("appendonlydir"));
        try (RedisTools.RedisServer redisServer = RedisTools.RedisServer.start(RedisTools.find("redis-server").orElseThrow(), redisDir,
                "--appendonly", "yes");
             Jedis redis = new Jedis("127.0.0.1", redisServer.port)) {
            assertThat(RdbImportWithRedisTest.contents(redis)).isEqualTo(expected);
        }
    }
}
