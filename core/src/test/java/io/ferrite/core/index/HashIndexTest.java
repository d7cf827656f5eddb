package io.ferrite.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.address.LogicalAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashIndexTest {
    /** A fake log: each "record" is an address with a fixed key hash and a prev link. */
    private static final class FakeLog implements HashIndex.ChainReader {
        final Map<Long, Long> prev = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<Long, Long> hash = new java.util.concurrent.ConcurrentHashMap<>();
        volatile long next = 64;

        long append(long keyHash, HashIndex index) {
            long address = next;
            next += 64;
            prev.put(address, index.find(keyHash));
            hash.put(address, keyHash);
            index.publish(keyHash, address, this);
            return address;
        }

        @Override
        public long prev(long address) {
            return prev.get(address);
        }

        @Override
        public long keyHash(long address) {
            if (address < head && growing) {
                throw new AssertionError("the index read the key of cold record " + address);
            }
            return hash.get(address);
        }

        boolean growing;

        /** Records below this address count as cold: the index must not read their keys. */
        long head = 0;

        @Override
        public long beginAddress() {
            return 64;
        }

        @Override
        public boolean inMemory(long address) {
            return address >= head;
        }
    }

    /** Finds the record of {@code keyHash} by walking the chain, as the shard does. */
    private static long lookup(HashIndex index, FakeLog log, long keyHash) {
        return index.search(keyHash, keyHash, 0, (head, k, floor) -> walk(log, head, k));
    }

    private static long walk(FakeLog log, long head, long keyHash) {
        for (long a = head; a != LogicalAddress.NULL; a = log.prev(a)) {
            if (log.keyHash(a) == keyHash) {
                return a;
            }
        }
        return LogicalAddress.NULL;
    }

    @Test
    void everyKeyStaysFindableWhileTheIndexSplitsBucketsManyTimes() {
        HashIndex index = new HashIndex(16, 6.0, new io.ferrite.core.epoch.LightEpoch());
        FakeLog log = new FakeLog();
        Random random = new Random(1);
        Map<Long, Long> newest = new HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            long keyHash = random.nextLong();
            newest.put(keyHash, log.append(keyHash, index));
            if (i % 7 == 0) {
                // Update an existing key: the newest version must win.
                long again = newest.keySet().iterator().next();
                newest.put(again, log.append(again, index));
            }
        }
        assertThat(index.primaryBuckets()).isGreaterThan(4096);
        for (Map.Entry<Long, Long> e : newest.entrySet()) {
            assertThat(lookup(index, log, e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Test
    void keysSharingBucketAndTagChainThroughRecords() {
        HashIndex index = new HashIndex(16, 6.0, new io.ferrite.core.epoch.LightEpoch());
        FakeLog log = new FakeLog();
        // Same low bits (bucket) and same tag bits, different elsewhere.
        long base = 0x1234_0000_0000_0005L;
        long a = log.append(base, index);
        long b = log.append(base | (1L << 20), index);
        long c = log.append(base | (1L << 21), index);
        assertThat(lookup(index, log, base)).isEqualTo(a);
        assertThat(lookup(index, log, base | (1L << 20))).isEqualTo(b);
        assertThat(lookup(index, log, base | (1L << 21))).isEqualTo(c);
        assertThat(index.entryCount()).isEqualTo(1);
    }

    @Test
    void overflowBucketsHoldTheTagsAFullPrimaryBucketCannot() {
        HashIndex index = new HashIndex(16, 100.0, new io.ferrite.core.epoch.LightEpoch()); // never grow: force overflow buckets
        FakeLog log = new FakeLog();
        Map<Long, Long> addresses = new HashMap<>();
        for (int tag = 0; tag < 40; tag++) {
            long keyHash = ((long) tag << 48) | 3; // bucket 3, distinct tags
            addresses.put(keyHash, log.append(keyHash, index));
        }
        assertThat(index.primaryBuckets()).isEqualTo(16);
        addresses.forEach((keyHash, address) -> assertThat(lookup(index, log, keyHash)).isEqualTo(address));
    }

    @Test
    void growthOverColdRecordsKeepsEveryKeyFindableWithoutReadingThem() {
        HashIndex index = new HashIndex(16, 6.0, new io.ferrite.core.epoch.LightEpoch());
        FakeLog log = new FakeLog();
        Random random = new Random(7);
        Map<Long, Long> newest = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            long keyHash = random.nextLong();
            newest.put(keyHash, log.append(keyHash, index));
        }
        log.head = log.next; // everything written so far is now "on disk"
        log.growing = true;
        long before = index.primaryBuckets();
        for (int i = 0; i < 20_000; i++) {
            long keyHash = random.nextLong();
            log.growing = true;
            newest.put(keyHash, log.append(keyHash, index));
        }
        assertThat(index.primaryBuckets()).isGreaterThan(before * 4);
        // Each key costs at most about one entry: cold chains are never copied over and over.
        assertThat(index.entryCount()).isLessThan(newest.size() + 2_000);
        log.growing = false;
        for (Map.Entry<Long, Long> e : newest.entrySet()) {
            assertThat(lookup(index, log, e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Test
    void theLoadStaysNearMaxLoadSoAKeyCostsAboutTenBytes() {
        HashIndex index = new HashIndex(16, 16.0, new io.ferrite.core.epoch.LightEpoch());
        FakeLog log = new FakeLog();
        Random random = new Random(3);
        long previous = index.primaryBuckets();
        for (int i = 0; i < 300_000; i++) {
            log.append(random.nextLong(), index);
            // Growth is one bucket at a time: never a doubling.
            assertThat(index.primaryBuckets()).isBetween(previous, previous + 1);
            previous = index.primaryBuckets();
        }
        assertThat(index.entryCount()).isBetween(299_000L, 300_000L);
        assertThat((double) index.primaryBuckets()).isCloseTo(index.entryCount() / 16.0, org.assertj.core.data.Offset.offset(1.0));
        System.out.printf("index: %.2f bytes per key%n", index.memoryBytes() / 300_000.0);
        assertThat(index.memoryBytes() / 300_000.0).isLessThan(10.8);
    }

    @Test
    void readersAlwaysFindEveryKeyWhileAWriterSplitsBuckets() throws Exception {
        HashIndex index = new HashIndex(16, 4.0, new io.ferrite.core.epoch.LightEpoch());
        FakeLog log = new FakeLog();
        Random random = new Random(11);
        long[] stable = new long[2_000];
        long[] addresses = new long[stable.length];
        for (int i = 0; i < stable.length; i++) {
            stable[i] = random.nextLong();
            addresses[i] = log.append(stable[i], index);
        }
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong misses = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong lookups = new java.util.concurrent.atomic.AtomicLong();
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                while (!done.get()) {
                    for (int i = 0; i < stable.length; i++) {
                        if (lookup(index, log, stable[i]) != addresses[i]) {
                            misses.incrementAndGet();
                        }
                        lookups.incrementAndGet();
                    }
                }
            });
            readers[r].start();
        }
        for (int i = 0; i < 200_000; i++) {
            log.append(random.nextLong(), index);
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(index.primaryBuckets()).isGreaterThan(40_000);
        assertThat(lookups.get()).isGreaterThan(0);
        assertThat(misses.get()).isZero();
    }

    @Test
    void clearEmptiesTheIndexAndItGrowsAgain() {
        HashIndex index = new HashIndex(16, 8.0, new io.ferrite.core.epoch.LightEpoch());
        FakeLog log = new FakeLog();
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            log.append(random.nextLong(), index);
        }
        long full = index.memoryBytes();
        index.clear();
        assertThat(index.primaryBuckets()).isEqualTo(16);
        assertThat(index.entryCount()).isZero();
        assertThat(index.memoryBytes()).isLessThan(full / 10);
        long key = random.nextLong();
        assertThat(index.find(key)).isEqualTo(LogicalAddress.NULL);
        Map<Long, Long> newest = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            key = random.nextLong();
            newest.put(key, log.append(key, index));
        }
        newest.forEach((k, address) -> assertThat(lookup(index, log, k)).isEqualTo(address));
    }

    @Test
    void aRecordIsLinkedAcrossBucketsOnlyAfterASplitLeftAnotherBucketsRecordPointingAtIt() {
        HashIndex index = new HashIndex(16, 1.0, new io.ferrite.core.epoch.LightEpoch());
        index.trackCrossLinks();
        FakeLog log = new FakeLog();
        // Same tag, same bucket among 16, different buckets once bucket 0 splits (bit 4).
        long first = 0x1234_0000_0000_0000L;
        long second = first | (1L << 4);
        long a1 = log.append(first, index);
        long a2 = log.append(second, index);
        assertThat(log.prev(a2)).isEqualTo(a1); // one chain holds both keys
        assertThat(index.linkedAcross(first, a1)).isFalse();
        assertThat(index.linkedAcross(second, a2)).isFalse();

        Random random = new Random(3);
        for (int i = 0; i < 100; i++) { // enough entries to split every one of the first 16 buckets
            log.append(random.nextLong() | 0x20, index);
        }
        // The split gave `second` its own bucket, whose chain still runs through a1.
        assertThat(index.linkedAcross(first, a1)).isTrue();
        assertThat(index.linkedAcross(second, a2)).isFalse();
        long fresh = log.append(random.nextLong(), index);
        assertThat(index.linkedAcross(log.hash.get(fresh), fresh)).isFalse();

        HashIndex untracked = new HashIndex(16, 1.0, new io.ferrite.core.epoch.LightEpoch());
        assertThat(untracked.linkedAcross(first, log.append(first, untracked))).isTrue();
    }
}
