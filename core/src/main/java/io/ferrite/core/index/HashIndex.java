package io.ferrite.core.index;

import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.address.LogicalAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A FASTER-style hash index from key hashes to log addresses that grows one bucket at a time.
 * A primary bucket is two cache lines: fifteen entries and a link to a list of overflow
 * buckets of three entries and a link each (32 bytes, so little of one stands empty). An entry is
 * {@code [reserved:1][tag:15][address:48]}: one entry per (bucket, tag) pair points at the
 * newest record whose key hash has that tag; older records and other keys with the same tag
 * follow through the records' previous-address chain, so collisions cost a chain step, never a
 * second index slot.
 *
 * <p><b>Growth</b> is linear hashing: with {@code n} buckets and {@code low} the largest power
 * of two not above {@code n}, a hash goes to bucket {@code hash & (2 low - 1)}, or to that minus
 * {@code low} when the result is not below {@code n}. Whenever the index holds more than
 * {@code maxLoad} entries per bucket, bucket {@code n - low} is split into itself and the new
 * bucket {@code n}. The load stays near {@code maxLoad} (about 10 bytes per key at the default
 * of 16, i.e. 8-byte entries ~80% full, instead of 17-34 for an index that doubles; small
 * overflow buckets absorb the unevenness of linear hashing, whose not yet split buckets hold
 * twice as many keys as the split ones), no step re-reads more than one
 * bucket's chains, and no table is ever copied. Buckets live off-heap in fixed-size chunks;
 * overflow buckets come from a pool of chunks, and the ones a split frees are reused.
 *
 * <p>A split points each half's entry at the first record of the old chain that hashes to it.
 * A chain may then pass through records of the sibling bucket; lookups compare full keys, so
 * that is harmless. A cold record (on disk) cannot be hashed without a read, so a split stops
 * at the first one: when the new bucket got no record of its own before that point it is
 * marked to fall back to its parent, whose chain holds the cold rest; lookups that miss in a
 * marked bucket go on to its ancestors ({@link #search}).
 *
 * <p><b>Concurrency.</b> Changes ({@link #publish} and the splits it triggers) happen under
 * the owning shard's write lock. Readers take no lock: an insert changes one entry or links a
 * filled overflow bucket with a release store, which readers see whole or not at all; a split
 * rewrites a bucket, so it runs inside a sequence lock (an odd version while it writes) and
 * readers that overlap one retry.
 */
public final class HashIndex {
    /** Entries of a primary bucket; its link word follows them. */
    static final int PRIMARY_ENTRIES = 15;
    static final int PRIMARY_BYTES = (PRIMARY_ENTRIES + 1) * Long.BYTES;
    /** Entries of an overflow bucket; its link word follows them. */
    static final int OVERFLOW_ENTRIES = 3;
    static final int OVERFLOW_BYTES = (OVERFLOW_ENTRIES + 1) * Long.BYTES;
    private static final int TAG_SHIFT = 48;
    private static final long TAG_MASK = 0x7FFFL;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle VERSION;
    /** Primary buckets per chunk beyond the first: 512 x 128 bytes = 64 KiB. */
    private static final int CHUNK_SHIFT = 9;
    private static final long CHUNK_MASK = (1L << CHUNK_SHIFT) - 1;
    /** Overflow chunk j holds 32 << min(j, 6) buckets (up to 64 KiB): small indexes stay small. */
    private static final int OVERFLOW_FIRST_SHIFT = 5;
    private static final int OVERFLOW_GROWING_CHUNKS = 7;
    private static final long OVERFLOW_GROWN_START = (1L << OVERFLOW_FIRST_SHIFT) * ((1L << OVERFLOW_GROWING_CHUNKS) - 1);
    private static final int OVERFLOW_GROWN_SHIFT = OVERFLOW_FIRST_SHIFT + OVERFLOW_GROWING_CHUNKS - 1;
    /**
     * Flag in a primary bucket's link word: keys of this bucket may also sit in the chains of
     * its ancestor buckets (the bucket with the highest bit of its number cleared, and so on).
     * Set when a split reached cold records whose keys it could not hash.
     */
    private static final long FALLS_BACK = 1L << 63;
    /** The rest of a link word: the next overflow bucket's number plus one (0 = none). */
    private static final long LINK_MASK = ~FALLS_BACK;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(HashIndex.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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

    /**
     * Finds {@code key}'s record along the chain from {@code head}; returns its address or
     * {@link LogicalAddress#NULL}. The key is a parameter, not captured, so that a caller can
     * keep one walker for all lookups and a lookup allocates nothing.
     */
    @FunctionalInterface
    public interface ChainWalk<K> {
        /** Walks from {@code head}, looking at records at or above {@code floor} only. */
        long walk(long head, K key, long floor);
    }

    /**
     * The chunk arrays readers index into. Replaced (never changed) when a chunk is added, before
     * anything that makes readers look into the new chunk is published.
     */
    private record Chunks(MemorySegment[] primary, MemorySegment[] overflow) {}

    private final LightEpoch epoch;
    private final double maxLoad;
    private final int initialBuckets;
    /** Sequence lock of splits: odd while a split rewrites buckets. */
    @SuppressWarnings("unused") // accessed through VERSION
    private volatile long version;
    private volatile Chunks chunks;
    /** Number of primary buckets. */
    private volatile long buckets;

    // ---- writer state (under the shard's lock) ----
    private final List<Arena> arenas = new ArrayList<>();
    private long bytes;
    private long entryCount;
    /** Overflow buckets handed out so far (free ones included) and reusable ones. */
    private long overflowUsed;
    private long overflowCapacity;
    private long[] freeOverflow = new long[16];
    private int freeCount;
    /** Entries of the two halves of the bucket being split (reused). */
    private long[] lowerEntries = new long[16];
    private long[] upperEntries = new long[16];
    private int lowerCount;
    private int upperCount;
    /** Which records splits left linked from other buckets (null: not tracked). */
    private CrossLinks crossLinks;

    /**
     * @param initialBuckets primary buckets to start with (rounded up to a power of two, at least 16)
     * @param maxLoad        average entries per primary bucket above which a bucket is split
     */
    public HashIndex(int initialBuckets, double maxLoad, LightEpoch epoch) {
        this.epoch = epoch;
        this.maxLoad = maxLoad;
        this.initialBuckets = Math.max(16, Integer.highestOneBit(Math.max(1, initialBuckets - 1)) << 1);
        reset();
    }

    /**
     * Starts remembering, per bucket, the records that chains of other buckets pass through,
     * for {@link #linkedAcross}. Costs 8 bytes per bucket and a walk of the split chains at
     * each split; the part index uses it.
     */
    public void trackCrossLinks() {
        if (crossLinks == null) {
            crossLinks = new CrossLinks(buckets);
        }
    }

    /**
     * False only when no record of another bucket can have the record of {@code hash} at
     * {@code address} as its {@code prev} (always true when not tracked): see {@link CrossLinks}.
     */
    public boolean linkedAcross(long hash, long address) {
        return crossLinks == null || crossLinks.linkedAcross(bucketOf(hash, buckets), address);
    }

    private void reset() {
        int primaryChunks = (int) ((initialBuckets + CHUNK_MASK) >>> CHUNK_SHIFT);
        MemorySegment[] primary = new MemorySegment[primaryChunks];
        for (int i = 0; i < primaryChunks; i++) {
            primary[i] = allocate(Math.min(initialBuckets, 1L << CHUNK_SHIFT) * PRIMARY_BYTES, PRIMARY_BYTES);
        }
        overflowUsed = 0;
        overflowCapacity = 0;
        freeCount = 0;
        entryCount = 0;
        chunks = new Chunks(primary, new MemorySegment[0]);
        buckets = initialBuckets;
    }

    /** Zeroed off-heap memory, aligned so that no bucket straddles more cache lines than it must. */
    private MemorySegment allocate(long byteCount, long alignment) {
        Arena arena = Arena.ofShared();
        arenas.add(arena);
        bytes += byteCount;
        return arena.allocate(byteCount, alignment);
    }

    // ---- entries ----

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

    // ---- addressing ----

    /** The bucket {@code hash} lives in when the index has {@code n} buckets. */
    static long bucketOf(long hash, long n) {
        long low = Long.highestOneBit(n);
        long bucket = hash & ((low << 1) - 1);
        return bucket < n ? bucket : bucket - low;
    }

    /** The bucket this one was split from: its number without the highest set bit. */
    static long parent(long bucket) {
        return bucket & ~Long.highestOneBit(bucket);
    }

    /** Slot {@code slot} of primary bucket {@code bucket}: its segment and byte offset. */
    private static MemorySegment primaryChunk(Chunks c, long bucket) {
        return c.primary[(int) (bucket >>> CHUNK_SHIFT)];
    }

    private static long primaryOffset(long bucket) {
        return (bucket & CHUNK_MASK) * PRIMARY_BYTES;
    }

    /** Byte offset of the link word of a primary bucket. */
    private static long primaryLinkOffset(long bucket) {
        return primaryOffset(bucket) + (long) PRIMARY_ENTRIES * Long.BYTES;
    }

    private static int overflowChunk(long number) {
        if (number < OVERFLOW_GROWN_START) {
            return 63 - Long.numberOfLeadingZeros((number >>> OVERFLOW_FIRST_SHIFT) + 1);
        }
        return OVERFLOW_GROWING_CHUNKS + (int) ((number - OVERFLOW_GROWN_START) >>> OVERFLOW_GROWN_SHIFT);
    }

    private static long overflowStart(int chunk) {
        if (chunk < OVERFLOW_GROWING_CHUNKS) {
            return (1L << OVERFLOW_FIRST_SHIFT) * ((1L << chunk) - 1);
        }
        return OVERFLOW_GROWN_START + ((long) (chunk - OVERFLOW_GROWING_CHUNKS) << OVERFLOW_GROWN_SHIFT);
    }

    private static long overflowChunkBuckets(int chunk) {
        return 1L << (OVERFLOW_FIRST_SHIFT + Math.min(chunk, OVERFLOW_GROWING_CHUNKS - 1));
    }

    /**
     * A cursor over the words of one bucket's list (primary bucket, then its overflow buckets):
     * {@code segment} and {@code base} (byte offset of the bucket) of the current bucket, and
     * its number of entries, which is also the slot of its link word.
     */
    private static final class Cursor {
        MemorySegment segment;
        long base;
        int entries;

        void primary(Chunks c, long bucket) {
            segment = primaryChunk(c, bucket);
            base = primaryOffset(bucket);
            entries = PRIMARY_ENTRIES;
        }

        void overflow(Chunks c, long number) {
            int chunk = overflowChunk(number);
            segment = c.overflow[chunk];
            base = (number - overflowStart(chunk)) * OVERFLOW_BYTES;
            entries = OVERFLOW_ENTRIES;
        }

        long acquire(int slot) {
            return (long) LONG.getAcquire(segment, base + ((long) slot << 3));
        }

        void release(int slot, long value) {
            LONG.setRelease(segment, base + ((long) slot << 3), value);
        }

        /** Moves to the next overflow bucket; false at the end of the list. */
        boolean next(HashIndex index) {
            long link = acquire(entries) & LINK_MASK;
            if (link == 0) {
                return false;
            }
            overflow(index.chunks, link - 1);
            return true;
        }
    }

    /** The writer's cursors (under the shard's lock). */
    private final Cursor writeCursor = new Cursor();
    private final Cursor splitCursor = new Cursor();

    /** The head of {@code tag}'s chain in {@code bucket}'s list, or NULL; allocates nothing. */
    private long headIn(Chunks c, long bucket, int tag) {
        MemorySegment segment = primaryChunk(c, bucket);
        long base = primaryOffset(bucket);
        int entries = PRIMARY_ENTRIES;
        while (true) {
            for (int i = 0; i < entries; i++) {
                long e = (long) LONG.getAcquire(segment, base + ((long) i << 3));
                if (e != 0 && entryTag(e) == tag) {
                    return entryAddress(e);
                }
            }
            long link = (long) LONG.getAcquire(segment, base + ((long) entries << 3)) & LINK_MASK;
            if (link == 0) {
                return LogicalAddress.NULL;
            }
            // Re-read the chunks: the link may name a bucket of a chunk added after c was read.
            int chunk = overflowChunk(link - 1);
            segment = chunks.overflow[chunk];
            base = (link - 1 - overflowStart(chunk)) * OVERFLOW_BYTES;
            entries = OVERFLOW_ENTRIES;
        }
    }

    private static boolean fallsBack(Chunks c, long bucket) {
        return ((long) LONG.getAcquire(primaryChunk(c, bucket), primaryLinkOffset(bucket)) & FALLS_BACK) != 0;
    }

    // ---- lock-free reads ----

    private long readBegin() {
        while (true) {
            long v = (long) VERSION.getAcquire(this);
            if ((v & 1) == 0) {
                return v;
            }
            Thread.onSpinWait();
        }
    }

    /** True when no split ran since {@code v} was read (the loads before this stay before it). */
    private boolean readValid(long v) {
        return (long) VERSION.getAcquire(this) == v;
    }

    /**
     * The newest record address for {@code hash}'s tag in its bucket, or {@link LogicalAddress#NULL}.
     * The caller walks the chain from there comparing keys.
     */
    public long find(long hash) {
        int tag = tag(hash);
        while (true) {
            long v = readBegin();
            long head = headIn(chunks, bucketOf(hash, buckets), tag);
            if (readValid(v)) {
                return head;
            }
        }
    }

    /**
     * Looks {@code key} up: walks the chain of {@code hash}'s tag in its bucket and, while the
     * bucket is marked to fall back, in its ancestors; returns the first address the walk finds,
     * or NULL. Each bucket's entry and flag are validated against splits before its chain is
     * walked, and the whole search starts over when a split ran meanwhile, so it answers for one
     * state of the index.
     */
    public <K> long search(long hash, K key, long floor, ChainWalk<K> walk) {
        int tag = tag(hash);
        retry:
        while (true) {
            long v = readBegin();
            Chunks c = chunks;
            for (long bucket = bucketOf(hash, buckets); ; bucket = parent(bucket)) {
                long head = headIn(c, bucket, tag);
                boolean falls = fallsBack(c, bucket);
                if (!readValid(v)) {
                    continue retry;
                }
                if (head != LogicalAddress.NULL) {
                    long found = walk.walk(head, key, floor);
                    if (found != LogicalAddress.NULL) {
                        return found;
                    }
                }
                if (!falls) {
                    return LogicalAddress.NULL;
                }
            }
        }
    }

    // ---- changes (under the shard's lock) ----

    /**
     * Points {@code hash}'s tag at {@code address} (a new chain head). Must be called under the
     * shard's write lock. Entries whose address is below {@code beginAddress} are dead and
     * reused. May split one bucket.
     */
    public void publish(long hash, long address, ChainReader reader) {
        if (insert(bucketOf(hash, buckets), tag(hash), address, reader.beginAddress())) {
            entryCount++;
        }
        if (entryCount > buckets * maxLoad) {
            split(reader);
        }
    }

    /** Sets the entry of {@code tag} in {@code bucket}; true when it took a new slot. */
    private boolean insert(long bucket, int tag, long address, long begin) {
        Cursor at = writeCursor;
        at.primary(chunks, bucket);
        MemorySegment freeSegment = null;
        long freeOffset = 0;
        boolean freeWasEmpty = false;
        do {
            for (int i = 0; i < at.entries; i++) {
                long e = at.acquire(i);
                if (e != 0 && entryTag(e) == tag) {
                    at.release(i, entry(tag, address));
                    return false;
                }
                if (freeSegment == null && (e == 0 || entryAddress(e) < begin)) {
                    freeSegment = at.segment;
                    freeOffset = at.base + ((long) i << 3);
                    freeWasEmpty = e == 0;
                }
            }
        } while (at.next(this));
        if (freeSegment != null) {
            LONG.setRelease(freeSegment, freeOffset, entry(tag, address));
            return freeWasEmpty;
        }
        // Fill the new overflow bucket before linking it: readers see it whole or not at all.
        MemorySegment lastSegment = at.segment;
        long linkAt = at.base + ((long) at.entries << 3);
        long overflow = takeOverflow();
        at.overflow(chunks, overflow);
        at.release(0, entry(tag, address));
        long link = (long) LONG.getAcquire(lastSegment, linkAt);
        LONG.setRelease(lastSegment, linkAt, (overflow + 1) | (link & FALLS_BACK));
        return true;
    }

    /** An empty overflow bucket that no list links to. */
    private long takeOverflow() {
        long number;
        if (freeCount > 0) {
            number = freeOverflow[--freeCount];
        } else {
            if (overflowUsed == overflowCapacity) {
                int chunk = overflowChunk(overflowUsed);
                Chunks c = chunks;
                MemorySegment[] overflow = Arrays.copyOf(c.overflow, chunk + 1);
                overflow[chunk] = allocate(overflowChunkBuckets(chunk) * OVERFLOW_BYTES, 64);
                chunks = new Chunks(c.primary, overflow);
                overflowCapacity += overflowChunkBuckets(chunk);
            }
            number = overflowUsed++;
        }
        Cursor at = splitCursor;
        at.overflow(chunks, number);
        for (int i = 0; i <= OVERFLOW_ENTRIES; i++) {
            at.release(i, 0);
        }
        return number;
    }

    private void giveBackOverflow(long number) {
        if (freeCount == freeOverflow.length) {
            freeOverflow = Arrays.copyOf(freeOverflow, freeCount * 2);
        }
        freeOverflow[freeCount++] = number;
    }

    /**
     * Splits bucket {@code n - low} into itself and the new bucket {@code n}. The chains are
     * walked before the sequence lock is taken; inside it only the two buckets are written.
     */
    private void split(ChainReader reader) {
        long n = buckets;
        long low = Long.highestOneBit(n);
        long lower = n - low;
        long oldMask = low - 1;
        long newMask = (low << 1) - 1;
        long begin = reader.beginAddress();
        lowerCount = 0;
        upperCount = 0;
        boolean upperFallsBack = fallsBack(chunks, lower);
        int oldEntries = 0;
        Cursor at = writeCursor;
        at.primary(chunks, lower);
        do {
            for (int i = 0; i < at.entries; i++) {
                long e = at.acquire(i);
                if (e == 0) {
                    continue;
                }
                oldEntries++;
                if (entryAddress(e) >= begin) {
                    if (crossLinks != null) {
                        crossLinks.beforeSplit(entryAddress(e), lower, n, reader, begin);
                    }
                    upperFallsBack |= splitChain(lower, oldMask, newMask, entryTag(e), entryAddress(e), reader, begin);
                }
            }
        } while (at.next(this));

        long v = (long) VERSION.getAcquire(this);
        VERSION.setVolatile(this, v + 1);
        ensurePrimary(n);
        rewrite(lower, lowerEntries, lowerCount, fallsBack(chunks, lower));
        rewrite(n, upperEntries, upperCount, upperFallsBack);
        buckets = n + 1;
        VERSION.setRelease(this, v + 2);
        entryCount += lowerCount + upperCount - oldEntries;
    }

    /**
     * Gives each half of old bucket {@code lower} an entry at the first record of this chain that
     * hashes to it. Records of other buckets can sit in the chain (left there by earlier splits);
     * they are skipped, their own bucket's chain covers them. A cold record's key cannot be hashed
     * without a disk read, so the walk stops at the first one: the lower half, if it has no entry
     * yet, gets one pointing at the cold rest; the upper half, if it has none, falls back to the
     * lower (its parent). The cold rest is thus never referenced from more than the buckets that
     * existed, however often the index grows.
     *
     * @return true when the upper half must fall back to its parent
     */
    private boolean splitChain(long lower, long oldMask, long newMask, int tag, long head, ChainReader reader, long begin) {
        boolean lowerSet = false;
        boolean upperSet = false;
        for (long a = head; a >= begin && a != LogicalAddress.NULL && !(lowerSet && upperSet); a = reader.prev(a)) {
            if (!reader.inMemory(a)) {
                if (!lowerSet) {
                    lowerEntries = add(lowerEntries, lowerCount++, entry(tag, a));
                }
                return !upperSet;
            }
            long hash = reader.keyHash(a);
            if ((hash & oldMask) != lower) {
                continue;
            }
            if ((hash & newMask) == lower) {
                if (!lowerSet) {
                    lowerSet = true;
                    lowerEntries = add(lowerEntries, lowerCount++, entry(tag, a));
                }
            } else if (!upperSet) {
                upperSet = true;
                upperEntries = add(upperEntries, upperCount++, entry(tag, a));
            }
        }
        return false;
    }

    private static long[] add(long[] array, int at, long value) {
        long[] out = at < array.length ? array : Arrays.copyOf(array, array.length * 2);
        out[at] = value;
        return out;
    }

    /** Makes primary bucket {@code bucket} addressable (a new chunk, or a larger first chunk). */
    private void ensurePrimary(long bucket) {
        Chunks c = chunks;
        int chunk = (int) (bucket >>> CHUNK_SHIFT);
        if (chunk < c.primary.length && primaryOffset(bucket) < c.primary[chunk].byteSize()) {
            return;
        }
        MemorySegment[] primary = Arrays.copyOf(c.primary, Math.max(c.primary.length, chunk + 1));
        if (chunk == 0) {
            // The first chunk starts small and doubles up to a full chunk; readers are held off
            // by the sequence lock while it is copied, so none reads the old copy afterwards.
            MemorySegment old = c.primary[0];
            MemorySegment grown = allocate(Math.min((1L << CHUNK_SHIFT) * PRIMARY_BYTES, old.byteSize() * 2), PRIMARY_BYTES);
            grown.copyFrom(old);
            primary[0] = grown;
            retireChunk(old);
        } else {
            primary[chunk] = allocate((1L << CHUNK_SHIFT) * PRIMARY_BYTES, PRIMARY_BYTES);
        }
        chunks = new Chunks(primary, c.overflow);
    }

    /** Writes {@code count} entries into the list of {@code bucket}, reusing and freeing its overflow buckets. */
    private void rewrite(long bucket, long[] entries, int count, boolean fallsBack) {
        Cursor at = writeCursor;
        at.primary(chunks, bucket);
        int written = 0;
        long flag = fallsBack ? FALLS_BACK : 0; // kept in the primary bucket's link word only
        while (true) {
            for (int i = 0; i < at.entries; i++) {
                at.release(i, written < count ? entries[written++] : 0);
            }
            long link = at.acquire(at.entries) & LINK_MASK;
            if (written == count) {
                at.release(at.entries, flag);
                for (long next = link; next != 0; ) {
                    at.overflow(chunks, next - 1);
                    long after = at.acquire(at.entries) & LINK_MASK;
                    giveBackOverflow(next - 1);
                    next = after;
                }
                return;
            }
            if (link == 0) {
                MemorySegment segment = at.segment;
                long linkAt = at.base + ((long) at.entries << 3);
                link = takeOverflow() + 1;
                LONG.setRelease(segment, linkAt, link | flag);
            } else {
                at.release(at.entries, link | flag);
            }
            flag = 0;
            at.overflow(chunks, link - 1);
        }
    }

    private void retireChunk(MemorySegment segment) {
        bytes -= segment.byteSize();
        for (int i = 0; i < arenas.size(); i++) {
            Arena arena = arenas.get(i);
            if (segment.scope().equals(arena.scope())) {
                arenas.remove(i);
                epoch.bumpCurrentEpoch(arena::close);
                return;
            }
        }
    }

    // ---- iteration (under the shard's lock) ----

    /** Number of primary buckets. */
    public long primaryBuckets() {
        return buckets;
    }

    /**
     * The mask of the index's virtual table: the next power of two at or above the bucket count,
     * minus one. SCAN cursors iterate over it; a virtual bucket not yet split off lives in its parent.
     */
    public long mask() {
        return (Long.highestOneBit(buckets - 1) << 1) - 1;
    }

    /** The primary bucket whose chains hold the keys of hash {@code hash} (unless a split left them in an ancestor's). */
    public long bucketOf(long hash) {
        return physical(hash);
    }

    /** Bytes of memory the index takes. */
    public long memoryBytes() {
        return bytes + (crossLinks == null ? 0 : crossLinks.bytes());
    }

    /** Entries in use (approximate: dead entries are counted until reused or dropped by a split). */
    public long entryCount() {
        return entryCount;
    }

    /** The primary bucket holding virtual bucket {@code bucket & mask()}. */
    private long physical(long bucket) {
        long b = bucket & mask();
        return b < buckets ? b : parent(b);
    }

    /**
     * Calls {@code visitor} with the chain head of every entry of the bucket holding virtual
     * bucket {@code bucket & mask()}, including its overflow buckets. Under the shard's lock.
     */
    public void forEachChain(long bucket, java.util.function.LongConsumer visitor) {
        // Heads are collected first: a visitor may write (expiry deletes), and a write may split
        // this very bucket.
        long[] heads = new long[PRIMARY_ENTRIES];
        int count = 0;
        Cursor at = new Cursor();
        at.primary(chunks, physical(bucket));
        do {
            for (int i = 0; i < at.entries; i++) {
                long e = at.acquire(i);
                if (e != 0) {
                    heads = add(heads, count++, entryAddress(e));
                }
            }
        } while (at.next(this));
        for (int i = 0; i < count; i++) {
            visitor.accept(heads[i]);
        }
    }

    /**
     * As {@link #forEachChain}, then the same for the bucket's ancestors while the bucket (and
     * then each ancestor) is marked to fall back: every chain that may hold the bucket's keys.
     */
    public void forEachChainWithAncestors(long bucket, java.util.function.LongConsumer visitor) {
        for (long b = physical(bucket); ; b = parent(b)) {
            forEachChain(b, visitor);
            if (!fallsBack(chunks, b)) {
                return;
            }
        }
    }

    // ---- checkpoint images ----

    /**
     * A copy of the index's whole state, taken under the shard's lock for a checkpoint: the
     * chunks' bytes (copied into memory of the image's own, released by {@link #close}), the
     * bucket and overflow counts, the free overflow buckets, and the cross-link marks. Entries
     * and links hold log addresses and overflow bucket numbers, never memory addresses, so the
     * bytes are valid in another process over the same log.
     */
    public record Image(double maxLoad, int initialBuckets, long buckets, long entryCount, long overflowUsed,
                        long overflowCapacity, long[] freeOverflow, MemorySegment[] primary, MemorySegment[] overflow,
                        long[] crossLinkMarks, Arena arena) implements AutoCloseable {
        /** Bytes of the copied chunks. */
        public long bytes() {
            long total = 0;
            for (MemorySegment m : primary) {
                total += m.byteSize();
            }
            for (MemorySegment m : overflow) {
                total += m.byteSize();
            }
            return total;
        }

        @Override
        public void close() {
            if (arena != null) {
                arena.close();
            }
        }
    }

    /** Copies the index's state (under the shard's lock: no change may run meanwhile). */
    public Image image() {
        Chunks c = chunks;
        Arena arena = Arena.ofShared();
        MemorySegment[] primary = new MemorySegment[c.primary.length];
        for (int i = 0; i < primary.length; i++) {
            primary[i] = arena.allocate(c.primary[i].byteSize(), 64).copyFrom(c.primary[i]);
        }
        MemorySegment[] overflow = new MemorySegment[c.overflow.length];
        for (int i = 0; i < overflow.length; i++) {
            overflow[i] = arena.allocate(c.overflow[i].byteSize(), 64).copyFrom(c.overflow[i]);
        }
        return new Image(maxLoad, initialBuckets, buckets, entryCount, overflowUsed, overflowCapacity,
                Arrays.copyOf(freeOverflow, freeCount), primary, overflow,
                crossLinks == null ? null : crossLinks.marks(), arena);
    }

    /**
     * An index with the state of {@code image} (read back from a checkpoint): chunks of the
     * same sizes holding the same bytes. Throws IllegalArgumentException when the image is not
     * one this class could have made (a damaged checkpoint that passed its checksums).
     */
    public static HashIndex restore(Image image, LightEpoch epoch) {
        HashIndex index = new HashIndex(image.initialBuckets(), image.maxLoad(), epoch);
        index.load(image, true);
        return index;
    }

    /**
     * A read-only index over {@code image}'s own bytes (no copy), for reading what a checkpoint
     * froze: lookups and chain walks only, valid while the image is open. Nothing may be
     * published into it.
     */
    public static HashIndex view(Image image, LightEpoch epoch) {
        HashIndex index = new HashIndex(image.initialBuckets(), image.maxLoad(), epoch);
        index.load(image, false);
        return index;
    }

    private void load(Image image, boolean copy) {
        long n = image.buckets();
        if (n < 1 || image.primary().length != (int) ((n - 1) >>> CHUNK_SHIFT) + 1
                || image.overflowUsed() > image.overflowCapacity() || image.entryCount() < 0) {
            throw new IllegalArgumentException("index image with " + n + " buckets and " + image.primary().length
                    + " primary chunks is inconsistent");
        }
        long capacity = 0;
        for (int i = 0; i < image.overflow().length; i++) {
            if (image.overflow()[i].byteSize() != overflowChunkBuckets(i) * OVERFLOW_BYTES) {
                throw new IllegalArgumentException("index image: overflow chunk " + i + " has the wrong size");
            }
            capacity += overflowChunkBuckets(i);
        }
        if (capacity != image.overflowCapacity()) {
            throw new IllegalArgumentException("index image: overflow capacity " + image.overflowCapacity()
                    + " does not match its chunks (" + capacity + ")");
        }
        arenas.forEach(Arena::close);
        arenas.clear();
        bytes = 0;
        MemorySegment[] primary = new MemorySegment[image.primary().length];
        for (int i = 0; i < primary.length; i++) {
            MemorySegment from = image.primary()[i];
            long expected = i == 0 && n <= (1L << CHUNK_SHIFT) ? -1 : (1L << CHUNK_SHIFT) * PRIMARY_BYTES;
            if (from.byteSize() % PRIMARY_BYTES != 0 || (expected > 0 && from.byteSize() != expected)
                    || (i == primary.length - 1 && primaryOffset(n - 1) >= from.byteSize())) {
                throw new IllegalArgumentException("index image: primary chunk " + i + " has the wrong size");
            }
            primary[i] = copy ? allocate(from.byteSize(), PRIMARY_BYTES).copyFrom(from) : from;
        }
        MemorySegment[] overflow = new MemorySegment[image.overflow().length];
        for (int i = 0; i < overflow.length; i++) {
            MemorySegment from = image.overflow()[i];
            overflow[i] = copy ? allocate(from.byteSize(), 64).copyFrom(from) : from;
        }
        for (long free : image.freeOverflow()) {
            if (free < 0 || free >= image.overflowUsed()) {
                throw new IllegalArgumentException("index image: free overflow bucket " + free + " out of range");
            }
        }
        freeOverflow = Arrays.copyOf(image.freeOverflow(), Math.max(16, image.freeOverflow().length));
        freeCount = image.freeOverflow().length;
        overflowUsed = image.overflowUsed();
        overflowCapacity = image.overflowCapacity();
        entryCount = image.entryCount();
        chunks = new Chunks(primary, overflow);
        buckets = n;
        if (image.crossLinkMarks() != null) {
            crossLinks = CrossLinks.of(image.crossLinkMarks());
        }
    }

    /** Empties the index (FLUSHDB). Readers keep the old chunks until they finish. */
    public void clear() {
        List<Arena> old = new ArrayList<>(arenas);
        arenas.clear();
        bytes = 0;
        long v = (long) VERSION.getAcquire(this);
        VERSION.setVolatile(this, v + 1);
        reset();
        VERSION.setRelease(this, v + 2);
        epoch.bumpCurrentEpoch(() -> old.forEach(Arena::close));
    }

    /** Frees the index now; only when no reader can be active (store closed). */
    public void close() {
        arenas.forEach(Arena::close);
        arenas.clear();
    }
}
