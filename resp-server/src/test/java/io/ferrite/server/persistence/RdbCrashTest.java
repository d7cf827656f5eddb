package io.ferrite.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Crash tests of snapshots: the server runs as a separate process and is killed with SIGKILL
 * at a random moment of a BGSAVE; the next start loads the previous snapshot or the new one,
 * whole, never a part of one, and removes the unfinished temp file. SIGTERM saves first when
 * save points are set, as Redis does.
 */
class RdbCrashTest {
    private static final int KEYS = 100_000;

    private static void setAll(Jedis jedis, String version) {
        setAll(jedis, version, 0);
    }

    /** Sets every key to {@code version}, its number and {@code padding} more bytes. */
    private static void setAll(Jedis jedis, String version, int padding) {
        String pad = padding == 0 ? "" : ":" + "p".repeat(padding);
        Pipeline pipeline = jedis.pipelined();
        for (int i = 0; i < KEYS; i++) {
            pipeline.set("k" + i, version + ":" + i + pad);
        }
        pipeline.sync();
    }

    /** How many keys hold each version. */
    private static Map<String, Integer> versions(Jedis jedis) {
        Pipeline pipeline = jedis.pipelined();
        List<redis.clients.jedis.Response<String>> values = new java.util.ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            values.add(pipeline.get("k" + i));
        }
        pipeline.sync();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            String value = values.get(i).get();
            String version = value == null ? "missing" : value.substring(0, value.indexOf(':'));
            assertThat(value == null || value.equals(version + ":" + i) || value.startsWith(version + ":" + i + ":p"))
                    .as("value of k%d", i).isTrue();
            counts.merge(version, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void aKillDuringBgsaveLeavesTheOldSnapshotOrTheNewOneWhole() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-rdb-crash");
        try (ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), "--save", "");
             Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            setAll(jedis, "v1");
            assertThat(jedis.save()).isEqualTo("OK");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int round = 2; round <= 5; round++) {
            String version = "v" + round;
            ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), "--save", "");
            try (Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
                Map<String, Integer> loaded = versions(jedis);
                assertThat(loaded).as("round %d loads one whole snapshot", round).hasSize(1);
                assertThat(loaded.values().iterator().next()).isEqualTo(KEYS);
                seen.merge(loaded.keySet().iterator().next(), 1, Integer::sum);
                setAll(jedis, version);
                jedis.bgsave();
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 250));
            } finally {
                server.kill();
            }
        }
        try (ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), "--save", "");
             Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            assertThat(versions(jedis)).hasSize(1);
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("temp-"))).isEmpty();
            }
        }
    }

    /**
     * The same with the data four times maxmemory, compaction and page moves running while the
     * snapshot and its checkpoint of the log are written: each restart restores one whole
     * version, from the checkpoint when it is the snapshot's (most rounds) or from the snapshot.
     */
    @Test
    void aKillDuringBgsaveWithColdDataAndCompactionLeavesOneWholeVersion() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-rdb-crash-cold");
        String[] tight = {"--save", "", "--maxmemory", "6mb", "--mutable-size", "1mb", "--readonly-size", "1mb",
                "--page-size", "64kb", "--compaction-dead-percent", "20"};
        try (ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), tight);
             Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            setAll(jedis, "v1", 200);
            assertThat(jedis.save()).isEqualTo("OK");
        }
        int restored = 0;
        for (int round = 2; round <= 5; round++) {
            ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), tight);
            try (Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
                Map<String, Integer> loaded = versions(jedis);
                assertThat(loaded).as("round %d restores one whole version", round).hasSize(1);
                assertThat(loaded.values().iterator().next()).isEqualTo(KEYS);
                if (jedis.info("persistence").contains("ferrite_restored_from_checkpoint:1")) {
                    restored++;
                }
                setAll(jedis, "v" + round, 200);
                jedis.sendCommand(() -> "FERRITE.COMPACT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                jedis.bgsave();
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 400));
            } finally {
                server.kill();
            }
        }
        assertThat(restored).as("restarts that restored a checkpoint").isPositive();
    }

    @Test
    void sigtermSavesWhenSavePointsAreSet() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-rdb-sigterm");
        ServerProcess server = new ServerProcess(dir, ServerProcess.freePort(), "--save", "3600 1");
        try (Jedis jedis = new Jedis("127.0.0.1", server.port, 30_000)) {
            setAll(jedis, "v1");
        }
        server.process.destroy(); // SIGTERM
        assertThat(server.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        try (ServerProcess again = new ServerProcess(dir, ServerProcess.freePort(), "--save", "");
             Jedis jedis = new Jedis("127.0.0.1", again.port, 30_000)) {
            assertThat(versions(jedis)).containsExactly(Map.entry("v1", KEYS));
        }
    }
}
