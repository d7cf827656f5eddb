package io.ferrite.core.log;

import io.ferrite.core.address.LogicalAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The layout of one record in a log page, and the atomic operations on its header word.
 *
 * <pre>
 * offset 0   long   header: [excl:1][shared:3][db:4][kind:4][filler:1][expiry:1][superseded:1][tombstone:1][prev:48]
 * offset 8   long   expire-at, epoch milliseconds (only when the EXPIRY flag is set; 0 = no TTL)
 * then       varint key length (LEB128, minimal)
 * then       varint value length (LEB128, fixed width for the record's life: may be padded)
 * then       key bytes, value bytes
 * end        padding to 8 bytes; with the FILLER flag, the allocated size as an int at the
 *            first 4-byte boundary after the value (so a shrunk value keeps its room)
 * </pre>
 *
 * Keys never change once written, so lock-free readers compare them without locking. Values
 * can be updated in place; readers copy them under the header's shared lock and writers take
 * the exclusive bit, so a reader never sees a half-written value. Every header change is
 * atomic (CAS or atomic bitwise ops), which keeps the lock bits intact.
 */
public final class RecordLayout {
    public static final long PREV_MASK = LogicalAddress.STORED_MASK;
    public static final long TOMBSTONE = 1L << 48;
    public static final long SUPERSEDED = 1L << 49;
    public static final long HAS_EXPIRY = 1L << 50;
    public static final long FILLER = 1L << 51;
    private static final int TYPE_SHIFT = 52;
    private static final int DB_SHIFT = 56;
    private static final long SHARED_ONE = 1L << 60;
    private static final long SHARED_MASK = 7L << 60;
    private static final long EXCLUSIVE = 1L << 63;
    private static final long LOCK_MASK = SHARED_MASK | EXCLUSIVE;

    /** Header bytes before the lengths when the record has no expiry slot. */
    public static final int HEADER_SIZE = 8;
    public static final int EXPIRY_SIZE = 8;
    /** Largest database number a record can carry. */
    public static final int MAX_DB = 15;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private RecordLayout() {}

    // ---- header word ----

    /**
     * The header word. Pages are native memory, read with acquire semantics (records there may
     * change); a cold block is a heap {@code byte[]} that never changes, read plainly (its
     * words are not 8-byte aligned for the JVM, so atomic access is not allowed there anyway).
     */
    public static long header(MemorySegment page, long record) {
        return page.isNative() ? (long) LONG.getVolatile(page, record) : page.get(ValueLayout.JAVA_LONG_UNALIGNED, record);
    }

    /** A header for a new record of {@link RecordKind} {@code kind}. */
    public static long newHeader(long prev, int kind, int db, boolean expiry) {
        return (prev & PREV_MASK) | ((long) kind << TYPE_SHIFT) | ((long) db << DB_SHIFT) | (expiry ? HAS_EXPIRY : 0);
    }

    public static void initHeader(MemorySegment page, long record, long header) {
        LONG.setRelease(page, record, header);
    }

    public static long prev(long header) {
        return header & PREV_MASK;
    }

    /** The record's {@link RecordKind}. */
    public static int kind(long header) {
        return (int) (header >>> TYPE_SHIFT) & 0xF;
    }

    public static int db(long header) {
        return (int) (header >>> DB_SHIFT) & 0xF;
    }

    public static boolean isTombstone(long header) {
        return (header & TOMBSTONE) != 0;
    }

    public static boolean isSuperseded(long header) {
        return (header & SUPERSEDED) != 0;
    }

    public static boolean hasExpirySlot(long header) {
        return (header & HAS_EXPIRY) != 0;
    }

    /** Atomically sets flag bits (TOMBSTONE, SUPERSEDED, FILLER), keeping every other bit. */
    public static void setFlags(MemorySegment page, long record, long flags) {
        LONG.getAndBitwiseOr(page, record, flags);
    }

    /** Atomically clears flag bits, keeping every other bit. */
    public static void clearFlags(MemorySegment page, long record, long flags) {
        LONG.getAndBitwiseAnd(page, record, ~flags);
    }

    /** Replaces the kind bits (a value rewritten in place in another encoding), keeping every other bit. */
    public static void setKind(MemorySegment page, long record, int kind) {
        long h;
        do {
            h = header(page, record);
        } while (!LONG.compareAndSet(page, record, h, (h & ~(0xFL << TYPE_SHIFT)) | ((long) kind << TYPE_SHIFT)));
    }

    // ---- record locks ----

    /** Takes the shared (reader) lock; spins while a writer holds the record. */
    public static void lockShared(MemorySegment page, long record) {
        for (int spins = 0; ; spins++) {
            long h = header(page, record);
            if ((h & EXCLUSIVE) == 0 && (h & SHARED_MASK) != SHARED_MASK
                    && LONG.compareAndSet(page, record, h, h + SHARED_ONE)) {
                return;
            }
            backoff(spins);
        }
    }

    public static void unlockShared(MemorySegment page, long record) {
        LONG.getAndAdd(page, record, -SHARED_ONE);
    }

    /** Takes the exclusive (writer) lock; spins until readers are gone. */
    public static void lockExclusive(MemorySegment page, long record) {
        for (int spins = 0; ; spins++) {
            long h = header(page, record);
            if ((h & LOCK_MASK) == 0 && LONG.compareAndSet(page, record, h, h | EXCLUSIVE)) {
                return;
            }
            backoff(spins);
        }
    }

    public static void unlockExclusive(MemorySegment page, long record) {
        LONG.getAndBitwiseAnd(page, record, ~EXCLUSIVE);
    }

    private static void backoff(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    // ---- expiry ----

    public static long expireAt(MemorySegment page, long record, long header) {
        if (!hasExpirySlot(header)) {
            return 0L;
        }
        return page.isNative() ? (long) LONG.getVolatile(page, record + HEADER_SIZE)
                : page.get(ValueLayout.JAVA_LONG_UNALIGNED, record + HEADER_SIZE);
    }

    public static void setExpireAt(MemorySegment page, long record, long expireAt) {
        LONG.setVolatile(page, record + HEADER_SIZE, expireAt);
    }

    // ---- lengths ----

    public static long lengthsOffset(long header) {
        return hasExpirySlot(header) ? HEADER_SIZE + EXPIRY_SIZE : HEADER_SIZE;
    }

    public static int varintSize(long value) {
        int size = 1;
        while (value >= 0x80) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    /** Largest value a varint of {@code width} bytes can hold. */
    public static long varintCapacity(int width) {
        return width >= 9 ? Long.MAX_VALUE : (1L << (7 * width)) - 1;
    }

    /** Writes {@code value} as a LEB128 varint of exactly {@code width} bytes (padded when needed). */
    public static void writeVarint(MemorySegment page, long at, long value, int width) {
        for (int i = 0; i < width - 1; i++) {
            page.set(ValueLayout.JAVA_BYTE, at + i, (byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        page.set(ValueLayout.JAVA_BYTE, at + width - 1, (byte) (value & 0x7F));
    }

    /** Reads a varint; returns {@code value << 4 | width}. */
    public static long readVarint(MemorySegment page, long at) {
        long value = 0;
        int shift = 0;
        int width = 0;
        byte b;
        do {
            b = page.get(ValueLayout.JAVA_BYTE, at + width);
            value |= (long) (b & 0x7F) << shift;
            shift += 7;
            width++;
        } while (b < 0 && width < 10);
        return (value << 4) | width;
    }

    /** Everything a reader needs to find a record's key and value; parsed once per access. */
    public static final class Shape {
        public long keyOffset;
        public long keyLength;
        public long valueOffset;
        public long valueLength;
        /** Offset of the value-length varint and its width, for in-place updates. */
        public long valueLengthAt;
        public int valueLengthWidth;

        /** Parses the record at {@code record}; offsets are absolute within {@code page}. */
        public Shape parse(MemorySegment page, long record, long header) {
            long at = record + lengthsOffset(header);
            long k = readVarint(page, at);
            at += k & 0xF;
            long v = readVarint(page, at);
            valueLengthAt = at;
            valueLengthWidth = (int) (v & 0xF);
            at += valueLengthWidth;
            keyOffset = at;
            keyLength = k >>> 4;
            valueOffset = at + keyLength;
            valueLength = v >>> 4;
            return this;
        }

        /** Bytes from the record start to the end of the value. */
        public long usedSize(long record) {
            return valueOffset + valueLength - record;
        }
    }

    /** Allocated size of the record whose parsed shape is {@code shape}. */
    public static long allocatedSize(MemorySegment page, long record, long header, Shape shape) {
        long used = shape.usedSize(record);
        if ((header & FILLER) != 0) {
            return page.get(ValueLayout.JAVA_INT_UNALIGNED, record + align4(used));
        }
        return align8(used);
    }

    /** Size to allocate for a record with the given key length and value capacity. */
    public static long sizeFor(long keyLength, long valueCapacity, boolean expiry) {
        return align8((expiry ? HEADER_SIZE + EXPIRY_SIZE : HEADER_SIZE)
                + varintSize(keyLength) + varintSize(valueCapacity) + keyLength + valueCapacity);
    }

    /**
     * Records the allocated size after the value length changed in place: sets FILLER and
     * writes the size when padding alone no longer explains it, clears FILLER otherwise.
     */
    public static void writeAllocatedSize(MemorySegment page, long record, long usedSize, long allocated) {
        if (allocated > align8(usedSize)) {
            page.set(INT, record + align4(usedSize), (int) allocated);
            setFlags(page, record, FILLER);
        } else {
            clearFlags(page, record, FILLER);
        }
    }

    public static long align8(long n) {
        return (n + 7) & ~7L;
    }

    public static long align4(long n) {
        return (n + 3) & ~3L;
    }
}
