package io.ferrite.core.index;

import io.ferrite.core.log.LogicalAddress;
import io.ferrite.core.epoch.LightEpoch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A FASTER-style hash index from key hashes to log addresses. Buckets are cache-line sized:
 * seven entries and an overflow link. An entry is {@code [reserved:1][tag:15][address:48]}:
 * one entry per (bucket, tag) pair points at the newest record whose key hash has that tag;
 * older records and other keys with the same tag follow through the records' previous-address
 * chain, so collisions cost a chain step, never a second index slot.
 *
 * <p>Reads are latch-free: {@link #find} reads the current table with acquire semantics.
 * Changes ({@link #publish}, growth) happen under the owning shard's write lock and are
 * published with release stores; growth builds a new table and swaps it in, so readers see
 * either the old or the new table, both complete.
 *
 * <p>Growth splits every chain between the two buckets a bucket becomes: the new entry of each
 * points at the first record of the old chain that hashes to it. A chain may then pass through
 * records of the sibling bucket; lookups compare full keys, so that is harmless. A cold record
 * (on disk) cannot be hashed without a read, so a split stops at the first one: when the upper
 * bucket got no record of its own before that point it is marked to fall back to its parent
 * (as in linear hashing), whose chain holds the cold rest; lookups that miss in a marked bucket
 * go on to its ancestors ({@link #search}).
 */
public final class HashIndex {
    static final int BUCKET_LONGS = 8;
    static final int ENTRIES = 7;
    private static final int TAG_SHIFT = 48;
    private static final long TAG_MASK = 0x7FFFL;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    /**
     * Flag in a primary bucket's link word: keys of this bucket may also sit in the chains of
     * its ancestor buckets (the bucket with the highest bit of its number cleared, and so on).
     * Set when growth split a chain that reached cold records whose keys it could not hash.
     */
    private static final long FALLS_BACK = 1L << 63;
    private static final long LINK_MASK = ~FALLS_BACK;

    /** Reads what the index needs from a record: its chain link and its key's hash. */
    public interface ChainReader {
        /** Previous address in the chain of the record at {@code address}. */
        long prev(long address);

        /** Full hash of the key of the record at {@code address}. */
        long keyHash(long address);

        /** Lowest address still in the log; entries and links below it are dead. */
        long beginAddress();

        /** True when the record at {@code address} can be read without going to disk. */
        boolean inMemory(long address);
    }

    /** Primary buckets followed by overflow buckets; overflow links are bucket numbers. */
    private volatile Table table;
    private final LightEpoch epoch;
    private final double maxLoad;
    private long entryCount;

    /** Bucket memory, off-heap so that a large index costs no GC work and no heap headroom. */
    private static final class Table {
        final Arena arena;
        final MemorySegment slots;
        final long mask;
        final int primary;
        final int capacity;
        int nextOverflow;

        Table(int primaryBuckets, int overflowBuckets) {
            this.primary = primaryBuckets;
            this.mask = primaryBuckets - 1;
            this.capacity = primaryBuckets + overflowBuckets;
            this.arena = Arena.ofShared();
            this.slots = arena.allocate((long) capacity * BUCKET_LONGS * Long.BYTES, 64);
            this.nextOverflow = primaryBuckets;
        }

        int capacityBuckets() {
            return capacity;
        }

        long get(int i) {
            return slots.getAtIndex(ValueLayout.JAVA_LONG, i);
        }

        long acquire(int i) {
            return (long) LONG.getAcquire(slots, (long) i << 3);
        }

        void release(int i, long value) {
            LONG.setRelease(slots, (long) i << 3, value);
        }

        long bytes() {
            return slots.byteSize();
        }
    }

    /**
     * @param initialBuckets primary buckets to start with (rounded up to a power of two)
     * @param maxLoad        average entries per primary bucket that triggers doubling
     */
    public HashIndex(int initialBuckets, double maxLoad, LightEpoch epoch) {
        this.epoch = epoch;
        int buckets = Math.max(16, Integer.highestOneBit(Math.max(1, initialBuckets - 1)) << 1);
        this.table = new Table(buckets, buckets / 32 + 1);
        this.maxLoad = maxLoad;
    }

    public static int tag(long hash) {
        return (int) ((hash >>> TAG_SHIFT) & TAG_MASK);
    }

    private static long entry(int tag, long address) {
        return ((long) tag << TAG_SHIFT) | (address & LogicalAddress.STORED_MASK);
    }

    private static int entryTag(long entry) {
        return (int) ((entry >>> TAG_SHIFT) & TAG_MASK);
    }

    private static long entryAddress(long entry) {
        return entry & LogicalAddress.STORED_MASK;
    }

    /**
     * The newest record address for {@code hash}'s tag in its bucket, or {@link LogicalAddress#NULL}.
     * The caller walks the chain from there comparing keys.
     */
    public long find(long hash) {
        Table t = table;
        return headIn(t, (int) (hash & t.mask), tag(hash));
    }

    /** Finds a record along chains; returns its address or {@link LogicalAddress#NULL}. */
    @FunctionalInterface
    public interface ChainWalk {
        long walk(long head);
    }

    /** True when a lookup of {@code hash} that missed in its own bucket must also try ancestors. */
    public boolean fallsBack(long hash) {
        Table t = table;
        return (t.acquire((int) (hash & t.mask) * BUCKET_LONGS + ENTRIES) & FALLS_BACK) != 0;
    }

    /**
     * Walks the chain of {@code hash}'s tag in its bucket and, while the bucket is marked to fall
     * back, in its ancestors, all in one snapshot of the table; returns the first address the
     * walk finds, or NULL.
     */
    public long search(long hash, ChainWalk walk) {
        Table t = table;
        int tag = tag(hash);
        for (long bucket = hash & t.mask; ; bucket = parent(bucket)) {
            long head = headIn(t, (int) bucket, tag);
            if (head != LogicalAddress.NULL) {
                long found = walk.walk(head);
                if (found != LogicalAddress.NULL) {
                    return found;
                }
            }
            if ((t.acquire((int) bucket * BUCKET_LONGS + ENTRIES) & FALLS_BACK) == 0) {
                return LogicalAddress.NULL;
            }
        }
    }

    /** The bucket this one was split from: its number without the highest set bit. */
    static long parent(long bucket) {
        return bucket & ~Long.highestOneBit(bucket);
    }

    private static long headIn(Table t, int bucket, int tag) {
        int base = bucket * BUCKET_LONGS;
        while (true) {
            for (int i = 0; i < ENTRIES; i++) {
                long e = t.acquire(base + i);
                if (e != 0 && entryTag(e) == tag) {
                    return entryAddress(e);
                }
            }
            long next = t.acquire(base + ENTRIES) & LINK_MASK;
            if (next == 0) {
                return LogicalAddress.NULL;
            }
            base = (int) next * BUCKET_LONGS;
        }
    }

    /**
     * Points {@code hash}'s tag at {@code address} (a new chain head). Must be called under the
     * shard's write lock. Entries whose address is below {@code beginAddress} are dead and reused.
     */
    public void publish(long hash, long address, ChainReader reader) {
        Table t = table;
        if (!insert(t, hash, address, reader.beginAddress())) {
            t = grow(t, reader, true);
            if (!insert(t, hash, address, reader.beginAddress())) {
                throw new IllegalStateException("index could not place an entry after growing");
            }
        }
        if (entryCount > t.primary * maxLoad) {
            grow(t, reader, false);
        }
    }

    /** @return false when the overflow area is full */
    private boolean insert(Table t, long hash, long address, long begin) {
        return insert(t, (int) (hash & t.mask), tag(hash), address, begin);
    }

    private boolean insert(Table t, int bucket, int tag, long address, long begin) {
        int base = bucket * BUCKET_LONGS;
        int free = -1;
        while (true) {
            for (int i = 0; i < ENTRIES; i++) {
                long e = t.get(base + i);
                if (e != 0 && entryTag(e) == tag) {
                    t.release(base + i, entry(tag, address));
                    return true;
                }
                if (free < 0 && (e == 0 || entryAddress(e) < begin)) {
                    free = base + i;
                }
            }
            long next = t.get(base + ENTRIES) & LINK_MASK;
            if (next == 0) {
                break;
            }
            base = (int) next * BUCKET_LONGS;
        }
        if (free >= 0) {
            if (t.get(free) == 0) {
                entryCount++;
            }
            t.release(free, entry(tag, address));
            return true;
        }
        if (t.nextOverflow >= t.capacityBuckets()) {
            return false;
        }
        int overflow = t.nextOverflow++;
        t.release(overflow * BUCKET_LONGS, entry(tag, address));
        entryCount++;
        t.release(base + ENTRIES, overflow | (t.get(base + ENTRIES) & FALLS_BACK));
        return true;
    }

    /** Builds a table twice as large (or, when only overflow ran out, with more overflow room). */
    private Table grow(Table old, ChainReader reader, boolean overflowOnly) {
        int primary = overflowOnly && entryCount <= old.primary * maxLoad ? old.primary : old.primary * 2;
        // Overflow room: what the old table used, plus headroom; more is added only on demand.
        int usedOverflow = old.nextOverflow - old.primary;
        int overflow = Math.max(primary / 32, overflowOnly ? usedOverflow * 2 : usedOverflow + primary / 16) + 1;
        while (true) {
            Table grown = new Table(primary, overflow);
            if (rebuild(old, grown, reader)) {
                table = grown;
                retire(old);
                return grown;
            }
            // Chains through cold records land in both halves of a split, so a rebuild can need
            // more overflow room than the old table used: try again with twice as much.
            grown.arena.close();
            overflow *= 2;
        }
    }

    /** Re-inserts every live chain of {@code old} into {@code grown}; false when overflow ran out. */
    private boolean rebuild(Table old, Table grown, ChainReader reader) {
        long begin = reader.beginAddress();
        entryCount = 0;
        for (int b = 0; b < old.primary; b++) {
            if ((old.get(b * BUCKET_LONGS + ENTRIES) & FALLS_BACK) != 0) {
                // Both halves of a bucket that falls back fall back too.
                markFallsBack(grown, b);
                if (grown.mask != old.mask) {
                    markFallsBack(grown, b + old.primary);
                }
            }
            int base = b * BUCKET_LONGS;
            while (true) {
                for (int i = 0; i < ENTRIES; i++) {
                    long e = old.get(base + i);
                    long address = entryAddress(e);
                    if (e != 0 && address >= begin && !splitChain(grown, b, old.mask, entryTag(e), address, reader, begin)) {
                        return false;
                    }
                }
                long next = old.get(base + ENTRIES) & LINK_MASK;
                if (next == 0) {
                    break;
                }
                base = (int) next * BUCKET_LONGS;
            }
        }
        return true;
    }

    private static void markFallsBack(Table t, long bucket) {
        int at = (int) bucket * BUCKET_LONGS + ENTRIES;
        t.release(at, t.get(at) | FALLS_BACK);
    }

    /**
     * Gives each new bucket that records of old bucket {@code oldBucket} in this chain hash to
     * an entry at its first such record. Records of other old buckets can sit in the chain
     * (left there by an earlier split); they are skipped, their own bucket's chain covers them.
     * A cold record's key cannot be hashed without a disk read, so the walk stops at the first
     * one: the lower bucket, if it has no entry yet, gets one pointing at the cold rest; the
     * upper bucket, if it has none, falls back to the lower (its parent). The cold rest is thus
     * never referenced from more than the buckets that existed, however often the index grows.
     */
    private boolean splitChain(Table grown, int oldBucket, long oldMask, int tag, long head, ChainReader reader, long begin) {
        long bucketA = -1;
        for (long a = head; a >= begin && a != LogicalAddress.NULL; a = reader.prev(a)) {
            if (!reader.inMemory(a)) {
                if (bucketA != oldBucket && !insert(grown, oldBucket, tag, a, 0)) {
                    return false;
                }
                long upper = oldBucket + oldMask + 1;
                if (grown.mask != oldMask && bucketA != upper) {
                    markFallsBack(grown, upper);
                }
                return true;
            }
            long hash = reader.keyHash(a);
            if ((hash & oldMask) != oldBucket) {
                continue;
            }
            long bucket = hash & grown.mask;
            if (bucketA < 0) {
                bucketA = bucket;
                if (!insert(grown, hash, a, 0)) {
                    return false;
                }
            } else if (bucket != bucketA) {
                return insert(grown, hash, a, 0);
            }
        }
        return true;
    }

    /** Number of primary buckets; SCAN cursors iterate over them. */
    public int primaryBuckets() {
        return table.primary;
    }

    /** Bytes of heap the index tables take. */
    public long memoryBytes() {
        return table.bytes();
    }

    /** Entries in use (approximate: dead entries are counted until reused or dropped by growth). */
    public long entryCount() {
        return entryCount;
    }

    /**
     * Calls {@code visitor} with the chain head of every entry of primary bucket
     * {@code bucket & mask}, including its overflow buckets. Under the shard's lock.
     */
    public void forEachChain(long bucket, java.util.function.LongConsumer visitor) {
        Table t = table;
        int base = (int) (bucket & t.mask) * BUCKET_LONGS;
        while (true) {
            for (int i = 0; i < ENTRIES; i++) {
                long e = t.get(base + i);
                if (e != 0) {
                    visitor.accept(entryAddress(e));
                }
            }
            long next = t.get(base + ENTRIES) & LINK_MASK;
            if (next == 0) {
                return;
            }
            base = (int) next * BUCKET_LONGS;
        }
    }

    /**
     * As {@link #forEachChain}, then the same for the bucket's ancestors while the bucket (and
     * then each ancestor) is marked to fall back: every chain that may hold the bucket's keys.
     */
    public void forEachChainWithAncestors(long bucket, java.util.function.LongConsumer visitor) {
        Table t = table;
        for (long b = bucket & t.mask; ; b = parent(b)) {
            forEachChain(b, visitor);
            if ((t.get((int) b * BUCKET_LONGS + ENTRIES) & FALLS_BACK) == 0) {
                return;
            }
        }
    }

    /** The mask applied to hashes to pick a primary bucket. */
    public long mask() {
        return table.mask;
    }

    /** Empties the index (FLUSHDB). Readers keep the old table until they finish. */
    public void clear() {
        Table old = table;
        table = new Table(Math.min(old.primary, 1024), Math.min(old.primary, 1024) / 32 + 1);
        entryCount = 0;
        retire(old);
    }

    /** Frees a replaced table once no reader can still be using it. */
    private void retire(Table old) {
        epoch.bumpCurrentEpoch(old.arena::close);
    }

    /** Frees the table now; only when no reader can be active (store closed). */
    public void close() {
        table.arena.close();
    }
}
