package io.ferrite.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Restarts from checkpoints of the log, with the server as a separate process killed with
 * SIGKILL: the checkpoint written with a snapshot is restored instead of loading the snapshot
 * (the same dataset, DEBUG DIGEST equal, most of it still on disk), a snapshot that is not the
 * one it was written with is loaded instead; with the AOF on, the checkpoint is completed by
 * replaying only the AOF after its position (and an AOF rewrite takes a checkpoint of its own),
 * while one written with a snapshot is not used; a damaged checkpoint stops the start with the
 * file named unless checkpoint-fallback is on.
 */
class CheckpointRestartTest {
    private static final redis.clients.jedis.commands.ProtocolCommand DEBUG = () -> "DEBUG".getBytes(StandardCharsets.US_ASCII);
    private static final int KEYS = 40_000;
    /** A memory budget a quarter of the data: most of it is cold when the checkpoint is taken. */
    private static final String[] TIGHT = {"--save", "", "--maxmemory", "8mb", "--mutable-size", "2mb", "--readonly-size", "1mb",
            "--page-size", "64kb"};

    private static String[] tightWith(String... more) {
        String[] flags = java.util.Arrays.copyOf(TIGHT, TIGHT.length + more.length);
        System.arraycopy(more, 0, flags, TIGHT.length, more.length);
        return flags;
    }

    private static String digest(Jedis jedis) {
        return new String((byte[]) jedis.sendCommand(DEBUG, "DIGEST"), StandardCharsets.UTF_8);
    }

    private static String info(Jedis jedis, String section, String field) {
        for (String line : jedis.info(section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO " + section);
    }

    private static void fill(Jedis jedis, String version) {
        Pipeline p = jedis.pipelined();
        String pad = "x".repeat(800);
        for (int i = 0; i < KEYS; i++) {
            p.set("key:" + i, version + ":" + i + ":" + pad);
        }
        for (int i = 0; i < 3000; i++) {
            p.hset("hash", "field:" + i, version + i);
            p.sadd("set", "member:" + i);
        }
        p.hset("small", "a", version);
        p.sadd("ints", "1", "2", "3");
        p.set("ttl", version);
        p.pexpire("ttl", 3_600_000);
        p.select(3);
        p.set("db3", version);
        p.select(0);
        p.sync();
    }

    private static void bgsave(Jedis jedis) throws InterruptedException {
        long saves = Long.parseLong(info(jedis, "persistence", "rdb_saves"));
        jedis.bgsave();
        long deadline = System.currentTimeMillis() + 60_000;
        while (Long.parseLong(info(jedis, "persistence", "rdb_saves")) == saves) {
            assertThat(System.currentTimeMillis()).as("the save ends").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(info(jedis, "persistence", "rdb_last_bgsave_status")).isEqualTo("ok");
        assertThat(info(jedis, "persistence", "ferrite_last_checkpoint_status")).isEqualTo("ok");
    }

    /** Fills, saves, writes more, and is killed; returns the digest at the save. */
    private static String savedThenKilled(Path dir) throws Exception {
        ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), TIGHT);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            fill(jedis, "v1");
            String atSave = digest(jedis);
            bgsave(jedis);
            assertThat(Long.parseLong(info(jedis, "persistence", "ferrite_checkpoint_id"))).isPositive();
            fill(jedis, "v2"); // after the snapshot: lost with it, as with Redis's RDB
            jedis.del("hash");
            return atSave;
        } finally {
            server.kill();
        }
    }

    /** The newest server's log: names carry System.nanoTime(), compared as numbers (not by digits). */
    private static Path logFile(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("server-"))
                    .max(java.util.Comparator.comparingLong(CheckpointRestartTest::startedAt)).orElseThrow();
        }
    }

    private static long startedAt(Path log) {
        String name = log.getFileName().toString();
        return Long.parseLong(name.substring("server-".length(), name.length() - ".log".length()));
    }

    @Test
    void aRestartRestoresTheCheckpointWrittenWithTheSnapshot() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-checkpoint");
        String atSave = savedThenKilled(dir);
        try (ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), TIGHT);
             Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            assertThat(info(jedis, "persistence", "ferrite_restored_from_checkpoint")).isEqualTo("1");
            assertThat(digest(jedis)).isEqualTo(atSave);
            assertThat(jedis.get("key:7")).startsWith("v1:7:");
            assertThat(jedis.hlen("hash")).isEqualTo(3000);
            assertThat(jedis.pttl("ttl")).isPositive();
            assertThat(jedis.objectEncoding("ints")).isEqualTo("intset");
            assertThat(Files.readString(logFile(dir))).contains("DB restored from checkpoint");
            // It goes on like any store: writes, a new snapshot with its checkpoint, a restart.
            jedis.set("key:7", "new");
            bgsave(jedis);
            server.kill();
        }
        try (ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), TIGHT);
             Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            assertThat(info(jedis, "persistence", "ferrite_restored_from_checkpoint")).isEqualTo("1");
            assertThat(jedis.get("key:7")).isEqualTo("new");
            assertThat(jedis.dbSize()).isEqualTo(KEYS + 5);
        }
    }

    @Test
    void aSnapshotThatIsNotTheCheckpointsIsLoadedAndTheCheckpointForgotten() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-checkpoint");
        String older;
        ServerProcess first = new ServerProcess(dir, ServerProcess.freePort(), TIGHT);
        try (Jedis jedis = new Jedis("127.0.0.1", first.port, 30_000)) {
            fill(jedis, "v0");
            older = digest(jedis);
            bgsave(jedis);
        } finally {
            first.kill();
        }
        Path copy = dir.resolve("older.rdb");
        Files.copy(dir.resolve("dump.rdb"), copy);
        savedThenKilled(dir);
        Files.move(copy, dir.resolve("dump.rdb"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), TIGHT);
             Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            assertThat(info(jedis, "persistence", "ferrite_restored_from_checkpoint")).isEqualTo("0");
            assertThat(digest(jedis)).isEqualTo(older);
            assertThat(info(jedis, "persistence", "ferrite_checkpoint_id")).isEqualTo("0");
            assertThat(Files.exists(dir.resolve("hybridlog").resolve("CHECKPOINT"))).isFalse();
            assertThat(Files.readString(logFile(dir))).contains("is not the snapshot it was written with");
        }
    }

    @Test
    void withAppendonlyTheAofIsTheData() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-checkpoint");
        savedThenKilled(dir);
        try (ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), tightWith("--appendonly", "yes"));
             Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            assertThat(info(jedis, "persistence", "ferrite_restored_from_checkpoint")).isEqualTo("0");
            assertThat(jedis.dbSize()).as("no AOF yet: the data starts empty, as Redis's does").isZero();
            assertThat(Files.exists(dir.resolve("hybridlog").resolve("CHECKPOINT"))).isFalse();
        }
    }

    @Test
    void withAppendonlyTheAofAfterTheCheckpointCompletesIt() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-checkpoint");
        String[] aof = tightWith("--appendonly", "yes", "--appendfsync", "always");
        String atKill;
        ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), aof);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            fill(jedis, "v1");
            bgsave(jedis);
            // After the checkpoint: in the AOF only, replayed from the checkpoint's position.
            jedis.select(3);
            jedis.set("after", "in db 3");
            jedis.select(0);
            jedis.del("key:1");
            jedis.hset("hash", "field:0", "changed");
            jedis.incr("counter");
            atKill = digest(jedis);
        } finally {
            server.kill();
        }
        try (ServerProcess again = new ServerProcess(dir, ServerProcess.freePort(), aof);
             Jedis jedis = new Jedis("127.0.0.1", again.port, 30_000)) {
            assertThat(info(jedis, "persistence", "ferrite_restored_from_checkpoint")).isEqualTo("1");
            assertThat(digest(jedis)).isEqualTo(atKill);
            assertThat(Files.readString(logFile(dir))).contains("replaying the AOF from there")
                    .containsPattern("DB loaded from append only file: 5 commands");
            // A rewrite retires the file the checkpoint points into, so it takes a checkpoint of its own.
            long before = Long.parseLong(info(jedis, "persistence", "ferrite_checkpoint_id"));
            jedis.bgrewriteaof();
            long deadline = System.currentTimeMillis() + 60_000;
            while (Long.parseLong(info(jedis, "persistence", "ferrite_checkpoint_id")) == before) {
                assertThat(System.currentTimeMillis()).as("a checkpoint follows the rewrite").isLessThan(deadline);
                Thread.sleep(20);
            }
            jedis.set("after rewrite", "x");
            atKill = digest(jedis);
            again.kill();
        }
        try (ServerProcess again = new ServerProcess(dir, ServerProcess.freePort(), aof);
             Jedis jedis = new Jedis("127.0.0.1", again.port, 30_000)) {
            assertThat(info(jedis, "persistence", "ferrite_restored_from_checkpoint")).isEqualTo("1");
            assertThat(digest(jedis)).isEqualTo(atKill);
            assertThat(Files.readString(logFile(dir))).contains("of appendonly.aof.2.incr.aof: replaying the AOF from there");
        }
    }

    @Test
    void aShutdownWithTheAofOnAndNoSaveTakesACheckpointTheRestartStartsFrom() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-checkpoint");
        String[] aof = tightWith("--appendonly", "yes");
        String atShutdown;
        try (ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), aof);
             Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            fill(jedis, "v1");
            assertThat(info(jedis, "persistence", "ferrite_checkpoint_id")).isEqualTo("0");
            atShutdown = digest(jedis);
            jedis.shutdown();
            assertThat(server.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the server exits").isTrue();
        }
        assertThat(Files.exists(dir.resolve("hybridlog").resolve("CHECKPOINT"))).isTrue();
        assertThat(Files.exists(dir.resolve("dump.rdb"))).as("no save points, no SAVE: no snapshot").isFalse();
        try (ServerProcess again = new ServerProcess(dir, ServerProcess.freePort(), aof);
             Jedis jedis = new Jedis("127.0.0.1", again.port, 30_000)) {
            assertThat(info(jedis, "persistence", "ferrite_restored_from_checkpoint")).isEqualTo("1");
            assertThat(digest(jedis)).isEqualTo(atShutdown);
            assertThat(Files.readString(logFile(dir))).contains("replaying the AOF from there");
        }
    }

    @Test
    void aDamagedCheckpointStopsTheStartUnlessFallbackIsOn() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-checkpoint");
        String atSave = savedThenKilled(dir);
        Path file;
        try (Stream<Path> files = Files.walk(dir.resolve("hybridlog"))) {
            file = files.filter(p -> p.getFileName().toString().endsWith(".ckpt")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        assertThatThrownBy(() -> new ServerProcess(dir, ServerProcess.freePort(), TIGHT))
                .hasMessageContaining("the server exited");
        assertThat(Files.readString(logFile(dir))).contains("corrupt checkpoint file " + file).contains("checksum mismatch");
        try (ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), tightWith("--checkpoint-fallback", "yes"));
             Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            assertThat(info(jedis, "persistence", "ferrite_restored_from_checkpoint")).isEqualTo("0");
            assertThat(digest(jedis)).as("the snapshot was loaded instead").isEqualTo(atSave);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("hybridlog.unrestorable-"));
            }
            assertThat(Files.readString(logFile(dir))).contains("checkpoint-fallback is on");
        }
    }

    @Test
    void flushallWithSavePointsForgetsTheCheckpoint() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-checkpoint");
        String[] savePoints = TIGHT.clone();
        savePoints[1] = "3600 1";
        try (ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), savePoints);
             Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            fill(jedis, "v1");
            bgsave(jedis);
            assertThat(Files.exists(dir.resolve("hybridlog").resolve("CHECKPOINT"))).isTrue();
            jedis.flushAll();
            assertThat(Files.exists(dir.resolve("hybridlog").resolve("CHECKPOINT"))).as("forgotten with the flush").isFalse();
            assertThat(info(jedis, "persistence", "ferrite_checkpoint_id")).isEqualTo("0");
            server.kill();
        }
        try (ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), savePoints);
             Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            assertThat(jedis.dbSize()).isZero();
            assertThat(info(jedis, "persistence", "ferrite_restored_from_checkpoint")).isEqualTo("0");
        }
    }
}
