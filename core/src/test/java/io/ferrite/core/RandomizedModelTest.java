package io.ferrite.core;

import io.ferrite.core.api.ExpireCondition;
import static io.ferrite.core.TestBytes.seg;
import static io.ferrite.core.TestBytes.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.api.DiskReadPending;
import io.ferrite.core.api.DiskReads;
import io.ferrite.core.api.Status;
import io.ferrite.core.strings.LongParse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/**
 * Long random operation sequences on several threads against the engine and a plain map
 * model, compared result by result. Each thread owns its keys (so its model is exact) but all
 * threads share shards, pages, indexes and compaction; a tiny memory budget and page size
 * make compaction and page retirement run all the time.
 */
class RandomizedModelTest {
    private static final int THREADS = Integer.getInteger("model.threads", 4);
    private static final int OPS = 40_000;
    /** Base of the threads' random seeds; {@code -Dmodel.seed=N} explores other sequences. */
    private static final long SEED = Long.getLong("model.seed", 42);

    @Test
    void engineMatchesTheModelUnderConcurrency() throws Exception {
        StoreConfig config = StoreConfig.builder().shards(3).databases(2).pageSize(16 * 1024)
                .segmentSize(1 << 20).maxValueSize(1 << 19).maxMemory(3L << 20).indexBuckets(4).hz(50).build();
        runModel(config, 40);
    }

    /**
     * The same with disk tiers and a few pages of memory per shard, so records cross the
     * mutable, read-only, warm and cold regions all the time (and compaction reads cold pages).
     * Odd threads are fail-fast, as network event loops are: they retry after DiskReadPending.
     */
    @Test
    void tieredEngineMatchesTheModelUnderConcurrency(@TempDir Path dir) throws Exception {
        StoreConfig config = StoreConfig.builder().shards(3).databases(2).pageSize(16 * 1024)
                .segmentSize(1 << 20).maxValueSize(1 << 19).maxMemory(2L << 20).indexBuckets(4).hz(50)
                .dataDir(dir).mutableSize(96 * 1024).readOnlySize(96 * 1024).coldBlockSize(2048)
                .coldCacheSize(64 * 1024).compactionRatio(0.3).build();
        runModel(config, 300);
    }

    private void runModel(StoreConfig config, int keys) throws Exception {
        try (FerriteStore store = FerriteStore.open(config)) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Map<String, String>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    if (id % 2 == 1) {
                        DiskReads.failFastOnThisThread();
                    }
                    return runThread(store, id, new Random(SEED + id), keys);
                }));
            }
            Map<String, String> expected = new HashMap<>();
            for (Future<Map<String, String>> result : results) {
                expected.putAll(result.get());
            }
            pool.shutdown();
            // Every key the models hold, and nothing else, is in the store.
            Map<String, String> actual = new HashMap<>();
            for (int db = 0; db < 2; db++) {
                int current = db;
                long cursor = 0;
                do {
                    cursor = store.keys().scan(db, cursor, 50, null, (key, type) -> {
                        TestBytes.Capture c = new TestBytes.Capture();
                        assertThat(store.strings().get(current, key, c)).isEqualTo(Status.OK);
                        actual.put(current + "/" + str(key), c.value);
                    });
                } while (cursor != 0);
            }
            assertThat(actual).isEqualTo(expected);
            assertThat(store.keys().dbSize(0) + store.keys().dbSize(1)).isEqualTo(expected.size());
            assertThat(Internals.engine(store).shards()[0].log().beginAddress()).as("compaction ran").isGreaterThan(64);
        }
    }

    /**
     * Runs a store call as the RESP door does on an event loop: a fail-fast thread first waits
     * (two seconds at most) while the page mover is behind ({@code writesShouldWait}), which the
     * engine leaves to its doors, and retries the call when it had to wait for a disk read.
     */
    private static <T> T io(FerriteStore store, Supplier<T> call) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!DiskReads.mayBlock() && store.writesShouldWait() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        while (true) {
            try {
                return call.get();
            } catch (DiskReadPending pending) {
                pending.ready().handle((v, e) -> null).join();
            }
        }
    }

    private Map<String, String> runThread(FerriteStore store, int id, Random random, int keys) {
        List<Map<String, String>> model = List.of(new HashMap<>(), new HashMap<>());
        LongParse length = new LongParse();
        for (int op = 0; op < OPS; op++) {
            int db = random.nextInt(2);
            Map<String, String> m = model.get(db);
            String key = "t" + id + ":k" + random.nextInt(keys);
            String context = "thread " + id + " op " + op + " db " + db + " key " + key;
            switch (random.nextInt(10)) {
                case 0, 1, 2 -> {
                    String value = value(random);
                    assertThat(io(store, () -> store.strings().set(db, seg(key), seg(value)))).as(context).isEqualTo(Status.OK);
                    m.put(key, value);
                }
                case 3 -> {
                    TestBytes.Capture c = new TestBytes.Capture();
                    Status status = io(store, () -> store.strings().get(db, seg(key), c));
                    assertThat(status == Status.OK ? c.value : null).as(context).isEqualTo(m.get(key));
                }
                case 4 -> {
                    Status status = io(store, () -> store.keys().delete(db, seg(key)));
                    assertThat(status).as(context).isEqualTo(m.remove(key) != null ? Status.OK : Status.NOT_FOUND);
                }
                case 5 -> {
                    String v = value(random);
                    String suffix = v.substring(0, Math.min(v.length(), random.nextInt(60)));
                    Status status = io(store, () -> store.strings().append(db, seg(key), seg(suffix), length));
                    assertThat(status).as(context).isEqualTo(Status.OK);
                    String now = m.getOrDefault(key, "") + suffix;
                    if (now.length() > 4000) {
                        io(store, () -> store.keys().delete(db, seg(key)));
                        m.remove(key);
                    } else {
                        m.put(key, now);
                        assertThat(length.value).as(context).isEqualTo(now.length());
                    }
                }
                case 6 -> {
                    String value = value(random);
                    boolean nx = random.nextBoolean();
                    Status status = io(store, () -> store.strings().set(db, seg(key), seg(value), nx ? 1 : 2, 0, null));
                    boolean exists = m.containsKey(key);
                    boolean applies = nx != exists;
                    assertThat(status).as(context).isEqualTo(applies ? Status.OK : Status.NOT_PERFORMED);
                    if (applies) {
                        m.put(key, value);
                    }
                }
                case 7 -> {
                    String target = "t" + id + ":k" + random.nextInt(keys);
                    Status status = io(store, () -> store.keys().rename(db, seg(key), seg(target), false));
                    if (!m.containsKey(key)) {
                        assertThat(status).as(context).isEqualTo(Status.NOT_FOUND);
                    } else {
                        assertThat(status).as(context).isEqualTo(Status.OK);
                        m.put(target, m.remove(key));
                    }
                }
                case 8 -> {
                    int other = 1 - db;
                    Status status = io(store, () -> store.keys().move(db, seg(key), other));
                    Map<String, String> o = model.get(other);
                    if (!m.containsKey(key)) {
                        assertThat(status).as(context).isEqualTo(Status.NOT_FOUND);
                    } else if (o.containsKey(key)) {
                        assertThat(status).as(context).isEqualTo(Status.NOT_PERFORMED);
                    } else {
                        assertThat(status).as(context).isEqualTo(Status.OK);
                        o.put(key, m.remove(key));
                    }
                }
                default -> {
                    long at = System.currentTimeMillis() + 1_000_000;
                    Status status = io(store, () -> store.keys().expire(db, seg(key), at, ExpireCondition.ALWAYS));
                    assertThat(status).as(context).isEqualTo(m.containsKey(key) ? Status.OK : Status.NOT_FOUND);
                    if (m.containsKey(key) && random.nextBoolean()) {
                        assertThat(io(store, () -> store.keys().persist(db, seg(key)))).as(context).isEqualTo(Status.OK);
                    }
                }
            }
        }
        Map<String, String> flat = new HashMap<>();
        for (int db = 0; db < 2; db++) {
            for (Map.Entry<String, String> e : model.get(db).entrySet()) {
                flat.put(db + "/" + e.getKey(), e.getValue());
            }
        }
        return flat;
    }

    private static String value(Random random) {
        int length = random.nextInt(10) == 0 ? random.nextInt(3000) : random.nextInt(120);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }
}
