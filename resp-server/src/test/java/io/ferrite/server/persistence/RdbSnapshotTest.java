package io.ferrite.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * RDB snapshots through the RESP door: SAVE, BGSAVE (a point-in-time image while writes go
 * on), LASTSAVE and INFO, save points, SHUTDOWN SAVE|NOSAVE, FLUSHALL during a save, DEBUG
 * RELOAD, the load at start, and the loud refusal of a damaged snapshot.
 */
class RdbSnapshotTest {
    private static final redis.clients.jedis.commands.ProtocolCommand DEBUG = () -> "DEBUG".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final String NO_SAVE_POINTS = "save \"\"";

    private static Jedis connect(TestServer server) {
        return new Jedis(server.host(), server.port(), 30_000);
    }

    private static String digest(Jedis jedis) {
        return new String((byte[]) jedis.sendCommand(DEBUG, "DIGEST"), StandardCharsets.UTF_8);
    }

    private static String info(Jedis jedis, String field) {
        for (String line : jedis.info("persistence").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO persistence");
    }

    private static void awaitNoSave(Jedis jedis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!info(jedis, "rdb_bgsave_in_progress").equals("0")) {
            assertThat(System.currentTimeMillis()).as("the save ends").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void saveThenRestartGivesBackEveryTypeWithExpiries() throws Exception {
        TestServer first = TestServer.start(NO_SAVE_POINTS);
        String before;
        long ttl;
        try (Jedis jedis = connect(first)) {
            jedis.set("string", "hello");
            jedis.set("number", "12345");
            jedis.set("expiring", "soon", SetParams.setParams().px(3_600_000));
            jedis.set("expired", "gone", SetParams.setParams().px(1));
            jedis.hset("hash", Map.of("a", "1", "b", "2"));
            jedis.sadd("intset", "1", "2", "3");
            jedis.sadd("set", "x", "y");
            jedis.rpush("list", "a", "b", "c");
            jedis.zadd("zset", Map.of("a", 1.5, "b", -2.0));
            jedis.select(5);
            jedis.set("db5", "five");
            jedis.select(0);
            before = digest(jedis);
            ttl = jedis.pexpireTime("expiring");
            long lastBefore = jedis.lastsave();
            Thread.sleep(1100);
            assertThat(jedis.save()).isEqualTo("OK");
            assertThat(jedis.lastsave()).isGreaterThan(lastBefore);
            assertThat(info(jedis, "rdb_saves")).isEqualTo("1");
            assertThat(info(jedis, "rdb_last_bgsave_status")).isEqualTo("ok");
            assertThat(info(jedis, "rdb_changes_since_last_save")).isEqualTo("0");
            jedis.set("after-save", "not in the file");
            assertThat(Long.parseLong(info(jedis, "rdb_changes_since_last_save"))).isPositive();
        }
        first.stop();
        TestServer second = TestServer.startIn(first.dir(), NO_SAVE_POINTS);
        try (Jedis jedis = connect(second)) {
            assertThat(jedis.exists("after-save")).isFalse();
            assertThat(digest(jedis)).isEqualTo(before);
            assertThat(jedis.pexpireTime("expiring")).isEqualTo(ttl);
            assertThat(jedis.objectEncoding("intset")).isEqualTo("intset");
            assertThat(jedis.objectEncoding("hash")).isEqualTo("listpack");
            assertThat(info(jedis, "rdb_last_load_keys_loaded")).isEqualTo("9");
        } finally {
            second.close();
        }
    }

    /** Keys written after BGSAVE answered are not in the file; keys there before are, as they were. */
    @Test
    void bgsaveIsAPointInTimeImageWhileWritesGoOn() throws Exception {
        int keys = 100_000;
        TestServer first = TestServer.start(NO_SAVE_POINTS);
        try (Jedis jedis = connect(first)) {
            Pipeline fill = jedis.pipelined();
            for (int i = 0; i < keys; i++) {
                fill.set("k" + i, "old" + i);
                if (i % 10 == 0) {
                    fill.hset("h" + i, "f", "old");
                }
            }
            fill.sync();
            assertThat(jedis.bgsave()).isEqualTo("Background saving started");
            assertThatThrownBy(jedis::bgsave).hasMessage("ERR Background save already in progress");
            Pipeline change = jedis.pipelined();
            for (int i = keys - 1; i >= 0; i--) {
                if (i % 3 == 0) {
                    change.del("k" + i);
                } else {
                    change.set("k" + i, "new" + i);
                }
                if (i % 10 == 0) {
                    change.hset("h" + i, "f", "new");
                    change.hset("h" + i, "g", "new");
                }
                change.set("fresh" + i, "x");
            }
            change.sync();
            awaitNoSave(jedis);
            assertThat(info(jedis, "rdb_last_bgsave_status")).isEqualTo("ok");
        }
        first.stop();
        TestServer second = TestServer.startIn(first.dir(), NO_SAVE_POINTS);
        try (Jedis jedis = connect(second)) {
            assertThat(jedis.dbSize()).isEqualTo(keys + keys / 10);
            for (int i = 0; i < keys; i += 7) {
                assertThat(jedis.get("k" + i)).isEqualTo("old" + i);
                assertThat(jedis.exists("fresh" + i)).isFalse();
            }
            for (int i = 0; i < keys; i += 70) {
                assertThat(jedis.hgetAll("h" + i)).isEqualTo(Map.of("f", "old"));
            }
        } finally {
            second.close();
        }
    }

    /**
     * With the data four times maxmemory, most keys are on disk: the save reads them from its
     * own thread, and writes on the event loops that meet a cold key not imaged yet wait for
     * its read like any cold command, image included.
     */
    @Test
    void bgsaveOfADatasetLargerThanMemoryWithWritesOnColdKeys() throws Exception {
        String[] tiered = {NO_SAVE_POINTS, "maxmemory 8mb", "page-size 16kb", "shards 2", "databases 1", "mutable-size 1mb",
                "readonly-size 1mb", "cold-block-size 4kb", "pagecache-reads no"}; // cold reads really wait
        int keys = 8_000;
        TestServer first = TestServer.start(tiered);
        try (Jedis jedis = connect(first)) {
            Pipeline fill = jedis.pipelined();
            for (int i = 0; i < keys; i++) {
                fill.set("k" + i, randomValue(i));
            }
            fill.sync();
            assertThat(jedis.bgsave()).isEqualTo("Background saving started");
            Pipeline change = jedis.pipelined();
            for (int i = 0; i < keys; i += 3) { // the oldest keys first: those are on disk
                change.set("k" + i, "new");
            }
            change.sync();
            awaitNoSave(jedis);
            assertThat(info(jedis, "rdb_last_bgsave_status")).isEqualTo("ok");
            String waits = java.util.Arrays.stream(jedis.info("memory").split("\r\n"))
                    .filter(l -> l.startsWith("ferrite_hlog_disk_read_waits:")).findFirst().orElseThrow();
            assertThat(Long.parseLong(waits.substring(waits.indexOf(':') + 1))).as("commands waited for cold keys").isPositive();
        }
        first.stop();
        TestServer second = TestServer.startIn(first.dir(), tiered);
        try (Jedis jedis = connect(second)) {
            assertThat(jedis.dbSize()).isEqualTo(keys);
            for (int i = 0; i < keys; i += 97) {
                assertThat(jedis.get("k" + i)).isEqualTo(randomValue(i));
            }
        } finally {
            second.close();
        }
    }

    /** 4000 letters that compress poorly, the same for the same {@code seed}. */
    private static String randomValue(int seed) {
        java.util.Random random = new java.util.Random(seed);
        char[] text = new char[4000];
        for (int i = 0; i < text.length; i++) {
            text[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(text);
    }

    /** A BGSAVE and a BGREWRITEAOF at once, under writes: both images are taken, each whole. */
    @Test
    void bgsaveAndBgrewriteaofRunTogether() throws Exception {
        TestServer first = TestServer.start(NO_SAVE_POINTS, "appendonly yes");
        String atSave;
        String atEnd;
        try (Jedis jedis = connect(first)) {
            Pipeline fill = jedis.pipelined();
            for (int i = 0; i < 50_000; i++) {
                fill.set("k" + i, "v" + i);
                if (i % 100 == 0) {
                    fill.sadd("s" + i, "a", "b");
                }
            }
            fill.sync();
            atSave = digest(jedis);
            jedis.bgrewriteaof();
            jedis.bgsave();
            Pipeline change = jedis.pipelined();
            for (int i = 0; i < 50_000; i += 2) {
                change.set("k" + i, "changed");
                if (i % 100 == 0) {
                    change.sadd("s" + i, "c");
                }
            }
            change.sync();
            awaitNoSave(jedis);
            long deadline = System.currentTimeMillis() + 60_000;
            while (!info(jedis, "aof_rewrite_in_progress").equals("0")) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                Thread.sleep(20);
            }
            atEnd = digest(jedis);
        }
        first.stop();
        TestServer fromAof = TestServer.startIn(first.dir(), NO_SAVE_POINTS, "appendonly yes");
        try (Jedis jedis = connect(fromAof)) {
            assertThat(digest(jedis)).as("the AOF has every write").isEqualTo(atEnd);
        } finally {
            fromAof.stop();
        }
        TestServer fromRdb = TestServer.startIn(first.dir(), NO_SAVE_POINTS);
        try (Jedis jedis = connect(fromRdb)) {
            assertThat(digest(jedis)).as("the snapshot shows the dataset at BGSAVE").isEqualTo(atSave);
        } finally {
            fromRdb.close();
        }
    }

    @Test
    void aSavePointSavesInTheBackground() throws Exception {
        try (TestServer server = TestServer.start("save \"1 1\""); Jedis jedis = connect(server)) {
            jedis.set("a", "1");
            long deadline = System.currentTimeMillis() + 20_000;
            while (info(jedis, "rdb_saves").equals("0")) {
                assertThat(System.currentTimeMillis()).as("a save within the save point").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(Files.exists(server.dir().resolve("dump.rdb"))).isTrue();
            assertThat(jedis.configGet("save")).containsEntry("save", "1 1");
        }
    }

    @Test
    void shutdownSavesWithSavePointsOrSaveAndNotWithNosave() throws Exception {
        TestServer nosave = TestServer.start();
        try (Jedis jedis = connect(nosave)) {
            jedis.set("a", "1");
            jedis.sendCommand(Protocol.Command.SHUTDOWN, "NOSAVE");
        } catch (Exception expected) {
            // the connection closes
        }
        assertThat(Files.exists(nosave.dir().resolve("dump.rdb"))).isFalse();
        nosave.close();

        TestServer save = TestServer.start(NO_SAVE_POINTS);
        try (Jedis jedis = connect(save)) {
            jedis.set("a", "1");
            jedis.sendCommand(Protocol.Command.SHUTDOWN, "SAVE");
        } catch (Exception expected) {
            // the connection closes
        }
        save.stop();
        TestServer again = TestServer.startIn(save.dir(), NO_SAVE_POINTS);
        try (Jedis jedis = connect(again)) {
            assertThat(jedis.get("a")).isEqualTo("1");
        } finally {
            again.close();
        }
    }

    /** A shutdown while the data is still loading must not replace the snapshot with part of it. */
    @Test
    void noShutdownSaveWhileLoading() throws Exception {
        try (TestServer server = TestServer.start(NO_SAVE_POINTS); Jedis jedis = connect(server)) {
            jedis.set("a", "1");
            Persistence persistence = server.context().persistence();
            persistence.loading().expect(); // as during the load at start or DEBUG RELOAD
            try {
                assertThat(persistence.prepareShutdown(true, false)).isTrue();
                assertThat(Files.exists(server.dir().resolve("dump.rdb"))).isFalse();
            } finally {
                persistence.loading().end();
            }
        }
    }

    @Test
    void flushallWithSavePointsSavesTheEmptyDatasetAndRestartsASaveInProgress() throws Exception {
        TestServer first = TestServer.start("save \"3600 1\"");
        try (Jedis jedis = connect(first)) {
            Pipeline fill = jedis.pipelined();
            for (int i = 0; i < 50_000; i++) {
                fill.set("k" + i, "v" + i);
            }
            fill.sync();
            jedis.bgsave();
            jedis.flushAll();
            jedis.set("after-flush", "1");
            awaitNoSave(jedis);
            assertThat(info(jedis, "rdb_last_bgsave_status")).isEqualTo("ok");
            // no save running: FLUSHALL saves the empty dataset at once, the dirty counter back to 0
            jedis.set("x", "1");
            jedis.flushAll();
            assertThat(info(jedis, "rdb_changes_since_last_save")).isEqualTo("0");
            jedis.set("after-flush", "1");
            jedis.bgsave();
            awaitNoSave(jedis);
        }
        first.stop();
        TestServer second = TestServer.startIn(first.dir(), NO_SAVE_POINTS);
        try (Jedis jedis = connect(second)) {
            // the file shows the dataset just after the flush: empty, or with the key written next
            assertThat(jedis.dbSize()).isLessThanOrEqualTo(1);
            assertThat(jedis.exists("k1")).isFalse();
        } finally {
            second.close();
        }
    }

    @Test
    void debugReloadSavesAndLoadsBackWithTheSameEncodings() throws Exception {
        try (TestServer server = TestServer.start(NO_SAVE_POINTS); Jedis jedis = connect(server)) {
            jedis.hset("hash", Map.of("a", "1"));
            jedis.sadd("set", "1", "2");
            jedis.set("s", "v", SetParams.setParams().ex(1000));
            for (int i = 0; i < 600; i++) {
                jedis.hset("bighash", "f" + i, "v");
            }
            String before = digest(jedis);
            assertThat(jedis.sendCommand(DEBUG, "RELOAD")).isEqualTo("OK".getBytes(StandardCharsets.UTF_8));
            assertThat(digest(jedis)).isEqualTo(before);
            assertThat(jedis.objectEncoding("hash")).isEqualTo("listpack");
            assertThat(jedis.objectEncoding("bighash")).isEqualTo("hashtable");
            assertThat(jedis.objectEncoding("set")).isEqualTo("intset");
            // NOSAVE loads the file as it is; MERGE NOFLUSH keeps what the file lacks
            jedis.set("only-in-memory", "x");
            jedis.sendCommand(DEBUG, "RELOAD", "NOSAVE");
            assertThat(jedis.exists("only-in-memory")).isFalse();
            jedis.set("only-in-memory", "x");
            jedis.hset("hash", "a", "changed");
            jedis.sendCommand(DEBUG, "RELOAD", "NOSAVE", "NOFLUSH", "MERGE");
            assertThat(jedis.get("only-in-memory")).isEqualTo("x");
            assertThat(jedis.hget("hash", "a")).isEqualTo("1");
            // without MERGE, a key in memory and in the file is an error, as in Redis
            assertThatThrownBy(() -> jedis.sendCommand(DEBUG, "RELOAD", "NOSAVE", "NOFLUSH"))
                    .hasMessage("ERR Error trying to load the RDB dump, check server logs.");
            assertThatThrownBy(() -> jedis.sendCommand(DEBUG, "RELOAD", "FAST"))
                    .hasMessage("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
        }
    }

    /**
     * Without checkpoints of the log (with them, a restart restores the checkpoint written with
     * the snapshot and does not read the snapshot: CheckpointRestartTest).
     */
    @Test
    void aDamagedSnapshotStopsTheStartWithTheFileNamed() throws Exception {
        TestServer first = TestServer.start(NO_SAVE_POINTS, "checkpoints no");
        try (Jedis jedis = connect(first)) {
            for (int i = 0; i < 100; i++) {
                jedis.set("key" + i, "value" + i);
            }
            jedis.save();
        }
        first.stop();
        Path dump = first.dir().resolve("dump.rdb");
        byte[] good = Files.readAllBytes(dump);
        byte[] flipped = good.clone();
        int at = new String(flipped, StandardCharsets.ISO_8859_1).indexOf("value50");
        flipped[at + 1] ^= 0x20;
        Files.write(dump, flipped);
        assertThatThrownBy(() -> TestServer.startIn(first.dir(), NO_SAVE_POINTS))
                .hasMessageContaining("dump.rdb").hasMessageContaining("checksum");
        Files.write(dump, java.util.Arrays.copyOf(good, good.length - 20));
        assertThatThrownBy(() -> TestServer.startIn(first.dir(), NO_SAVE_POINTS)).hasMessageContaining("dump.rdb");
        Files.write(dump, "NOT AN RDB".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> TestServer.startIn(first.dir(), NO_SAVE_POINTS))
                .hasMessageContaining("dump.rdb").hasMessageContaining("not an RDB file");
        Files.write(dump, good);
        TestServer repaired = TestServer.startIn(first.dir(), NO_SAVE_POINTS);
        try (Jedis jedis = connect(repaired)) {
            assertThat(jedis.get("key50")).isEqualTo("value50");
        } finally {
            repaired.close();
        }
    }

    /** A save that fails makes writes answer MISCONF while save points are set, as Redis's stop-writes-on-bgsave-error does. */
    @Test
    void aFailedSaveIsReportedAndStopsWrites() throws Exception {
        try (TestServer server = TestServer.start("save \"3600 1\"", "dbfilename blocked.rdb"); Jedis jedis = connect(server)) {
            // the rename over a non-empty directory fails
            Files.createDirectories(server.dir().resolve("blocked.rdb").resolve("inside"));
            jedis.set("a", "1");
            assertThatThrownBy(jedis::save).isInstanceOf(JedisDataException.class).hasMessageStartingWith("ERR ");
            assertThat(info(jedis, "rdb_last_bgsave_status")).isEqualTo("err");
            assertThatThrownBy(() -> jedis.set("b", "2")).hasMessageStartingWith("MISCONF Redis is configured to save RDB snapshots");
            assertThat(jedis.get("a")).isEqualTo("1");
            jedis.configSet("stop-writes-on-bgsave-error", "no");
            assertThat(jedis.set("b", "2")).isEqualTo("OK");
            jedis.configSet("stop-writes-on-bgsave-error", "yes");
            // neither DEBUG RELOAD nor SHUTDOWN goes on when their save fails (SHUTDOWN FORCE would)
            assertThatThrownBy(() -> jedis.sendCommand(DEBUG, "RELOAD"))
                    .hasMessage("ERR Error trying to save the DB, check server logs.");
            assertThat(jedis.get("a")).isEqualTo("1");
            assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.SHUTDOWN, "SAVE"))
                    .hasMessage("ERR Errors trying to SHUTDOWN. Check logs.");
            assertThat(jedis.ping()).isEqualTo("PONG");
            Files.delete(server.dir().resolve("blocked.rdb").resolve("inside"));
            Files.delete(server.dir().resolve("blocked.rdb"));
            assertThat(jedis.save()).isEqualTo("OK");
            assertThat(jedis.set("c", "3")).isEqualTo("OK");
            assertThat(List.of(Files.list(server.dir()).map(p -> p.getFileName().toString()).filter(n -> n.startsWith("temp-"))
                    .toArray())).isEmpty();
        }
    }

    /** rdbchecksum no writes a zero checksum, which the load does not check (as Redis). */
    @Test
    void withoutChecksumTheFooterIsZeroAndStillLoads() throws Exception {
        TestServer first = TestServer.start(NO_SAVE_POINTS, "rdbchecksum no");
        try (Jedis jedis = connect(first)) {
            jedis.set("a", "1");
            jedis.save();
        }
        first.stop();
        byte[] file = Files.readAllBytes(first.dir().resolve("dump.rdb"));
        assertThat(java.util.Arrays.copyOfRange(file, file.length - 8, file.length)).containsOnly(0);
        TestServer second = TestServer.startIn(first.dir(), NO_SAVE_POINTS);
        try (Jedis jedis = connect(second)) {
            assertThat(jedis.get("a")).isEqualTo("1");
        } finally {
            second.close();
        }
    }

    @Test
    void bgsaveRefusesArguments() throws Exception {
        try (TestServer server = TestServer.start(NO_SAVE_POINTS); Jedis jedis = connect(server)) {
            assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.BGSAVE, "NOW")).hasMessage("ERR syntax error");
            assertThat(jedis.sendCommand(Protocol.Command.BGSAVE, "SCHEDULE")).isEqualTo("Background saving started".getBytes(StandardCharsets.UTF_8));
        }
    }
}
