package io.ferrite.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.server.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/**
 * The append-only file through the RESP door: what is written survives a restart exactly
 * (every type, every command whose logged form differs from what was sent), a rewrite under
 * concurrent writes loses nothing, and damaged files give their documented outcome.
 */
class AppendOnlyFileTest {
    private static final String[] AOF = {"appendonly yes", "appendfsync always"};

    private static Jedis connect(TestServer server) {
        return new Jedis(server.host(), server.port());
    }

    /** The dataset as DEBUG DIGEST sees it (values and expiry times of every database) and its key counts. */
    static String fingerprint(Jedis jedis) {
        StringBuilder sizes = new StringBuilder();
        for (int db = 0; db < 16; db++) {
            jedis.select(db);
            sizes.append(db).append('=').append(jedis.dbSize()).append(' ');
        }
        jedis.select(0);
        Object digest = jedis.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "DIGEST");
        return (digest instanceof byte[] bytes ? new String(bytes, StandardCharsets.US_ASCII) : String.valueOf(digest)) + " " + sizes;
    }

    private static Path aofDir(TestServer server) {
        return server.dir().resolve("appendonlydir");
    }

    @Test
    void everyTypeAndEveryRewrittenFormSurvivesARestart() {
        TestServer first = TestServer.start(AOF);
        String before;
        Map<String, Long> ttls = new HashMap<>();
        try (Jedis jedis = connect(first)) {
            jedis.set("plain", "v");
            jedis.set("ex", "v", SetParams.setParams().ex(1000));
            jedis.set("px", "v", SetParams.setParams().px(500_000));
            jedis.setex("setex", 900, "v");
            jedis.psetex("psetex", 800_000, "v");
            jedis.set("keep", "v", SetParams.setParams().ex(700));
            jedis.set("keep", "w", SetParams.setParams().keepTtl());
            jedis.incr("counter");
            jedis.incrBy("counter", 41);
            jedis.incrByFloat("float", 0.1);
            jedis.incrByFloat("float", 0.2);
            jedis.append("plain", "-appended");
            jedis.setrange("plain", 1, "XY");
            jedis.setbit("bits", 77, true);
            jedis.mset("m1", "a", "m2", "b");
            jedis.set("gone", "x");
            jedis.del("gone");
            jedis.set("unlinked", "x");
            jedis.unlink("unlinked");
            jedis.set("expiring", "x");
            jedis.expire("expiring", 600);
            jedis.pexpire("plain", 650_000);
            jedis.set("persisted", "x", SetParams.setParams().ex(100));
            jedis.persist("persisted");
            jedis.set("getex", "x");
            jedis.getEx("getex", GetExParams.getExParams().ex(555));
            jedis.set("getdel", "x");
            jedis.getDel("getdel");
            jedis.set("renamed-from", "r");
            jedis.rename("renamed-from", "renamed-to");
            jedis.copy("renamed-to", "copied", false);
            jedis.set("moved", "m");
            jedis.move("moved", 1);
            jedis.expire("counter", 400, ExpiryOption.NX);
            jedis.expire("counter", 10, ExpiryOption.GT); // not performed: nothing logged
            for (int i = 0; i < 600; i++) {
                jedis.hset("bighash", "field" + i, "value" + i);
                jedis.sadd("bigset", "member" + i);
                jedis.sadd("intset", Integer.toString(i));
            }
            jedis.hset("hash", Map.of("a", "1", "b", "2", "c", "3"));
            jedis.hdel("hash", "b");
            jedis.hincrBy("hash", "n", 5);
            jedis.hincrByFloat("hash", "f", 1.25);
            jedis.hincrByFloat("bighash", "f", 3.5);
            jedis.hdel("bighash", "field7");
            jedis.srem("bigset", "member3");
            jedis.spop("bigset");
            jedis.spop("bigset", 5);
            jedis.spop("intset", 3);
            jedis.sadd("small", "x", "y", "z");
            jedis.smove("small", "other", "y");
            jedis.sinterstore("inter", "bigset", "small");
            jedis.sunionstore("union", "small", "other");
            jedis.sdiffstore("diff", "bigset", "small");
            jedis.rpush("list", "a", "b", "c", "d");
            jedis.lpush("list", "z");
            jedis.lpop("list");
            jedis.rpop("list", 2);
            jedis.zadd("zset", Map.of("a", 1.5, "b", 2.0, "c", -3.25));
            jedis.zincrby("zset", 0.1, "a");
            jedis.zrem("zset", "b");
            byte[] dump = jedis.dump("hash");
            jedis.restore("restored", 300_000, dump);
            jedis.select(2);
            jedis.set("db2", "x");
            jedis.select(3);
            jedis.set("flushed", "x");
            jedis.flushDB();
            jedis.select(0);
            before = fingerprint(jedis);
            for (String key : List.of("ex", "px", "setex", "psetex", "keep", "expiring", "plain", "getex", "counter", "restored")) {
                ttls.put(key, jedis.pexpireTime(key));
            }
            assertThat(jedis.info("persistence")).contains("aof_enabled:1").contains("ferrite_aof_unjournaled_changes:0");
        } finally {
            first.stop();
        }
        TestServer second = TestServer.startIn(first.dir(), AOF);
        try (Jedis jedis = connect(second)) {
            assertThat(fingerprint(jedis)).isEqualTo(before);
            for (Map.Entry<String, Long> ttl : ttls.entrySet()) {
                assertThat(jedis.pexpireTime(ttl.getKey())).as(ttl.getKey()).isEqualTo(ttl.getValue()).isPositive();
            }
            assertThat(jedis.get("counter")).isEqualTo("42");
            assertThat(jedis.get("float")).isEqualTo("0.3");
            assertThat(jedis.exists("gone", "unlinked", "getdel", "renamed-from", "moved")).isZero();
            assertThat(jedis.pexpireTime("persisted")).isEqualTo(-1);
            assertThat(jedis.objectEncoding("bighash")).isEqualTo("hashtable");
            jedis.select(1);
            assertThat(jedis.get("moved")).isEqualTo("m");
        } finally {
            second.close();
        }
    }

    @Test
    void theFilesAreRedis7sMultiPartLayoutAndRedisCheckAofAcceptsThem() throws Exception {
        TestServer server = TestServer.start(AOF);
        try (Jedis jedis = connect(server)) {
            jedis.set("k", "v");
            jedis.hset("h", "f", "v");
            jedis.select(5);
            jedis.sadd("s", "a");
            Path manifest = aofDir(server).resolve("appendonly.aof.manifest");
            assertThat(Files.readString(manifest)).isEqualTo("file appendonly.aof.1.incr.aof seq 1 type i\n");
            String incr = Files.readString(aofDir(server).resolve("appendonly.aof.1.incr.aof"));
            assertThat(incr).startsWith("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n")
                    .contains("*2\r\n$6\r\nSELECT\r\n$1\r\n5\r\n*3\r\n$4\r\nSADD\r\n");
            assertThat(jedis.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
            awaitRewrite(jedis, 1);
            // aof-use-rdb-preamble yes (Redis 7's default): the base is an RDB file, named as Redis names it
            assertThat(Files.readString(manifest)).isEqualTo(
                    "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
            assertThat(new String(Files.readAllBytes(aofDir(server).resolve("appendonly.aof.1.base.rdb")), 0, 9,
                    StandardCharsets.US_ASCII)).isEqualTo("REDIS0010");
            assertThat(Files.exists(aofDir(server).resolve("appendonly.aof.1.incr.aof"))).isFalse();
            jedis.set("after", "rewrite");
            java.util.Optional<Path> checker = findRedisCheckAof();
            if (checker.isPresent()) {
                Process check = new ProcessBuilder(checker.get().toString(), manifest.toString()).redirectErrorStream(true).start();
                String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(check.waitFor()).as(output).isZero();
                assertThat(output).contains("All AOF files and manifest are valid");
            }
        } finally {
            server.close();
        }
    }

    static java.util.Optional<Path> findRedisCheckAof() {
        for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, "redis-check-aof");
            if (Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    static void awaitRewrite(Jedis jedis, int rewrites) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            String info = jedis.info("persistence");
            if (info.contains("aof_rewrites:" + rewrites) && info.contains("aof_rewrite_in_progress:0")) {
                assertThat(info).contains("aof_last_bgrewrite_status:ok");
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the rewrite did not finish: " + jedis.info("persistence"));
    }

    /**
     * Writers of every kind keep going while the AOF is rewritten twice: after a restart the
     * dataset equals what it was when they stopped, so no write fell between the old files
     * and the new base, and none was applied twice (RPUSH, INCR and APPEND would show it).
     * With checkpoints the base comes from the checkpoint the rewrite froze; without, from a
     * point-in-time image, and the restart replays the files whole.
     */
    @ParameterizedTest(name = "checkpoints {0}")
    @ValueSource(strings = {"yes", "no"})
    void aRewriteUnderConcurrentWritesLosesAndRepeatsNothing(String checkpoints) throws Exception {
        TestServer first = TestServer.start(AOF[0], "appendfsync everysec", "checkpoints " + checkpoints);
        String before;
        try (Jedis control = connect(first)) {
            for (int i = 0; i < 3000; i++) {
                control.rpush("list" + (i % 10), "x" + i);
                control.hset("hash" + (i % 7), "f" + i, "v" + i);
            }
            PipelinedWriters writers = PipelinedWriters.start(first, 4, 20, true, (p, random, id, n) -> {
                int k = random.nextInt(50);
                switch (random.nextInt(8)) {
                    case 0 -> p.incr("counter" + k);
                    case 1 -> p.rpush("list" + (k % 10), "w" + id + "-" + n);
                    case 2 -> p.append("text" + k, "+" + n);
                    case 3 -> p.hincrBy("hash" + (k % 7), "n" + k, 1);
                    case 4 -> p.sadd("set" + (k % 5), "m" + n);
                    case 5 -> p.rename("text" + k, "text" + random.nextInt(50));
                    case 6 -> p.smove("set" + (k % 5), "set" + random.nextInt(5), "m" + (n - 3));
                    default -> p.del("counter" + random.nextInt(50));
                }
            });
            Thread.sleep(300);
            control.bgrewriteaof();
            awaitRewrite(control, 1);
            Thread.sleep(200);
            control.bgrewriteaof();
            awaitRewrite(control, 2);
            assertThat(control.info("persistence")).contains("ferrite_aof_last_rewrite_base:"
                    + (checkpoints.equals("yes") ? "checkpoint" : "image"));
            Thread.sleep(200);
            writers.stopAndCheck();
            before = fingerprint(control);
        } finally {
            first.stop();
        }
        TestServer second = TestServer.startIn(first.dir(), AOF[0], AOF[1], "checkpoints " + checkpoints);
        try (Jedis jedis = connect(second)) {
            assertThat(fingerprint(jedis)).isEqualTo(before);
        } finally {
            second.close();
        }
    }

    private static Path writeSomeAndStop(String... config) {
        TestServer server = TestServer.start(config);
        try (Jedis jedis = connect(server)) {
            for (int i = 0; i < 100; i++) {
                jedis.set("key" + i, "value" + i);
            }
        } finally {
            server.stop();
        }
        return server.dir();
    }

    /** Cuts the last {@code bytes} bytes off {@code file}, as a crash in the middle of a write leaves it. */
    private static void cutTail(Path file, int bytes) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - bytes);
        }
    }

    private static Path incr(Path dir) {
        return dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
    }

    @Test
    void aCutOffLastCommandIsDroppedAndTheFileTruncated() throws IOException {
        Path dir = writeSomeAndStop(AOF);
        Path incr = incr(dir);
        cutTail(incr, 5); // the last SET loses its tail, as in a crash mid-write
        TestServer restarted = TestServer.startIn(dir, AOF);
        try (Jedis jedis = connect(restarted)) {
            assertThat(jedis.dbSize()).isEqualTo(99);
            assertThat(jedis.get("key98")).isEqualTo("value98");
            assertThat(jedis.exists("key99")).isFalse();
            jedis.set("key99", "again"); // appends after the last complete command
        } finally {
            restarted.stop();
        }
        TestServer third = TestServer.startIn(dir, AOF);
        try (Jedis jedis = connect(third)) {
            assertThat(jedis.get("key99")).isEqualTo("again");
            assertThat(jedis.dbSize()).isEqualTo(100);
        } finally {
            third.close();
        }
    }

    @Test
    void aCutOffLastCommandStopsTheStartWhenAofLoadTruncatedIsOff() throws IOException {
        Path dir = writeSomeAndStop(AOF);
        Path incr = incr(dir);
        long size = Files.size(incr);
        cutTail(incr, 5);
        assertThatThrownBy(() -> TestServer.startIn(dir, AOF[0], AOF[1], "aof-load-truncated no"))
                .hasMessageContaining("appendonly.aof.1.incr.aof")
                .hasMessageContaining("the last command is cut off")
                .hasMessageContaining("aof-load-truncated is off")
                .hasMessageContaining("check-aof --fix");
        assertThat(Files.size(incr)).isEqualTo(size - 5); // refused without touching it
    }

    @ParameterizedTest
    @ValueSource(strings = {"$", "*", "\r"})
    void corruptionInTheMiddleStopsTheStartNamingTheFileAndOffset(String damage) throws IOException {
        Path dir = writeSomeAndStop(AOF);
        Path incr = incr(dir);
        byte[] bytes = Files.readAllBytes(incr);
        int at = bytes.length / 2;
        while (bytes[at] != '*') {
            at++; // the start of a command in the middle of the file
        }
        int offset = switch (damage) {
            case "*" -> 0; // the command's start
            case "$" -> 4; // its first argument's marker
            default -> 2; // the CRLF after its argument count
        };
        bytes[at + offset] = (byte) 'Q';
        Files.write(incr, bytes);
        int commandStart = at;
        assertThatThrownBy(() -> TestServer.startIn(dir, AOF))
                .hasMessageContaining("Bad file format reading the append only file")
                .hasMessageContaining("appendonly.aof.1.incr.aof")
                .hasMessageContaining("at offset " + commandStart);
    }

    /**
     * A cut in the base file is not the last command of the AOF: it stops the start, never drops
     * later files. Without checkpoints of the log: with them, the rewrite takes a checkpoint and
     * a restart replays only the AOF after it, never reading the base (CheckpointRestartTest).
     */
    @Test
    void aDamagedBaseFileStopsTheStartEvenWhenOnlyItsEndIsCut() throws Exception {
        Path dir = rewriteOnceAndStop(AOF[0], AOF[1], "checkpoints no");
        cutTail(dir.resolve("appendonlydir").resolve("appendonly.aof.1.base.aof"), 3);
        assertThatThrownBy(() -> TestServer.startIn(dir, AOF))
                .hasMessageContaining("appendonly.aof.1.base.aof")
                .hasMessageContaining("the last command is cut off");
    }

    /** The same for a base in RDB form: a cut one (its checksum and EOF gone) stops the start naming the file. */
    @Test
    void aDamagedRdbBaseStopsTheStart() throws Exception {
        Path dir = rewriteOnceAndStop(AOF);
        Path base = dir.resolve("appendonlydir").resolve("appendonly.aof.1.base.rdb");
        assertThat(CheckAof.checkRdb(base)).isEqualTo(100);
        cutTail(base, 3);
        assertThatThrownBy(() -> TestServer.startIn(dir, AOF[0], AOF[1], "checkpoints no"))
                .hasMessageContaining("appendonly.aof.1.base.rdb");
        assertThatThrownBy(() -> CheckAof.checkRdb(base)).isInstanceOf(Exception.class);
    }

    /** 100 keys, a rewrite, one more write, a stop: the data directory. */
    private static Path rewriteOnceAndStop(String... config) throws InterruptedException {
        TestServer server = TestServer.start(config);
        try (Jedis jedis = connect(server)) {
            for (int i = 0; i < 100; i++) {
                jedis.set("key" + i, "value" + i);
            }
            jedis.bgrewriteaof();
            awaitRewrite(jedis, 1);
            jedis.set("after", "the rewrite");
        } finally {
            server.stop();
        }
        return server.dir();
    }

    /**
     * A MULTI/EXEC transaction in the file (as Redis writes them) is applied as one unit; one a
     * crash cut off before its EXEC is dropped whole and the file truncated before its MULTI
     * (aof-load-truncated yes), or stops the start (no).
     */
    @Test
    void aTransactionCutOffBeforeItsExecIsNeverHalfApplied() throws IOException {
        Path dir = writeSomeAndStop(AOF);
        long before = Files.size(incr(dir));
        java.io.ByteArrayOutputStream tail = new java.io.ByteArrayOutputStream();
        for (String[] command : List.of(new String[] {"MULTI"}, new String[] {"SET", "t1", "a"}, new String[] {"INCR", "n"},
                new String[] {"EXEC"}, new String[] {"MULTI"}, new String[] {"SET", "t2", "b"}, new String[] {"INCR", "n"})) {
            tail.writeBytes(io.ferrite.core.aof.RespCommand.ofWords(command));
        }
        Files.write(incr(dir), tail.toByteArray(), java.nio.file.StandardOpenOption.APPEND);
        long complete = before + io.ferrite.core.aof.RespCommand.ofWords("MULTI").length
                + io.ferrite.core.aof.RespCommand.ofWords("SET", "t1", "a").length
                + io.ferrite.core.aof.RespCommand.ofWords("INCR", "n").length + io.ferrite.core.aof.RespCommand.ofWords("EXEC").length;
        assertThatThrownBy(() -> TestServer.startIn(dir, AOF[0], AOF[1], "aof-load-truncated no"))
                .hasMessageContaining("inside a MULTI/EXEC transaction");
        TestServer server = TestServer.startIn(dir, AOF);
        try (Jedis jedis = connect(server)) {
            assertThat(jedis.get("t1")).isEqualTo("a");
            assertThat(jedis.get("n")).isEqualTo("1");
            assertThat(jedis.exists("t2")).isFalse();
            assertThat(jedis.get("key99")).isEqualTo("value99");
        } finally {
            server.stop();
        }
        assertThat(Files.size(incr(dir))).isGreaterThanOrEqualTo(complete);
        assertThat(new String(Files.readAllBytes(incr(dir)), StandardCharsets.ISO_8859_1)).doesNotContain("t2");
    }

    @Test
    void aCommandFerriteDoesNotKnowStopsTheStart() throws IOException {
        Path dir = writeSomeAndStop(AOF);
        Files.write(incr(dir), "*2\r\n$7\r\nNOSUCH!\r\n$1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII),
                java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> TestServer.startIn(dir, AOF))
                .hasMessageContaining("Unknown command 'NOSUCH!' reading the append only file")
                .hasMessageContaining("appendonly.aof.1.incr.aof");
    }

    @Test
    void aManifestNamingAMissingFileStopsTheStart() throws IOException {
        Path dir = writeSomeAndStop(AOF);
        Files.delete(incr(dir));
        assertThatThrownBy(() -> TestServer.startIn(dir, AOF))
                .hasMessageContaining("appendonly.aof.1.incr.aof named by the manifest does not exist");
    }

    @Test
    void anUnreadableManifestStopsTheStart() throws IOException {
        Path dir = writeSomeAndStop(AOF);
        Files.writeString(dir.resolve("appendonlydir").resolve("appendonly.aof.manifest"), "file x seq one type i\n");
        assertThatThrownBy(() -> TestServer.startIn(dir, AOF)).hasMessageContaining("Invalid AOF manifest sequence 'one'");
    }

    /** A disk that refuses writes (here /dev/full): writes are refused with Redis's MISCONF error, reads go on. */
    @Test
    void writesAreRefusedWhileTheAofCannotBeWritten() throws Exception {
        Path devFull = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(devFull));
        Path dir = writeSomeAndStop(AOF[0], "appendfsync everysec");
        Files.delete(incr(dir));
        Files.createSymbolicLink(incr(dir), devFull);
        TestServer server = TestServer.startIn(dir, AOF[0], "appendfsync everysec");
        try (Jedis jedis = connect(server)) {
            jedis.set("doomed", "x"); // accepted; the writer then fails to write it
            long deadline = System.currentTimeMillis() + 10_000;
            while (!jedis.info("persistence").contains("aof_last_write_status:err") && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThatThrownBy(() -> jedis.set("refused", "x"))
                    .isInstanceOf(JedisDataException.class)
                    .hasMessage("MISCONF Errors writing to the AOF file: No space left on device");
            assertThat(jedis.get("doomed")).isEqualTo("x");
        } finally {
            server.close();
        }
    }

    @Test
    void appendonlyCanBeTurnedOnAtRunTimeAndStartsWithTheWholeDataset() throws Exception {
        TestServer first = TestServer.start();
        String before;
        try (Jedis jedis = connect(first)) {
            for (int i = 0; i < 1000; i++) {
                jedis.set("before" + i, "v" + i);
            }
            jedis.hset("h", "f", "v");
            assertThat(jedis.configSet("appendonly", "yes")).isEqualTo("OK");
            awaitRewrite(jedis, 1);
            jedis.set("after", "x");
            jedis.configSet("appendfsync", "always");
            assertThat(jedis.info("persistence")).contains("aof_enabled:1").contains("ferrite_aof_fsync:always");
            before = fingerprint(jedis);
        } finally {
            first.stop();
        }
        TestServer second = TestServer.startIn(first.dir(), AOF);
        try (Jedis jedis = connect(second)) {
            assertThat(fingerprint(jedis)).isEqualTo(before);
            assertThat(jedis.configSet("appendonly", "no")).isEqualTo("OK");
            assertThat(jedis.info("persistence")).contains("aof_enabled:0");
            assertThatThrownBy(jedis::bgrewriteaof).hasMessageContaining("only while appendonly is yes");
        } finally {
            second.close();
        }
    }

    /** DEBUG LOADAOF (Redis's test suites use it): fsync, empty, reload from the files; nothing is logged twice. */
    @Test
    void debugLoadaofReloadsTheDatasetFromTheFiles() throws Exception {
        TestServer server = TestServer.start(AOF);
        try (Jedis jedis = connect(server)) {
            jedis.set("a", "1", SetParams.setParams().ex(100));
            jedis.hset("h", "f", "v");
            jedis.rpush("l", "x", "y");
            String before = fingerprint(jedis);
            long size = Files.size(aofDir(server).resolve("appendonly.aof.1.incr.aof"));
            Object reply = jedis.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "LOADAOF");
            assertThat(new String((byte[]) reply, StandardCharsets.US_ASCII)).isEqualTo("OK");
            assertThat(fingerprint(jedis)).isEqualTo(before);
            assertThat(Files.size(aofDir(server).resolve("appendonly.aof.1.incr.aof"))).isEqualTo(size);
            jedis.set("after", "x"); // logging goes on
            assertThat(jedis.info("persistence")).contains("loading:0");
        } finally {
            server.close();
        }
        TestServer off = TestServer.start();
        try (Jedis jedis = connect(off)) {
            assertThatThrownBy(() -> jedis.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "LOADAOF"))
                    .hasMessageContaining("appendonly is no");
        } finally {
            off.close();
        }
    }

    /**
     * The AOF switched off and on ten times under pipelined writes with appendfsync always:
     * replies held for an fsync are still sent (no client is left waiting) and no write is lost.
     */
    @Test
    void switchingTheAofOffAndOnUnderWritesLeavesNoClientWaiting() throws Exception {
        TestServer server = TestServer.start(AOF);
        try (Jedis control = connect(server)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger acknowledged = new AtomicInteger();
            Thread writer = Thread.ofPlatform().start(() -> {
                try (Jedis jedis = connect(server)) {
                    while (!stop.get()) {
                        Pipeline p = jedis.pipelined();
                        for (int i = 0; i < 50; i++) {
                            p.incr("counter");
                        }
                        p.sync();
                        acknowledged.addAndGet(50);
                    }
                }
            });
            for (int i = 0; i < 10; i++) {
                control.configSet("appendonly", "no");
                Thread.sleep(20);
                control.configSet("appendonly", "yes");
                control.configSet("appendfsync", "always");
                Thread.sleep(20);
            }
            stop.set(true);
            writer.join(10_000);
            assertThat(writer.isAlive()).as("the writing client got every reply").isFalse();
            assertThat(Long.parseLong(control.get("counter"))).isEqualTo(acknowledged.get());
        } finally {
            server.close();
        }
    }

    @Test
    void aSecondRewriteWhileOneRunsIsRefused() throws Exception {
        TestServer server = TestServer.start(AOF);
        try (Jedis jedis = connect(server)) {
            Pipeline p = jedis.pipelined();
            for (int i = 0; i < 200_000; i++) {
                p.set("k" + i, "v");
            }
            p.sync();
            jedis.bgrewriteaof();
            assertThatThrownBy(jedis::bgrewriteaof).hasMessage("ERR Background append only file rewriting already in progress");
            awaitRewrite(jedis, 1);
        } finally {
            server.close();
        }
    }

    /** Keys removed by the engine itself (expiry) reach the AOF as DEL and do not come back. */
    @Test
    void expiredKeysStayGoneAfterARestart() throws Exception {
        TestServer first = TestServer.start(AOF);
        try (Jedis jedis = connect(first)) {
            jedis.set("short", "x", SetParams.setParams().px(50));
            jedis.set("long", "x");
            long deadline = System.currentTimeMillis() + 10_000;
            while (jedis.info("stats").contains("expired_keys:0") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Path incr = aofDir(first).resolve("appendonly.aof.1.incr.aof");
            String expiry = "*2\r\n$3\r\nDEL\r\n$5\r\nshort\r\n";
            while (!Files.readString(incr).endsWith(expiry) && System.currentTimeMillis() < deadline) {
                Thread.sleep(10); // written by the AOF's thread, a moment after the expiry
            }
            assertThat(Files.readString(incr)).endsWith(expiry);
        } finally {
            first.stop();
        }
        TestServer second = TestServer.startIn(first.dir(), AOF);
        try (Jedis jedis = connect(second)) {
            assertThat(jedis.exists("short")).isFalse();
            assertThat(jedis.exists("long")).isTrue();
        } finally {
            second.close();
        }
    }

    /** While a large AOF loads, commands answer -LOADING and INFO shows the progress. */
    @Test
    void commandsAnswerLoadingWhileTheAofLoads() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-loading");
        Path aofDir = Files.createDirectories(dir.resolve("appendonlydir"));
        Files.writeString(aofDir.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.incr.aof seq 1 type i\n");
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(aofDir.resolve("appendonly.aof.1.incr.aof")))) {
            for (int i = 0; i < 1_500_000; i++) {
                String key = "key" + i;
                out.write(("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$5\r\nvalue\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        int port = freePort();
        AtomicBoolean sawLoading = new AtomicBoolean();
        AtomicBoolean sawProgress = new AtomicBoolean();
        Thread probe = Thread.ofPlatform().start(() -> {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && !(sawLoading.get() && sawProgress.get())) {
                try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                    String info = jedis.info("persistence");
                    if (info.contains("loading:1") && info.contains("loading_loaded_perc:")) {
                        sawProgress.set(true);
                    } else if (info.contains("loading:0")) {
                        return; // loaded already
                    }
                    jedis.get("key1");
                } catch (JedisDataException e) {
                    if (e.getMessage().equals("LOADING Redis is loading the dataset in memory")) {
                        sawLoading.set(true);
                    }
                } catch (RuntimeException notListeningYet) {
                    // the server is not listening yet
                }
            }
        });
        TestServer server = TestServer.startIn(dir, AOF[0], "port " + port);
        probe.join();
        try (Jedis jedis = connect(server)) {
            assertThat(jedis.dbSize()).isEqualTo(1_500_000);
            assertThat(sawLoading).isTrue();
            assertThat(sawProgress).isTrue();
        } finally {
            server.close();
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
