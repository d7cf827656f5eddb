package io.ferrite.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * BGREWRITEAOF with checkpoints on: the new base is written from a checkpoint frozen where a new
 * incremental file begins (Redis 7's layout during a rewrite), while writes go on. The base and
 * the files after it alone rebuild the dataset (a restart with {@code checkpoints no} replays
 * them), for every type and encoding, with most of the data on disk; the checkpoint the rewrite
 * froze is written too and a normal restart starts from it; a FLUSHALL during the rewrite
 * replays as the flush it was. The base is an RDB file with {@code aof-use-rdb-preamble yes}
 * (Redis 7's default) and commands with {@code no}; both pass {@code redis-check-aof} and
 * {@code ./ferrite check-aof}.
 */
class AofRewriteFromCheckpointTest {
    private static final String[] AOF = {"appendonly yes", "appendfsync everysec", "save \"\"", "maxmemory 8mb",
            "mutable-size 2mb", "readonly-size 1mb", "page-size 64kb", "auto-aof-rewrite-percentage 0"};

    private static String[] with(String... more) {
        String[] lines = java.util.Arrays.copyOf(AOF, AOF.length + more.length);
        System.arraycopy(more, 0, lines, AOF.length, more.length);
        return lines;
    }

    private static Jedis connect(TestServer server) {
        return new Jedis(server.host(), server.port(), 30_000);
    }

    private static String info(Jedis jedis, String field) {
        for (String line : jedis.info("persistence").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO persistence");
    }

    /** Strings (most of them cold), packed and table hashes and sets, an intset, a list, a sorted set, expiries, two databases. */
    private static void fill(Jedis jedis) {
        Pipeline p = jedis.pipelined();
        String pad = "p".repeat(500);
        for (int i = 0; i < 20_000; i++) {
            p.set("key:" + i, i + ":" + pad);
        }
        for (int i = 0; i < 3000; i++) {
            p.hset("bighash", "field:" + i, "value:" + i);
            p.sadd("bigset", "member:" + i);
        }
        for (int i = 0; i < 300; i++) {
            p.sadd("ints", Integer.toString(i * 7));
        }
        p.hset("small", Map.of("a", "1", "b", "2"));
        p.sadd("tags", "x", "y");
        p.rpush("list", "a", "b", "c");
        p.zadd("zset", Map.of("a", 1.5, "b", -2.25, "c", 1e20));
        p.set("ttl", "t");
        p.pexpire("ttl", 3_600_000);
        p.hset("ttlhash", "f", "v");
        p.expire("ttlhash", 7200);
        p.select(3);
        p.set("db3", "three");
        p.hset("db3hash", "f", "v");
        p.select(0);
        p.sync();
    }

    @ParameterizedTest(name = "aof-use-rdb-preamble {0}")
    @ValueSource(strings = {"yes", "no"})
    void theBaseAndTheFilesAfterItRebuildEveryTypeWhileWritesGoOn(String preamble) throws Exception {
        TestServer first = TestServer.start(with("aof-use-rdb-preamble " + preamble));
        String before;
        try (Jedis control = connect(first)) {
            fill(control);
            PipelinedWriters writers = PipelinedWriters.start(first, 2, 50, false, (p, random, id, n) -> {
                int k = random.nextInt(20_000);
                switch (random.nextInt(9)) {
                    case 0 -> p.set("key:" + k, "w" + id + ":" + n);
                    case 1 -> p.del("key:" + k);
                    case 2 -> p.hset("bighash", "field:" + (k % 4000), "w" + n);
                    case 3 -> p.hdel("bighash", "field:" + (k % 3000));
                    case 4 -> p.sadd("bigset", "new:" + n);
                    case 5 -> p.srem("bigset", "member:" + (k % 3000));
                    case 6 -> p.rpush("list", "w" + n);
                    case 7 -> p.zincrby("zset", 1, "m" + (k % 50));
                    default -> p.incr("counter:" + (k % 100));
                }
            });
            Thread.sleep(200);
            assertThat(control.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
            AppendOnlyFileTest.awaitRewrite(control, 1);
            assertThat(info(control, "ferrite_aof_last_rewrite_base")).isEqualTo("checkpoint");
            Thread.sleep(200);
            writers.stopAndCheck();
            before = AppendOnlyFileTest.fingerprint(control);
            assertThat(info(control, "ferrite_last_checkpoint_status")).isEqualTo("ok");
            assertThat(Long.parseLong(info(control, "ferrite_checkpoint_id"))).isPositive();
            Path dir = first.dir().resolve("appendonlydir");
            String base = preamble.equals("yes") ? "appendonly.aof.1.base.rdb" : "appendonly.aof.1.base.aof";
            assertThat(Files.readString(dir.resolve("appendonly.aof.manifest"))).isEqualTo(
                    "file " + base + " seq 1 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
            java.io.ByteArrayOutputStream report = new java.io.ByteArrayOutputStream();
            int status = io.ferrite.core.aof.AofCheck.run(new String[] {dir.toString()},
                    new java.io.PrintStream(report, true, StandardCharsets.UTF_8), CheckAof::checkRdb);
            assertThat(status).as(report.toString(StandardCharsets.UTF_8)).isZero();
            java.util.Optional<Path> checker = AppendOnlyFileTest.findRedisCheckAof();
            if (checker.isPresent()) {
                Process check = new ProcessBuilder(checker.get().toString(), dir.resolve("appendonly.aof.manifest").toString())
                        .redirectErrorStream(true).start();
                String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(check.waitFor()).as(output).isZero();
            }
        } finally {
            first.stop();
        }
        TestServer replayed = TestServer.startIn(first.dir(), with("checkpoints no"));
        try (Jedis jedis = connect(replayed)) {
            assertThat(AppendOnlyFileTest.fingerprint(jedis)).isEqualTo(before);
            assertThat(jedis.objectEncoding("bighash")).isEqualTo("hashtable");
            assertThat(jedis.objectEncoding("ints")).isEqualTo("intset");
            assertThat(jedis.pttl("ttl")).isPositive();
        } finally {
            replayed.stop();
        }
        TestServer restored = TestServer.startIn(first.dir(), AOF);
        try (Jedis jedis = connect(restored)) {
            assertThat(AppendOnlyFileTest.fingerprint(jedis)).isEqualTo(before);
        } finally {
            restored.close();
        }
    }

    @Test
    void aFlushallDuringTheRewriteReplaysAsTheFlushItWas() throws Exception {
        TestServer first = TestServer.start(AOF);
        try (Jedis jedis = connect(first)) {
            fill(jedis);
            jedis.bgrewriteaof();
            jedis.flushAll();
            jedis.set("after", "flush");
            AppendOnlyFileTest.awaitRewrite(jedis, 1);
        } finally {
            first.stop();
        }
        TestServer replayed = TestServer.startIn(first.dir(), with("checkpoints no"));
        try (Jedis jedis = connect(replayed)) {
            assertThat(jedis.dbSize()).isEqualTo(1);
            assertThat(jedis.get("after")).isEqualTo("flush");
            jedis.select(3);
            assertThat(jedis.dbSize()).isZero();
        } finally {
            replayed.stop();
        }
        TestServer restored = TestServer.startIn(first.dir(), AOF);
        try (Jedis jedis = connect(restored)) {
            assertThat(jedis.dbSize()).isEqualTo(1);
            assertThat(jedis.get("after")).isEqualTo("flush");
        } finally {
            restored.close();
        }
    }
}
