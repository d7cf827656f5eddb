package io.ferrite.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Crash tests: the server runs as a separate process, several clients write and record every
 * acknowledged write, the process is killed with SIGKILL at a random moment (also during a
 * rewrite, and with a dataset larger than memory), and a new process on the same directory
 * must have every acknowledged write ({@code appendfsync always}) or every write older than
 * two seconds ({@code everysec}), and none of the deleted keys.
 */
class AofCrashTest {
    private static final int WRITERS = 4;

    /** What one writer had acknowledged when the server died. */
    private static final class Acked {
        final Map<Long, Long> sets = new ConcurrentHashMap<>();   // n -> when (ms) it was acknowledged
        final Map<Long, Long> deletes = new ConcurrentHashMap<>();
        /** The DEL in flight at the kill, which may or may not have been applied. */
        volatile long deleteInFlight = -1;
        volatile long increments;
        volatile long incrementsSent;
    }

    /** A server with the AOF on, in its own JVM. */
    private static ServerProcess aofServer(Path dir, String... directives) throws IOException {
        List<String> all = new ArrayList<>(List.of("--appendonly", "yes"));
        all.addAll(List.of(directives));
        return new ServerProcess(dir, ServerProcess.freePort(), all.toArray(String[]::new));
    }

    /** Runs writers against a fresh server, kills it after {@code runMillis}, returns what they had acknowledged. */
    private static Acked[] writeAndKill(Path dir, String prefix, long runMillis, boolean rewriteBeforeKill, int valueSize, String... directives)
            throws Exception {
        return writeAndKill(dir, prefix, runMillis, rewriteBeforeKill, 0, valueSize, directives);
    }

    /**
     * As above; {@code preload} keys are written first (pipelined, not checked), so that a
     * rewrite takes long enough to be killed in the middle: with {@code rewriteBeforeKill} the
     * kill then comes while INFO says the rewrite is in progress.
     */
    private static Acked[] writeAndKill(Path dir, String prefix, long runMillis, boolean rewriteBeforeKill, int preload,
                                        int valueSize, String... directives) throws Exception {
        ServerProcess server = aofServer(dir, directives);
        if (preload > 0) {
            try (Jedis jedis = new Jedis("127.0.0.1", server.port)) {
                redis.clients.jedis.Pipeline p = jedis.pipelined();
                for (int i = 0; i < preload; i++) {
                    p.set("preload" + i, "v".repeat(100));
                    p.hset("preload-hash" + (i % 100), "f" + i, "v");
                }
                p.sync();
            }
        }
        Acked[] acked = new Acked[WRITERS];
        AtomicBoolean dead = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        String padding = "p".repeat(valueSize);
        for (int w = 0; w < WRITERS; w++) {
            Acked mine = acked[w] = new Acked();
            int id = w;
            threads.add(Thread.ofPlatform().start(() -> {
                try (Jedis jedis = new Jedis("127.0.0.1", server.port)) {
                    for (long n = 0; !dead.get(); n++) {
                        jedis.set(prefix + "w" + id + ":" + n, n + padding);
                        mine.sets.put(n, System.currentTimeMillis());
                        if (n % 5 == 4) {
                            mine.incrementsSent++;
                            jedis.incr(prefix + "counter" + id);
                            mine.increments++;
                        }
                        if (n % 7 == 6) {
                            mine.deleteInFlight = n - 3;
                            jedis.del(prefix + "w" + id + ":" + (n - 3));
                            mine.deletes.put(n - 3, System.currentTimeMillis());
                        }
                        if (n % 11 == 10) {
                            jedis.set("short" + id + ":" + n, "x", SetParams.setParams().px(300));
                        }
                    }
                } catch (RuntimeException serverGone) {
                    // the kill: the write in flight may or may not have been applied
                }
            }));
        }
        Thread.sleep(runMillis);
        if (rewriteBeforeKill) {
            try (Jedis jedis = new Jedis("127.0.0.1", server.port)) {
                try {
                    jedis.bgrewriteaof();
                } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                    // an automatic rewrite (auto-aof-rewrite-min-size) got there first: as good
                    assertThat(e.getMessage()).contains("rewriting already in progress");
                }
                if (preload > 0) {
                    // BGREWRITEAOF answers before the rewrite's thread reports itself: wait for it.
                    long deadline = System.currentTimeMillis() + 10_000;
                    String info;
                    while (!(info = jedis.info("persistence")).contains("aof_rewrite_in_progress:1")
                            && !info.contains("aof_rewrites:1") && System.currentTimeMillis() < deadline) {
                        Thread.onSpinWait();
                    }
                    assertThat(info).as("the kill comes in the middle of the rewrite").contains("aof_rewrite_in_progress:1");
                }
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, preload > 0 ? 50 : 200));
        }
        server.kill();
        dead.set(true);
        for (Thread t : threads) {
            t.join();
        }
        return acked;
    }

    private static void verify(Path dir, Map<String, Acked[]> runs, long lossWindowMillis, long killedAt, String... directives) throws Exception {
        try (ServerProcess server = aofServer(dir, directives);
             Jedis jedis = new Jedis("127.0.0.1", server.port)) {
            for (Map.Entry<String, Acked[]> run : runs.entrySet()) {
                check(jedis, run.getKey(), run.getValue(), lossWindowMillis, killedAt);
            }
            assertThat(jedis.keys("short*")).as("expired keys do not come back").isEmpty();
        }
    }

    private static void check(Jedis jedis, String prefix, Acked[] acked, long lossWindowMillis, long killedAt) {
        long checked = 0;
        for (int w = 0; w < WRITERS; w++) {
            Acked mine = acked[w];
            for (Map.Entry<Long, Long> set : mine.sets.entrySet()) {
                long n = set.getKey();
                String key = prefix + "w" + w + ":" + n;
                Long deletedAt = mine.deletes.get(n);
                if (deletedAt != null && deletedAt < killedAt - lossWindowMillis) {
                    assertThat(jedis.exists(key)).as("%s was deleted and must stay deleted", key).isFalse();
                } else if (deletedAt == null && n != mine.deleteInFlight && set.getValue() < killedAt - lossWindowMillis) {
                    String value = jedis.get(key);
                    assertThat(value).as("acknowledged %s", key).isNotNull().startsWith(n + "p");
                    checked++;
                }
            }
            if (lossWindowMillis == 0) {
                long counter = Long.parseLong(java.util.Objects.requireNonNullElse(jedis.get(prefix + "counter" + w), "0"));
                assertThat(counter).as("counter%d", w).isBetween(mine.increments, mine.incrementsSent);
            }
        }
        if (lossWindowMillis == 0) {
            assertThat(checked).isPositive();
        }
    }

    @Test
    void alwaysLosesNoAcknowledgedWriteOverRepeatedKills() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-crash");
        String[] always = {"--appendfsync", "always"};
        for (int round = 0; round < 3; round++) {
            Path roundDir = Files.createDirectories(dir.resolve("round" + round));
            Acked[] acked = writeAndKill(roundDir, "", 600 + ThreadLocalRandom.current().nextInt(900), round == 2, 16, always);
            verify(roundDir, Map.of("", acked), 0, System.currentTimeMillis(), always);
        }
    }

    @Test
    void alwaysKeepsEverythingAcrossKillsOnTheSameDirectory() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-crash-repeat");
        String[] always = {"--appendfsync", "always"};
        Map<String, Acked[]> runs = new java.util.LinkedHashMap<>();
        // Three runs on one directory, each replaying what the killed runs before it wrote.
        for (int round = 0; round < 3; round++) {
            runs.put("r" + round + ":", writeAndKill(dir, "r" + round + ":", 500 + ThreadLocalRandom.current().nextInt(500), round == 1, 16, always));
        }
        verify(dir, runs, 0, System.currentTimeMillis(), always);
    }

    @Test
    void alwaysLosesNothingWithTheDatasetLargerThanMemory() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-crash-tiered");
        String[] tiered = {"--appendfsync", "always", "--maxmemory", "8mb"};
        Acked[] acked = writeAndKill(dir, "", 3000, true, 16384, tiered);
        assertThat(acked[0].sets.size() * (long) WRITERS * 16384).as("written more than maxmemory").isGreaterThan(8L << 20);
        verify(dir, Map.of("", acked), 0, System.currentTimeMillis(), tiered);
    }

    @Test
    void aKillInTheMiddleOfARewriteLeavesALoadableAofWithEveryAcknowledgedWrite() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-crash-rewrite");
        String[] always = {"--appendfsync", "always"};
        Acked[] acked = writeAndKill(dir, "", 400, true, 300_000, 16, always);
        verify(dir, Map.of("", acked), 0, System.currentTimeMillis(), always);
        try (ServerProcess server = aofServer(dir, always);
             Jedis jedis = new Jedis("127.0.0.1", server.port)) {
            assertThat(jedis.exists("preload0", "preload299999")).isEqualTo(2);
            assertThat(jedis.hlen("preload-hash7")).isEqualTo(3000);
        }
    }

    @Test
    void everysecLosesAtMostAboutASecond() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-crash-everysec");
        String[] everysec = {"--appendfsync", "everysec"};
        Acked[] acked = writeAndKill(dir, "", 2500, false, 16, everysec);
        long killedAt = System.currentTimeMillis();
        verify(dir, Map.of("", acked), 2000, killedAt, everysec);
    }
}
