package io.ferrite.core;

import static io.ferrite.core.TestBytes.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.api.Status;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Large collections reuse the room of their superseded chunks: a growing hash leaves little
 * dead behind, and lock-free readers running all the while never see a chunk whose room was
 * handed to another one.
 */
class ChunkReuseTest {
    private static final int FIELDS = 60_000;

    private static String value(int field, int round) {
        return "v" + field + "-" + round + "-" + "x".repeat(round * 3);
    }

    private static String text(MemorySegment s, long offset, long length) {
        return new String(s.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    @Test
    void aGrowingHashReusesItsOldChunksAndReadersAlwaysSeeTheirOwnField() throws Exception {
        try (FerriteStore store = FerriteStore.open(StoreConfig.builder().shards(1).build())) {
            MemorySegment key = seg("big");
            AtomicInteger written = new AtomicInteger();
            AtomicInteger round = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<String> wrong = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    String[] got = new String[1];
                    while (!done.get() && wrong.get() == null) {
                        int known = written.get();
                        if (known == 0) {
                            continue;
                        }
                        int field = ThreadLocalRandom.current().nextInt(known);
                        got[0] = null;
                        Status status = store.hashes().get(0, key, seg("f" + field), (s, o, l) -> got[0] = text(s, o, l));
                        if (status != Status.OK || got[0] == null || !got[0].startsWith("v" + field + "-")) {
                            wrong.compareAndSet(null, "f" + field + " -> " + status + " " + got[0]);
                        }
                    }
                }));
            }
            LongParse n = new LongParse();
            // Round 0 inserts, later rounds lengthen every value: chunks outgrow their records
            // over and over, and each copy leaves the old one behind for reuse.
            for (int r = 0; r < 4; r++) {
                round.set(r);
                for (int i = 0; i < FIELDS; i++) {
                    assertThat(store.hashes().set(0, key, new MemorySegment[] {seg("f" + i), seg(value(i, r))}, 0, 1, n))
                            .isEqualTo(Status.OK);
                    if (r == 0) {
                        written.set(i + 1);
                    }
                }
            }
            done.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(wrong.get()).isNull();

            store.hashes().length(0, key, n);
            assertThat(n.value).isEqualTo(FIELDS);
            String[] got = new String[1];
            for (int i = 0; i < FIELDS; i++) {
                store.hashes().get(0, key, seg("f" + i), (s, o, l) -> got[0] = text(s, o, l));
                assertThat(got[0]).isEqualTo(value(i, 3));
            }
            LogStats log = store.logStats().get(0);
            // Without reuse this load leaves about half of the log dead (compaction starts at 50%).
            assertThat(log.deadBytes()).isLessThan(log.logBytes() / 4);
            assertThat(log.reusedRecords()).isPositive();
        }
    }

    @Test
    void aSetChurnedThroughTiersKeepsExactlyItsMembers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (FerriteStore store = FerriteStore.open(StoreConfig.builder().shards(1).databases(1).pageSize(16 * 1024)
                .segmentSize(4 << 20).maxValueSize(1 << 19).maxMemory(3L << 20).dataDir(dir).mutableSize(128 * 1024)
                .readOnlySize(128 * 1024).coldBlockSize(2048).coldCacheSize(4096).build())) {
            MemorySegment key = seg("tags");
            LongParse n = new LongParse();
            java.util.Set<Integer> model = new java.util.HashSet<>();
            java.util.Random random = new java.util.Random(7);
            for (int step = 0; step < 120_000; step++) {
                int member = random.nextInt(30_000);
                MemorySegment[] one = {seg("member-" + member + "-" + "y".repeat(member % 17))};
                if (random.nextInt(3) == 0) {
                    assertThat(store.sets().remove(0, key, one, 0, 1, n)).isEqualTo(Status.OK);
                    assertThat(n.value).isEqualTo(model.remove(member) ? 1 : 0);
                } else {
                    assertThat(store.sets().add(0, key, one, 0, 1, n)).isEqualTo(Status.OK);
                    assertThat(n.value).isEqualTo(model.add(member) ? 1 : 0);
                }
            }
            assertThat(store.sets().size(0, key, n)).isEqualTo(Status.OK);
            assertThat(n.value).isEqualTo(model.size());
            for (int member = 0; member < 30_000; member++) {
                MemorySegment m = seg("member-" + member + "-" + "y".repeat(member % 17));
                assertThat(store.sets().contains(0, key, m, n)).isEqualTo(Status.OK);
                assertThat(n.value).as("member %d", member).isEqualTo(model.contains(member) ? 1 : 0);
            }
            assertThat(store.logStats().get(0).reusedRecords()).isPositive();
        }
    }
}
