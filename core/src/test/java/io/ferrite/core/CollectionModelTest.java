package io.ferrite.core;

import static io.ferrite.core.TestBytes.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.api.DiskReadPending;
import io.ferrite.core.api.DiskReads;
import io.ferrite.core.api.ExpireCondition;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long random sequences of hash and set commands on several threads, compared step by step
 * with plain Java maps and sets. Each thread owns its keys (so its model is exact) and shares
 * shards, pages, indexes, the parts index and compaction with the others. Some keys stay small
 * (packed), others grow to thousands of elements (tables of many chunks, split as they grow).
 * In the tiered runs a tiny budget pushes chunks and roots through the mutable, read-only, warm
 * and cold regions while the sequence runs, and odd threads are fail-fast, as network event
 * loops are.
 */
class CollectionModelTest {
    private static final int THREADS = Integer.getInteger("model.threads", 4);
    private static final int OPS = Integer.getInteger("model.ops", 25_000);
    private static final long SEED = Long.getLong("model.seed", 7);
    private static final int KEYS = 6;

    private static StoreConfig.Builder inMemory() {
        return StoreConfig.builder().shards(3).databases(2).pageSize(16 * 1024).segmentSize(1 << 20)
                .maxValueSize(1 << 19).maxMemory(24L << 20).indexBuckets(4).hz(50).compactionRatio(0.3);
    }

    private static StoreConfig.Builder tiered(Path dir) {
        return StoreConfig.builder().shards(3).databases(2).pageSize(16 * 1024).segmentSize(4 << 20)
                .maxValueSize(1 << 19).maxMemory(6L << 20).indexBuckets(4).hz(50).dataDir(dir)
                .mutableSize(256 * 1024).readOnlySize(256 * 1024).coldBlockSize(2048).coldCacheSize(64 * 1024)
                .compactionRatio(0.3);
    }

    @Test
    void hashesMatchTheModel() throws Exception {
        run(inMemory().build(), true);
    }

    @Test
    void hashesMatchTheModelAcrossTiers(@TempDir Path dir) throws Exception {
        run(tiered(dir).build(), true);
    }

    @Test
    void setsMatchTheModel() throws Exception {
        run(inMemory().build(), false);
    }

    @Test
    void setsMatchTheModelAcrossTiers(@TempDir Path dir) throws Exception {
        run(tiered(dir).build(), false);
    }

    private void run(StoreConfig config, boolean hashes) throws Exception {
        try (FerriteStore store = FerriteStore.open(config)) {
            current = store;
            store.encodingLimits().hashMaxListpackEntries(16);
            store.encodingLimits().setMaxIntsetEntries(16);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Map<String, Object>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    if (id % 2 == 1) {
                        DiskReads.failFastOnThisThread();
                    }
                    Random random = new Random(SEED + id * 31L + (hashes ? 0 : 1000));
                    return hashes ? new HashRun(store, id, random).run() : new SetRun(store, id, random).run();
                }));
            }
            Map<String, Object> expected = new HashMap<>();
            for (Future<Map<String, Object>> result : results) {
                expected.putAll(result.get());
            }
            pool.shutdown();
            assertThat(contents(store, hashes)).isEqualTo(expected);
            assertThat(store.keys().dbSize(0) + store.keys().dbSize(1)).isEqualTo(expected.size());
            long tables = expected.keySet().stream()
                    .filter(k -> "hashtable".equals(store.keys().encoding(Integer.parseInt(k.substring(0, 1)), seg(k.substring(2)))))
                    .count();
            assertThat(tables).as("large collections became tables").isGreaterThan(THREADS);
            long largest = expected.values().stream().mapToLong(v -> v instanceof Map<?, ?> h ? h.size() : ((Set<?>) v).size()).max().orElse(0);
            assertThat(largest).as("some collection spans many chunks").isGreaterThan(1000);
            if (config.tiered()) {
                assertThat(store.logStats()).as("records reached the disk tier").anyMatch(log -> log.diskBytes() > 0);
            }
        }
    }

    /** Every key of the store with its whole content: keys found by SCAN, then read one by one. */
    private static Map<String, Object> contents(FerriteStore store, boolean hashes) {
        Map<String, Object> all = new HashMap<>();
        LongParse n = new LongParse();
        for (int db = 0; db < 2; db++) {
            int current = db;
            Set<String> keys = new HashSet<>();
            long[] cursor = {0};
            do {
                cursor[0] = io(() -> store.keys().scan(current, cursor[0], 50, null, (key, type) -> {
                    assertThat(type).isEqualTo(hashes ? ValueType.HASH : ValueType.SET);
                    keys.add(text(key, 0, key.byteSize()));
                }));
            } while (cursor[0] != 0);
            for (String key : keys) {
                if (hashes) {
                    Map<String, String> m = new HashMap<>();
                    io(() -> {
                        m.clear();
                        return store.hashes().entries(current, seg(key), (f, fo, fl, v, vo, vl) -> m.put(text(f, fo, fl), text(v, vo, vl)), n);
                    });
                    all.put(current + "/" + key, m);
                } else {
                    Set<String> members = new HashSet<>();
                    io(() -> {
                        members.clear();
                        return store.sets().members(current, seg(key), (src, o, l) -> members.add(text(src, o, l)), n);
                    });
                    all.put(current + "/" + key, members);
                }
            }
        }
        return all;
    }

    static String text(MemorySegment s, long offset, long length) {
        return new String(s.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /**
     * Runs a store call as the RESP door runs a command: a fail-fast thread first waits (two
     * seconds at most) while the page mover is behind, then runs the call again after each disk
     * read it had to wait for.
     */
    static <T> T io(Supplier<T> call) {
        return io(current, call);
    }

    /** The store of the test running (for {@link #io(Supplier)}). */
    private static volatile FerriteStore current;

    static <T> T io(FerriteStore store, Supplier<T> call) {
        if (!DiskReads.mayBlock()) {
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (store != null && store.writesShouldWait() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
        while (true) {
            try {
                return call.get();
            } catch (DiskReadPending pending) {
                pending.ready().handle((v, e) -> null).join();
            }
        }
    }

    /** What one thread does to its keys, and its model of them. */
    private abstract static class ThreadRun<M> {
        final FerriteStore store;
        final int id;
        final Random random;
        final List<Map<String, M>> model = List.of(new HashMap<>(), new HashMap<>());
        final LongParse n = new LongParse();

        ThreadRun(FerriteStore store, int id, Random random) {
            this.store = store;
            this.id = id;
            this.random = random;
        }

        String key(int k) {
            return "t" + id + ":" + k;
        }

        /** Keys 0-2 stay small, 3-5 grow large: the element space each draws from. */
        int elements(String key) {
            return key.endsWith(":0") || key.endsWith(":1") || key.endsWith(":2") ? 12 : 5000;
        }

        abstract void step(int db, String key, String context);

        abstract M copy(M value);

        Map<String, Object> run() {
            for (int op = 0; op < OPS; op++) {
                int db = random.nextInt(2);
                String key = key(random.nextInt(KEYS));
                String context = "thread " + id + " op " + op + " db " + db + " key " + key;
                // Key-level commands are rare, so that large collections live long enough to grow.
                int dice = random.nextInt(1000);
                Map<String, M> m = model.get(db);
                if (dice < 3) {
                    Status status = io(() -> store.keys().delete(db, seg(key)));
                    assertThat(status).as(context).isEqualTo(m.remove(key) != null ? Status.OK : Status.NOT_FOUND);
                } else if (dice < 6) {
                    String target = key(random.nextInt(KEYS));
                    Status status = io(() -> store.keys().rename(db, seg(key), seg(target), false));
                    if (!m.containsKey(key)) {
                        assertThat(status).as(context).isEqualTo(Status.NOT_FOUND);
                    } else {
                        assertThat(status).as(context).isEqualTo(Status.OK);
                        m.put(target, m.remove(key));
                    }
                } else if (dice < 9) {
                    int other = 1 - db;
                    Status status = io(() -> store.keys().move(db, seg(key), other));
                    Map<String, M> o = model.get(other);
                    if (!m.containsKey(key)) {
                        assertThat(status).as(context).isEqualTo(Status.NOT_FOUND);
                    } else if (o.containsKey(key)) {
                        assertThat(status).as(context).isEqualTo(Status.NOT_PERFORMED);
                    } else {
                        assertThat(status).as(context).isEqualTo(Status.OK);
                        o.put(key, m.remove(key));
                    }
                } else if (dice < 11) {
                    String target = key(random.nextInt(KEYS));
                    Status status = io(() -> store.keys().copy(db, seg(key), db, seg(target), true));
                    if (!m.containsKey(key)) {
                        assertThat(status).as(context).isEqualTo(Status.NOT_FOUND);
                    } else if (target.equals(key)) {
                        assertThat(status).as(context).isEqualTo(Status.SAME_KEY);
                    } else {
                        assertThat(status).as(context).isEqualTo(Status.OK);
                        m.put(target, copy(m.get(key)));
                    }
                } else if (dice < 15) {
                    long at = System.currentTimeMillis() + 1_000_000;
                    Status status = io(() -> store.keys().expire(db, seg(key), at, ExpireCondition.ALWAYS));
                    assertThat(status).as(context).isEqualTo(m.containsKey(key) ? Status.OK : Status.NOT_FOUND);
                } else {
                    step(db, key, context);
                }
            }
            Map<String, Object> flat = new HashMap<>();
            for (int db = 0; db < 2; db++) {
                for (Map.Entry<String, M> e : model.get(db).entrySet()) {
                    flat.put(db + "/" + e.getKey(), e.getValue());
                }
            }
            return flat;
        }
    }

    private static final class HashRun extends ThreadRun<Map<String, String>> {
        HashRun(FerriteStore store, int id, Random random) {
            super(store, id, random);
        }

        @Override
        Map<String, String> copy(Map<String, String> value) {
            return new HashMap<>(value);
        }

        private String field(String key) {
            return "f" + random.nextInt(elements(key));
        }

        private String value() {
            int length = random.nextInt(20) == 0 ? 70 + random.nextInt(200) : random.nextInt(12);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < length; i++) {
                sb.append((char) ('a' + random.nextInt(26)));
            }
            return sb.toString();
        }

        @Override
        void step(int db, String key, String context) {
            Map<String, String> h = model.get(db).get(key);
            int dice = random.nextInt(10);
            if (dice < 5) {
                int pairs = 1 + random.nextInt(elements(key) > 100 ? 16 : 3);
                MemorySegment[] args = new MemorySegment[pairs * 2];
                Map<String, String> after = h == null ? new HashMap<>() : h;
                Set<String> fresh = new HashSet<>();
                for (int i = 0; i < pairs; i++) {
                    String f = field(key);
                    String v = value();
                    args[2 * i] = seg(f);
                    args[2 * i + 1] = seg(v);
                    if (!after.containsKey(f)) {
                        fresh.add(f);
                    }
                    after.put(f, v);
                }
                assertThat(io(() -> store.hashes().set(db, seg(key), args, 0, pairs, n))).as(context).isEqualTo(Status.OK);
                assertThat(n.value).as(context).isEqualTo(fresh.size());
                model.get(db).put(key, after);
            } else if (dice < 7) {
                String f = field(key);
                Status status = io(() -> store.hashes().delete(db, seg(key), new MemorySegment[] {seg(f)}, 0, 1, n));
                assertThat(status).as(context).isEqualTo(Status.OK);
                boolean had = h != null && h.remove(f) != null;
                assertThat(n.value).as(context).isEqualTo(had ? 1 : 0);
                if (h != null && h.isEmpty()) {
                    model.get(db).remove(key);
                }
            } else if (dice < 9) {
                String f = field(key);
                String[] got = {null};
                Status status = io(() -> store.hashes().get(db, seg(key), seg(f), (s, o, l) -> got[0] = text(s, o, l)));
                String want = h == null ? null : h.get(f);
                assertThat(status).as(context).isEqualTo(want == null ? Status.NOT_FOUND : Status.OK);
                assertThat(got[0]).as(context).isEqualTo(want);
                io(() -> store.hashes().length(db, seg(key), n));
                assertThat(n.value).as(context).isEqualTo(h == null ? 0 : h.size());
            } else {
                String f = field(key);
                long delta = random.nextInt(100) - 50;
                String current = h == null ? null : h.get(f);
                Status status = io(() -> store.hashes().incrBy(db, seg(key), seg(f), delta, n));
                boolean integer = current == null || current.matches("0|-?[1-9][0-9]{0,17}");
                assertThat(status).as(context).isEqualTo(integer ? Status.OK : Status.NOT_AN_INTEGER);
                if (integer) {
                    long updated = (current == null ? 0 : Long.parseLong(current)) + delta;
                    assertThat(n.value).as(context).isEqualTo(updated);
                    Map<String, String> after = h == null ? new HashMap<>() : h;
                    after.put(f, Long.toString(updated));
                    model.get(db).put(key, after);
                }
            }
        }
    }

    private static final class SetRun extends ThreadRun<Set<String>> {
        SetRun(FerriteStore store, int id, Random random) {
            super(store, id, random);
        }

        @Override
        Set<String> copy(Set<String> value) {
            return new HashSet<>(value);
        }

        /** Members of the integer half of a key's space are integers (intsets), the rest strings. */
        private String member(String key) {
            int i = random.nextInt(elements(key));
            return random.nextInt(3) == 0 ? "m" + i : Integer.toString(i - 40);
        }

        @Override
        void step(int db, String key, String context) {
            Map<String, Set<String>> m = model.get(db);
            Set<String> s = m.get(key);
            int dice = random.nextInt(20);
            if (dice < 9) {
                int count = 1 + random.nextInt(elements(key) > 100 ? 24 : 4);
                MemorySegment[] args = new MemorySegment[count];
                Set<String> after = s == null ? new HashSet<>() : s;
                int fresh = 0;
                for (int i = 0; i < count; i++) {
                    String member = member(key);
                    args[i] = seg(member);
                    if (after.add(member)) {
                        fresh++;
                    }
                }
                assertThat(io(() -> store.sets().add(db, seg(key), args, 0, count, n))).as(context).isEqualTo(Status.OK);
                assertThat(n.value).as(context).isEqualTo(fresh);
                m.put(key, after);
            } else if (dice < 12) {
                String member = member(key);
                io(() -> store.sets().remove(db, seg(key), new MemorySegment[] {seg(member)}, 0, 1, n));
                assertThat(n.value).as(context).isEqualTo(s != null && s.remove(member) ? 1 : 0);
                if (s != null && s.isEmpty()) {
                    m.remove(key);
                }
            } else if (dice < 15) {
                String member = member(key);
                io(() -> store.sets().contains(db, seg(key), seg(member), n));
                assertThat(n.value).as(context).isEqualTo(s != null && s.contains(member) ? 1 : 0);
                io(() -> store.sets().size(db, seg(key), n));
                assertThat(n.value).as(context).isEqualTo(s == null ? 0 : s.size());
            } else if (dice < 16) {
                long count = random.nextInt(6);
                List<String> popped = new ArrayList<>();
                io(() -> {
                    popped.clear();
                    return store.sets().pop(db, seg(key), count, (src, o, l) -> popped.add(text(src, o, l)), n);
                });
                int size = s == null ? 0 : s.size();
                assertThat(popped).as(context).hasSize((int) Math.min(count, size)).doesNotHaveDuplicates();
                for (String member : popped) {
                    assertThat(s.remove(member)).as(context + " popped " + member).isTrue();
                }
                if (s != null && s.isEmpty()) {
                    m.remove(key);
                }
            } else if (dice < 18) {
                String other = key(random.nextInt(KEYS));
                String target = key(random.nextInt(KEYS));
                boolean union = random.nextBoolean();
                MemorySegment[] sources = {seg(key), seg(other)};
                Status status = io(() -> union ? store.sets().unionStore(db, seg(target), sources, 0, 2, n)
                        : store.sets().intersectionStore(db, seg(target), sources, 0, 2, n));
                assertThat(status).as(context).isEqualTo(Status.OK);
                Set<String> result = new HashSet<>(s == null ? Set.of() : s);
                Set<String> o = m.getOrDefault(other, Set.of());
                if (union) {
                    result.addAll(o);
                } else {
                    result.retainAll(o);
                }
                assertThat(n.value).as(context).isEqualTo(result.size());
                if (result.isEmpty()) {
                    m.remove(target);
                } else {
                    m.put(target, result);
                }
            } else {
                String target = key(random.nextInt(KEYS));
                String member = s == null || s.isEmpty() || random.nextInt(4) == 0 ? member(key)
                        : s.iterator().next();
                io(() -> store.sets().move(db, seg(key), seg(target), seg(member), n));
                boolean present = s != null && s.contains(member);
                assertThat(n.value).as(context).isEqualTo(present ? 1 : 0);
                if (present && !target.equals(key)) {
                    s.remove(member);
                    if (s.isEmpty()) {
                        m.remove(key);
                    }
                    m.computeIfAbsent(target, t -> new HashSet<>()).add(member);
                }
            }
        }
    }
}
