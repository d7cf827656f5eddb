package io.ferrite.core;

import static io.ferrite.core.TestBytes.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.api.DiskReads;
import io.ferrite.core.api.Status;
import io.ferrite.core.strings.LongParse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller that may block (JCache, SQL, scripts) never holds a shard's lock while it waits for
 * a disk read: its write releases the lock, waits, and runs again. An event loop writing to the
 * same shard meanwhile is not held up by the disk.
 */
class DiskWaitsOutsideLocksTest {
    @TempDir
    Path dir;

    /** Reads handed to it wait until {@link #release()}; {@link #requested} counts down at the first. */
    private static final class HeldReads implements Executor {
        final CountDownLatch requested = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        @Override
        public void execute(Runnable read) {
            Thread.ofPlatform().daemon().start(() -> {
                requested.countDown();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    return;
                }
                read.run();
            });
        }

        void release() {
            released.countDown();
        }
    }

    @Test
    void aBlockingWriterWaitsForItsDiskReadWithoutTheShardLock() throws Exception {
        HeldReads reads = new HeldReads();
        // One shard, so both writers need the same lock; no page-cache shortcut and no block
        // cache, so the cold read has to go through the held executor.
        StoreConfig config = StoreConfig.builder().shards(1).databases(1).pageSize(16 * 1024).segmentSize(1 << 20)
                .maxMemory(4L << 20).maxValueSize(1 << 19).indexBuckets(64).dataDir(dir).mutableSize(512 * 1024).readOnlySize(0)
                .coldBlockSize(4096).coldCacheSize(1).pageCacheReads(false).promoteColdReads(false)
                .diskReadExecutor(reads).build();
        try (FerriteStore store = FerriteStore.open(config)) {
            String value = "x".repeat(1000);
            store.strings().set(0, seg("counter"), seg("41"));
            for (int i = 0; i < 12_000 && store.logStats().get(0).head() < 1 << 20; i++) {
                store.strings().set(0, seg("filler:" + i), seg(value));
            }
            assertThat(store.logStats().get(0).head()).as("counter is on disk").isGreaterThan(64);

            LongParse result = new LongParse();
            CompletableFuture<Status> blocking = CompletableFuture.supplyAsync(
                    () -> store.strings().incrBy(0, seg("counter"), 1, result), r -> Thread.ofPlatform().start(r));
            assertThat(reads.requested.await(10, TimeUnit.SECONDS)).as("the cold read was requested").isTrue();

            // While that read is held, an event-loop write to the same shard completes.
            CompletableFuture<Status> eventLoop = CompletableFuture.supplyAsync(() -> {
                DiskReads.failFastOnThisThread();
                return store.strings().set(0, seg("hot"), seg("v"));
            }, r -> Thread.ofPlatform().start(r));
            assertThat(eventLoop.get(10, TimeUnit.SECONDS)).isEqualTo(Status.OK);
            assertThat(blocking).isNotDone();

            reads.release();
            assertThat(blocking.get(10, TimeUnit.SECONDS)).isEqualTo(Status.OK);
            assertThat(result.value).isEqualTo(42);
            assertThat(DiskReads.mayBlock()).isTrue();
            TestBytes.Capture counter = new TestBytes.Capture();
            store.strings().get(0, seg("counter"), counter);
            assertThat(counter.value).isEqualTo("42");
        }
    }

    @Test
    void aThreadIsFailFastOnlyWhileItHoldsShardLocks() {
        StoreConfig config = StoreConfig.builder().shards(2).databases(1).build();
        try (FerriteStore store = FerriteStore.open(config)) {
            // A two-shard write from a blocking thread leaves it blocking afterwards.
            assertThat(store.keys().rename(0, seg("missing"), seg("other"), false)).isEqualTo(Status.NOT_FOUND);
            store.strings().set(0, seg("a"), seg("1"));
            assertThat(store.keys().rename(0, seg("a"), seg("b"), false)).isEqualTo(Status.OK);
            assertThat(DiskReads.mayBlock()).isTrue();
        }
    }
}
