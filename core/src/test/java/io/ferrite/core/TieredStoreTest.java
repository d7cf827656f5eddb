package io.ferrite.core;

import io.ferrite.core.address.LogicalAddress;
import io.ferrite.core.api.ExpireCondition;
import static io.ferrite.core.TestBytes.seg;
import static io.ferrite.core.TestBytes.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.core.api.DiskReadPending;
import io.ferrite.core.api.DiskReads;
import io.ferrite.core.api.LogCorruptedException;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.Compression;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The disk tiers through the store's public API: datasets many times the memory budget,
 * updates and deletes of cold keys, compaction, checksums, and callers that must not block.
 */
class TieredStoreTest {
    private static final int VALUE_SIZE = 1000;
    private static final long BUDGET = 4L << 20;

    @TempDir
    Path dir;

    private StoreConfig.Builder tiny() {
        return StoreConfig.builder().shards(2).databases(1).pageSize(16 * 1024).segmentSize(1 << 20)
                .maxMemory(BUDGET).maxValueSize(1 << 19).indexBuckets(64).dataDir(dir).mutableSize(512 * 1024)
                .readOnlySize(256 * 1024).coldBlockSize(4096).coldCacheSize(128 * 1024);
    }

    /** A compressible value that still differs per key. */
    private static String value(int i, int version) {
        StringBuilder sb = new StringBuilder("v" + version + ":" + i + ":");
        while (sb.length() < VALUE_SIZE) {
            sb.append("the quick brown fox ").append(i % 97).append(' ');
        }
        return sb.substring(0, VALUE_SIZE);
    }

    /** Writes {@code key:0..keys-1} with version {@code version} of their values. */
    private static void fill(FerriteStore store, int keys, int version) {
        for (int i = 0; i < keys; i++) {
            assertThat(store.strings().set(0, seg("key:" + i), seg(value(i, version)))).isEqualTo(Status.OK);
        }
    }

    /** Writes version 0 of {@code keys} keys and waits until shard 0 has moved 1 MiB of them to disk. */
    private static void fillPastMemory(FerriteStore store, int keys) throws InterruptedException {
        fill(store, keys, 0);
        waitFor(() -> store.logStats().get(0).head() > 1 << 20);
    }

    /** Runs {@code body} on a new thread marked fail-fast, as a network event loop is. */
    private static <T> T onFailFastThread(java.util.function.Supplier<T> body) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            DiskReads.failFastOnThisThread();
            return body.get();
        }, r -> Thread.ofPlatform().start(r)).get(60, TimeUnit.SECONDS);
    }

    /** Runs {@code call} again after each DiskReadPending, counting them in {@code pendings[0]}. */
    private static <T> T retrying(java.util.function.Supplier<T> call, int[] pendings) {
        while (true) {
            try {
                return call.get();
            } catch (DiskReadPending p) {
                pendings[0]++;
                p.ready().handle((x, e) -> null).join();
            }
        }
    }

    private static String get(FerriteStore store, String key) {
        TestBytes.Capture c = new TestBytes.Capture();
        Status status = store.strings().get(0, seg(key), c);
        return status == Status.OK ? c.value : null;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 20 s");
            }
            Thread.sleep(10);
        }
    }

    private static long diskBytes(FerriteStore store) {
        return store.logStats().stream().mapToLong(LogStats::diskBytes).sum();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void aDatasetTenTimesTheBudgetIsServedFromEveryTier(Compression compression) throws Exception {
        int keys = (int) (10 * BUDGET / VALUE_SIZE);
        try (FerriteStore store = FerriteStore.open(tiny().compression(compression).build())) {
            fill(store, keys, 0);
            assertThat(store.keys().dbSize(0)).isEqualTo(keys);
            waitFor(() -> store.usedMemory() <= BUDGET);
            LogStats stats = store.logStats().get(0);
            assertThat(stats.head()).as("pages left memory").isGreaterThan(stats.begin());
            assertThat(stats.readOnly()).isGreaterThanOrEqualTo(stats.head());
            assertThat(store.pageMoves()[0]).as("pages went through the warm ring").isPositive();
            assertThat(store.pageMoves()[1]).as("pages went to the cold region").isPositive();
            long disk = diskBytes(store);
            long raw = store.logStats().stream().mapToLong(LogStats::diskRawBytes).sum();
            assertThat(raw).isGreaterThan(5 * BUDGET);
            // The directory of cold blocks is engine memory too: counted within the budget.
            assertThat(store.logStats().stream().mapToLong(LogStats::directoryBytes).sum()).isPositive();
            if (compression == Compression.NONE) {
                assertThat(disk).isGreaterThan(raw);
            } else {
                assertThat(disk).as("compressed below raw").isLessThan(raw / 2);
            }
            for (int i = 0; i < keys; i++) {
                assertThat(get(store, "key:" + i)).as("key:" + i).isEqualTo(value(i, 0));
            }
            assertThat(store.logStats().stream().mapToLong(LogStats::coldReads).sum()).isPositive();
            waitFor(() -> store.usedMemory() <= BUDGET);
        }
    }

    @Test
    void coldKeysCanBeUpdatedDeletedExpiredAndNeverResurfaceAfterCompaction() throws Exception {
        int keys = 20_000;
        try (FerriteStore store = FerriteStore.open(tiny().build())) {
            fillPastMemory(store, keys);
            long expireAt = System.currentTimeMillis() + 300;
            for (int i = 0; i < keys; i += 4) {
                assertThat(store.strings().set(0, seg("key:" + i), seg(value(i, 1)))).isEqualTo(Status.OK); // update
                assertThat(store.keys().delete(0, seg("key:" + (i + 1)))).isEqualTo(Status.OK);                  // delete
                assertThat(store.keys().expire(0, seg("key:" + (i + 2)), expireAt, ExpireCondition.ALWAYS))
                        .isEqualTo(Status.OK);                                                             // expire
            }
            assertThat(store.keys().dbSize(0)).isBetween((long) keys / 2, (long) keys - keys / 4);
            Thread.sleep(400);
            long before = store.logStats().stream().mapToLong(LogStats::begin).sum();
            store.compact(0.0);
            assertThat(store.logStats().stream().mapToLong(LogStats::begin).sum()).isGreaterThan(before);
            for (int i = 0; i < keys; i += 4) {
                assertThat(get(store, "key:" + i)).isEqualTo(value(i, 1));
                assertThat(get(store, "key:" + (i + 1))).as("deleted").isNull();
                assertThat(get(store, "key:" + (i + 2))).as("expired").isNull();
                assertThat(get(store, "key:" + (i + 3))).isEqualTo(value(i + 3, 0));
            }
            assertThat(store.keys().dbSize(0)).isEqualTo(keys / 2);
            // And the scan agrees: every live key once, no deleted or expired one.
            Set<String> scanned = new HashSet<>();
            long cursor = 0;
            do {
                cursor = store.keys().scan(0, cursor, 100, null, (key, type) -> assertThat(scanned.add(str(key))).isTrue());
            } while (cursor != 0);
            assertThat(scanned).hasSize(keys / 2);
            assertThat(scanned).allMatch(k -> Integer.parseInt(k.substring(4)) % 4 == 0 || Integer.parseInt(k.substring(4)) % 4 == 3);
        }
    }

    @Test
    void compactionDeletesSegmentFilesSoDiskUseFollowsLiveData() throws Exception {
        int keys = 12_000;
        try (FerriteStore store = FerriteStore.open(tiny().promoteColdReads(false).build())) {
            for (int round = 0; round < 3; round++) {
                fill(store, keys, round);
            }
            waitFor(() -> diskBytes(store) > 0 && store.usedMemory() <= BUDGET);
            Set<Path> before = segmentFiles();
            long diskBefore = diskBytes(store);
            // Compacting cold pages copies their live records into memory: within the budget.
            long[] peak = {0};
            Thread sampler = Thread.ofPlatform().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak[0] = Math.max(peak[0], store.usedMemory());
                    Thread.onSpinWait();
                }
            });
            store.compact(0.0);
            sampler.interrupt();
            sampler.join();
            assertThat(peak[0]).as("peak memory during compaction").isLessThanOrEqualTo(Internals.engine(store).budget().hardLimit(8 * 16 * 1024));
            waitFor(() -> !segmentFiles().containsAll(before));
            assertThat(diskBytes(store)).isLessThan(diskBefore);
            for (int i = 0; i < keys; i += 7) {
                assertThat(get(store, "key:" + i)).isEqualTo(value(i, 2));
            }
        }
    }

    @Test
    void backgroundCompactionStartsAtTheDeadRatioAndZeroTurnsItOff() throws Exception {
        int keys = 6_000;
        for (double ratio : new double[] {0.5, 0.0}) {
            try (FerriteStore store = FerriteStore.open(tiny().promoteColdReads(false).hz(100).compactionRatio(ratio).build())) {
                for (int round = 0; round < 4; round++) {
                    fill(store, keys, round); // three of every four versions are dead
                }
                java.util.function.BooleanSupplier compacted = () -> store.logStats().stream().anyMatch(s -> s.begin() > io.ferrite.core.address.LogicalAddress.FIRST_VALID);
                if (ratio > 0) {
                    waitFor(compacted);
                } else {
                    Thread.sleep(500); // 50 maintenance cycles
                    assertThat(compacted.getAsBoolean()).as("no background compaction when turned off").isFalse();
                }
                for (int i = 0; i < keys; i += 13) {
                    assertThat(get(store, "key:" + i)).isEqualTo(value(i, 3));
                }
            }
        }
    }

    /** The cold segment files now (listing, unlike walking, tolerates files deleted meanwhile). */
    private Set<Path> segmentFiles() {
        Set<Path> files = new HashSet<>();
        java.io.File[] shards = dir.resolve("hybridlog").toFile().listFiles();
        for (java.io.File shard : shards == null ? new java.io.File[0] : shards) {
            String[] names = shard.list();
            for (String name : names == null ? new String[0] : names) {
                if (name.endsWith(".cold")) {
                    files.add(shard.toPath().resolve(name));
                }
            }
        }
        return files;
    }

    @Test
    void aFailFastThreadGetsDiskReadPendingAndSucceedsOnRetry() throws Exception {
        int keys = 12_000;
        // Without page-cache reads every cold read on a fail-fast thread goes through the I/O pool.
        try (FerriteStore store = FerriteStore.open(tiny().pageCacheReads(false).build())) {
            fillPastMemory(store, keys);
            String result = onFailFastThread(() -> {
                int[] pending = {0};
                String v = retrying(() -> get(store, "key:0"), pending);
                return pending[0] + ":" + v;
            });
            assertThat(result).isEqualTo("1:" + value(0, 0));
        }
    }

    @Test
    void aColdRecordIsPromotedToMemoryOnItsSecondReadNotItsFirst() throws Exception {
        int keys = 12_000;
        // Without page-cache reads a fail-fast thread must go to the I/O pool for anything cold.
        try (FerriteStore store = FerriteStore.open(tiny().pageCacheReads(false).build())) {
            fillPastMemory(store, keys);
            DiskReads.blocking(() -> get(store, "key:0")); // first read: stays cold
            DiskReads.blocking(() -> get(store, "key:1"));
            DiskReads.blocking(() -> get(store, "key:1")); // second read: copied to the tail
            // Read other cold keys once each, so neither block stays in the block cache.
            for (int i = 2000; i < 2400; i++) {
                String key = "key:" + i;
                DiskReads.blocking(() -> get(store, key));
            }
            int[] pendings = onFailFastThread(() -> {
                int[] promoted = {0};
                int[] cold = {0};
                assertThat(retrying(() -> get(store, "key:1"), promoted)).isEqualTo(value(1, 0));
                assertThat(retrying(() -> get(store, "key:0"), cold)).isEqualTo(value(0, 0));
                return new int[] {promoted[0], cold[0]};
            });
            assertThat(pendings[0]).as("key:1, read twice, is in memory").isZero();
            assertThat(pendings[1]).as("key:0, read once, is still cold").isEqualTo(1);
        }
    }

    @Test
    void aFailFastThreadReadsBlocksThePageCacheHoldsWithoutWaiting() throws Exception {
        int keys = 12_000;
        try (FerriteStore store = FerriteStore.open(tiny().promoteColdReads(false).build())) {
            fillPastMemory(store, keys);
            // Just written, so the segment files are in the page cache: no read needs the I/O pool.
            int pending = onFailFastThread(() -> {
                int[] pendings = {0};
                for (int i = 0; i < keys; i++) {
                    String key = "key:" + i;
                    assertThat(retrying(() -> get(store, key), pendings)).isEqualTo(value(i, 0));
                }
                return pendings[0];
            });
            long pageCache = store.logStats().stream().mapToLong(LogStats::pageCacheReads).sum();
            long cold = store.logStats().stream().mapToLong(LogStats::coldReads).sum();
            assertThat(cold).isPositive();
            assertThat(pageCache).as("cold reads served from the page cache").isGreaterThan(cold * 9 / 10);
            assertThat(pending).isLessThan(keys / 100);
        }
    }

    @Test
    void aCorruptBlockIsALoudErrorNamingTheSegmentAndOffset() throws Exception {
        int keys = 12_000;
        try (FerriteStore store = FerriteStore.open(tiny().promoteColdReads(false).build())) {
            fillPastMemory(store, keys);
            Path segment = store.logStats().get(0).segmentBytes().isEmpty() ? null
                    : dir.resolve("hybridlog/shard-0/segment-000000.cold");
            assertThat(segment).exists();
            flipByteInSecondBlock(segment);
            int corrupt = 0;
            String message = null;
            for (int i = 0; i < keys; i++) {
                try {
                    String v = get(store, "key:" + i);
                    assertThat(v).isEqualTo(value(i, 0)); // never silently wrong
                } catch (LogCorruptedException e) {
                    corrupt++;
                    message = e.getMessage();
                }
            }
            assertThat(corrupt).isPositive();
            assertThat(message).contains("segment-000000.cold at offset").contains("checksum mismatch");
            // The rest of the store keeps working.
            assertThat(store.strings().set(0, seg("fresh"), seg("value"))).isEqualTo(Status.OK);
            assertThat(get(store, "fresh")).isEqualTo("value");
        }
    }

    /** Flips one byte inside the payload of the file's second block. */
    private static void flipByteInSecondBlock(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(header, 0);
            long second = 32 + header.getInt(20);
            long target = second + 32 + 5;
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, target);
            one.put(0, (byte) (one.get(0) ^ 0x5A));
            one.rewind();
            channel.write(one, target);
        }
    }

    @Test
    void flushAllDropsColdDataAndItsFiles() throws Exception {
        try (FerriteStore store = FerriteStore.open(tiny().build())) {
            fill(store, 12_000, 0);
            waitFor(() -> !segmentFiles().isEmpty());
            store.keys().flushAll();
            assertThat(store.keys().dbSize(0)).isZero();
            assertThat(get(store, "key:1")).isNull();
            waitFor(() -> segmentFiles().isEmpty());
            store.strings().set(0, seg("key:1"), seg("again"));
            assertThat(get(store, "key:1")).isEqualTo("again");
            // The log goes on in the segment FLUSHALL left: its new file must be read, not the
            // deleted one of the same number.
            fill(store, 12_000, 1);
            waitFor(() -> !segmentFiles().isEmpty());
            for (int i = 0; i < 12_000; i++) {
                assertThat(get(store, "key:" + i)).isEqualTo(value(i, 1));
            }
        }
    }

    @Test
    void withoutTiersAFullBudgetIsOutOfMemory() {
        StoreConfig config = tiny().dataDir(null).build();
        try (FerriteStore store = FerriteStore.open(config)) {
            Status last = Status.OK;
            for (int i = 0; i < 100_000 && last == Status.OK; i++) {
                last = store.strings().set(0, seg("key:" + i), seg(value(i, 0)));
            }
            assertThat(last).isEqualTo(Status.OUT_OF_MEMORY);
            assertThat(store.usedMemory() + config.pageSize()).isGreaterThan(BUDGET);
        }
    }

    @Test
    void aBusyShardMayUseTheMutablePagesTheOthersLeaveUnused() {
        StoreConfig config = tiny().build();
        long share = config.mutablePagesPerShard() * config.pageSize();
        long allowance = config.mutablePagesTotal() * config.pageSize();
        try (FerriteStore store = FerriteStore.open(config)) {
            // One hash lives in one shard: alone, it may use the whole allowance.
            io.ferrite.core.strings.LongParse n = new io.ferrite.core.strings.LongParse();
            for (int i = 0; i < 2_000; i++) {
                assertThat(store.hashes().set(0, seg("big"), new java.lang.foreign.MemorySegment[] {seg("f" + i), seg(value(i, 0))}, 0, 1, n))
                        .isEqualTo(Status.OK);
            }
            long busiest = store.logStats().stream().mapToLong(LogStats::mutableBytes).max().orElseThrow();
            assertThat(busiest).isGreaterThan(share).isLessThanOrEqualTo(allowance + config.pageSize());
            // Both shards busy: the one over its share gives pages back as it grows.
            fill(store, 1_500, 0);
            for (int i = 0; i < 1_000; i++) {
                assertThat(store.hashes().set(0, seg("big"), new java.lang.foreign.MemorySegment[] {seg("g" + i), seg(value(i, 1))}, 0, 1, n))
                        .isEqualTo(Status.OK);
            }
            long total = store.logStats().stream().mapToLong(LogStats::mutableBytes).sum();
            assertThat(total).isLessThanOrEqualTo(allowance + 2L * config.shards() * config.pageSize());
        }
    }

    @Test
    void tierSizesFollowTheirDirectivesAndMaxmemory() {
        assertThat(tiny().readOnlySize(0).build().warmSlotsPerShard()).as("readonly-size 0: no warm ring").isZero();
        assertThat(tiny().readOnlySize(256 * 1024).build().warmSlotsPerShard()).isEqualTo(8);
        assertThat(tiny().readOnlySize(64L << 20).build().warmSlotsPerShard()).as("a quarter of maxmemory")
                .isEqualTo((int) (BUDGET / 4 / 2 / (16 * 1024)));
        assertThat(tiny().mutableSize(0).maxMemory(0).build().mutablePagesPerShard()).isEqualTo(Long.MAX_VALUE);
        assertThat(tiny().mutableSize(64L << 20).build().mutablePagesPerShard()).as("half of maxmemory")
                .isEqualTo(BUDGET / 2 / 2 / (16 * 1024));
    }

    @Test
    void whenTheIndexAloneFillsTheBudgetWritesFailWithOutOfMemoryInsteadOfWaiting() {
        // 128 KiB cannot even hold the index of many small keys: nothing the mover does helps.
        StoreConfig config = tiny().maxMemory(128 * 1024).mutableSize(0).readOnlySize(0).coldCacheSize(0).build();
        try (FerriteStore store = FerriteStore.open(config)) {
            Status last = Status.OK;
            long started = System.nanoTime();
            int written = 0;
            while (last == Status.OK && written < 200_000) {
                last = store.strings().set(0, seg("k" + written), seg("v"));
                written++;
            }
            assertThat(last).isEqualTo(Status.OUT_OF_MEMORY);
            // Not the log: the mover keeps moving pages to disk (so memory in use can drop right
            // after the refused write); the index is what fills the budget.
            assertThat(store.indexMemory()).as("index bytes").isGreaterThan(config.maxMemory() / 2);
            assertThat(store.writesShouldWait()).as("nothing left to move: do not make writers wait").isFalse();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(15);
            assertThat(get(store, "k0")).as("what was written stays readable").isEqualTo("v");
        }
    }

    @Test
    void configurationErrorsAreRefused() {
        assertThatThrownBy(() -> tiny().readOnlySize(-1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tiny().coldBlockSize(10).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
