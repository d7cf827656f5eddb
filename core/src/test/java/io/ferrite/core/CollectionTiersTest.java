package io.ferrite.core;

import static io.ferrite.core.TestBytes.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.api.DiskReadPending;
import io.ferrite.core.api.DiskReads;
import io.ferrite.core.api.Status;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large collections under a memory budget far smaller than they are: their chunks live mostly
 * on disk, a one-element read or update reads one chunk, DEL reads none of them, a new
 * collection under the same key sees nothing of the old one, and compaction gives the old
 * one's disk space back.
 */
class CollectionTiersTest {
    private static final int FIELDS = 40_000;

    @TempDir
    Path dir;

    private FerriteStore open() {
        return FerriteStore.open(StoreConfig.builder().shards(1).databases(1).pageSize(16 * 1024).segmentSize(4 << 20)
                .maxValueSize(1 << 19).maxMemory(3L << 20).indexBuckets(64).dataDir(dir).mutableSize(128 * 1024)
                .readOnlySize(128 * 1024).coldBlockSize(2048).coldCacheSize(4096).build());
    }

    private static String value(int i) {
        return "value-" + i + "-" + "x".repeat(20 + i % 13);
    }

    /** Runs {@code call} on a fail-fast thread (as an event loop), retrying after each disk read; returns the retries. */
    private static int failFastRetries(Supplier<Status> call, Status expected) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            DiskReads.failFastOnThisThread();
            int pendings = 0;
            while (true) {
                try {
                    assertThat(call.get()).isEqualTo(expected);
                    return pendings;
                } catch (DiskReadPending pending) {
                    pendings++;
                    pending.ready().handle((v, e) -> null).join();
                }
            }
        }, r -> Thread.ofPlatform().start(r)).get(60, TimeUnit.SECONDS);
    }

    private static void waitForDisk(FerriteStore store, long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.logStats().get(0).diskBytes() < bytes && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.logStats().get(0).diskBytes()).isGreaterThanOrEqualTo(bytes);
    }

    @Test
    void aColdLargeHashIsReadAndUpdatedChunkByChunkAndDroppedWhole() throws Exception {
        try (FerriteStore store = open()) {
            LongParse n = new LongParse();
            for (int i = 0; i < FIELDS; i++) {
                MemorySegment[] pair = {seg("f" + i), seg(value(i))};
                assertThat(store.hashes().set(0, seg("big"), pair, 0, 1, n)).isEqualTo(Status.OK);
            }
            waitForDisk(store, 1 << 20);
            long diskWithHash = store.logStats().get(0).diskBytes();

            // One field of the cold hash: at most its root and its chunk come from disk.
            for (int i = 0; i < FIELDS; i += 4999) {
                String expected = value(i);
                String field = "f" + i;
                String[] got = {null};
                int reads = failFastRetries(() -> store.hashes().get(0, seg("big"), seg(field),
                        (s, o, l) -> got[0] = CollectionModelTest.text(s, o, l)), Status.OK);
                assertThat(got[0]).isEqualTo(expected);
                assertThat(reads).as("disk reads for one HGET").isLessThanOrEqualTo(2);
                int index = i;
                int writes = failFastRetries(() -> store.hashes().incrBy(0, seg("big"), seg("n" + index), 1, n), Status.OK);
                assertThat(writes).as("disk reads for one HINCRBY").isLessThanOrEqualTo(3);
            }
            store.hashes().length(0, seg("big"), n);
            assertThat(n.value).isEqualTo(FIELDS + 9);

            // DEL touches the root only, whatever the hash's size: the root was just written (it
            // is in memory) and the collection's cold marker is not read, so no disk read at all.
            int dels = failFastRetries(() -> store.keys().delete(0, seg("big")), Status.OK);
            assertThat(dels).as("disk reads for DEL").isZero();
            assertThat(store.keys().exists(0, seg("big"))).isFalse();

            // A new hash under the same key has nothing of the old one.
            store.hashes().set(0, seg("big"), new MemorySegment[] {seg("only"), seg("1")}, 0, 1, n);
            Map<String, String> all = new HashMap<>();
            store.hashes().entries(0, seg("big"), (f, fo, fl, v, vo, vl) ->
                    all.put(CollectionModelTest.text(f, fo, fl), CollectionModelTest.text(v, vo, vl)), n);
            assertThat(all).containsExactly(Map.entry("only", "1"));
            assertThat(store.hashes().get(0, seg("big"), seg("f1"), (s, o, l) -> { })).isEqualTo(Status.NOT_FOUND);

            // Compaction drops every chunk of the dead hash: the disk holds almost nothing.
            // Segment files below the new begin are deleted once no reader can still be in them
            // (an epoch drain, on a background thread), so give that a moment.
            store.compact(0.0);
            long deadline2 = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.logStats().get(0).diskBytes() >= diskWithHash / 10 && System.nanoTime() < deadline2) {
                Thread.sleep(20);
            }
            assertThat(store.logStats().get(0).diskBytes()).as("disk after compaction").isLessThan(diskWithHash / 10);
            store.hashes().entries(0, seg("big"), (f, fo, fl, v, vo, vl) -> { }, n);
            assertThat(n.value).isEqualTo(1);
        }
    }

    @Test
    void aLargeSetSurvivesEveryTierAndUnlinksInOneStep() throws Exception {
        try (FerriteStore store = open()) {
            LongParse n = new LongParse();
            MemorySegment[] batch = new MemorySegment[100];
            for (int i = 0; i < FIELDS; i += batch.length) {
                for (int j = 0; j < batch.length; j++) {
                    batch[j] = seg("member:" + (i + j));
                }
                assertThat(store.sets().add(0, seg("s"), batch, 0, batch.length, n)).isEqualTo(Status.OK);
            }
            waitForDisk(store, 512 << 10);
            store.sets().size(0, seg("s"), n);
            assertThat(n.value).isEqualTo(FIELDS);
            for (int i = 0; i < FIELDS; i += 3331) {
                int index = i;
                int reads = failFastRetries(() -> store.sets().contains(0, seg("s"), seg("member:" + index), n), Status.OK);
                assertThat(n.value).isEqualTo(1);
                assertThat(reads).isLessThanOrEqualTo(2);
            }
            long[] members = {0};
            assertThat(store.sets().members(0, seg("s"), (src, o, l) -> members[0]++, n)).isEqualTo(Status.OK);
            assertThat(members[0]).isEqualTo(FIELDS);
            assertThat(failFastRetries(() -> store.keys().delete(0, seg("s")), Status.OK)).isLessThanOrEqualTo(1);
            assertThat(store.sets().size(0, seg("s"), n)).isEqualTo(Status.OK);
            assertThat(n.value).isZero();
        }
    }
}
