package io.ferrite.core.epoch;

import io.ferrite.core.Internals;
import static io.ferrite.core.TestBytes.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import io.ferrite.core.api.Status;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Many threads read while writers force records to move and pages to be retired and freed.
 * Every value is self-describing (a length and one repeated byte), so a read of freed,
 * reused or half-written memory shows up as a corrupt value.
 */
class EpochReclamationStressTest {

    @Test
    void protectedReadersNeverSeeRetiredPages() throws Exception {
        StoreConfig config = StoreConfig.builder().shards(2).databases(1).pageSize(8 * 1024)
                .segmentSize(1 << 20).maxValueSize(1 << 16).maxMemory(2L << 20).compactionRatio(0.2).hz(100).build();
        try (FerriteStore store = FerriteStore.open(config)) {
            int keys = 64;
            for (int k = 0; k < keys; k++) {
                store.strings().set(0, seg("k" + k), value('a', 10));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            AtomicReference<String> corruption = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int r = 0; r < 6; r++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        Status status = store.strings().get(0, seg("k" + (i++ % keys)), (src, off, len) -> {
                            String problem = check(src, off, len);
                            if (problem != null) {
                                corruption.compareAndSet(null, problem);
                            }
                        });
                        if (status == Status.OK) {
                            reads.incrementAndGet();
                        }
                    }
                }));
            }
            for (int w = 0; w < 2; w++) {
                int seed = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    int i = seed;
                    while (!stop.get()) {
                        int k = i % keys;
                        // Alternate sizes so updates go in place and to the tail in turn.
                        int length = 8 + (i * 37 % 900);
                        store.strings().set(0, seg("k" + k), value((byte) ('a' + i % 26), length));
                        i += 2;
                    }
                }));
            }
            long retiredBefore = Internals.engine(store).shards()[0].log().beginAddress() + Internals.engine(store).shards()[1].log().beginAddress();
            Thread.sleep(2500);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(corruption.get()).isNull();
            assertThat(reads.get()).isGreaterThan(1000);
            long retiredAfter = Internals.engine(store).shards()[0].log().beginAddress() + Internals.engine(store).shards()[1].log().beginAddress();
            assertThat(retiredAfter).as("pages were retired during the run").isGreaterThan(retiredBefore);
            assertThat(store.usedMemory()).isLessThanOrEqualTo(3L << 20);
        }
    }

    private static MemorySegment value(byte fill, int length) {
        byte[] bytes = new byte[length];
        bytes[0] = (byte) (length >>> 8);
        bytes[1] = (byte) length;
        for (int i = 2; i < length; i++) {
            bytes[i] = fill;
        }
        return MemorySegment.ofArray(bytes);
    }

    private static MemorySegment value(char fill, int length) {
        return value((byte) fill, length);
    }

    private static String check(MemorySegment src, long off, long len) {
        if (len < 2) {
            return "too short: " + len;
        }
        int declared = ((src.get(ValueLayout.JAVA_BYTE, off) & 0xFF) << 8) | (src.get(ValueLayout.JAVA_BYTE, off + 1) & 0xFF);
        if (declared != len) {
            return "length " + len + " but declared " + declared;
        }
        byte fill = src.get(ValueLayout.JAVA_BYTE, off + 2);
        for (long i = 3; i < len; i++) {
            if (src.get(ValueLayout.JAVA_BYTE, off + i) != fill) {
                return "mixed bytes at " + i;
            }
        }
        return null;
    }

    @Test
    void drainActionsWaitForProtectedThreads() throws Exception {
        LightEpoch epoch = new LightEpoch();
        int slot = epoch.protect();
        AtomicBoolean ran = new AtomicBoolean();
        epoch.bumpCurrentEpoch(() -> ran.set(true));
        assertThat(ran).isFalse();
        assertThat(epoch.pendingDrainCount()).isEqualTo(1);
        epoch.unprotect(slot);
        assertThat(ran).isTrue();
        assertThat(epoch.pendingDrainCount()).isZero();
    }

    @Test
    void protectionsFromOtherThreadsHoldBackDrains() throws Exception {
        LightEpoch epoch = new LightEpoch();
        AtomicBoolean ran = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().start(() -> {
            int slot = epoch.protect();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            epoch.unprotect(slot);
        });
        Thread.sleep(50);
        epoch.bumpCurrentEpoch(() -> ran.set(true));
        assertThat(ran).isFalse();
        reader.join();
        assertThat(ran).isTrue();
    }
}
