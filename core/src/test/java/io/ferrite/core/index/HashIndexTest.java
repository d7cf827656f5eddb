package io.ferrite.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.log.LogicalAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashIndexTest {
    /** A fake log: each "record" is an address with a fixed key hash and a prev link. */
    private static final class FakeLog implements HashIndex.ChainReader {
        final Map<Long, Long> prev = new HashMap<>();
        final Map<Long, Long> hash = new HashMap<>();
        long next = 64;

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
        long found = walk(log, index.find(keyHash), keyHash);
        return found != LogicalAddress.NULL || !index.fallsBack(keyHash) ? found
                : index.search(keyHash, head -> walk(log, head, keyHash));
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
    void everyKeyStaysFindableWhileTheIndexDoublesManyTimes() {
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
    void overflowBucketsHoldMoreThanSevenTags() {
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
        int before = index.primaryBuckets();
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
}
