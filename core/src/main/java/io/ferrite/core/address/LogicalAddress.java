package io.ferrite.core.address;

/**
 * The 64-bit logical address of a record in a shard's HybridLog, laid out as in the reference
 * design: {@code [flags:4][segment:24][offset:36]}, high to low. Without flags, addresses grow
 * monotonically with the log, so the region boundaries (begin, head, read-only, tail) are plain
 * comparisons.
 *
 * <p>Hash index entries and record chain pointers hold the low {@value #STORED_BITS} bits of
 * an address (segments 0..4095), which is why a shard's log spans at most 4096 segments; the
 * log refuses to grow past that instead of wrapping.
 *
 * <p>Address 0 is {@link #NULL}: no record. The first record of a log starts at
 * {@link #FIRST_VALID}, so no real record ever has address 0.
 */
public final class LogicalAddress {
    public static final long NULL = 0L;
    /** The address of the first record a log ever writes. */
    public static final long FIRST_VALID = 64L;

    public static final int OFFSET_BITS = 36;
    public static final int SEGMENT_BITS = 24;
    public static final int FLAG_BITS = 4;
    /** Bits of an address kept in index entries and chain pointers. */
    public static final int STORED_BITS = 48;

    public static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    public static final long ADDRESS_MASK = (1L << (OFFSET_BITS + SEGMENT_BITS)) - 1;
    public static final long STORED_MASK = (1L << STORED_BITS) - 1;
    /** Largest segment number whose addresses fit in {@link #STORED_BITS}. */
    public static final long MAX_SEGMENT = (1L << (STORED_BITS - OFFSET_BITS)) - 1;

    private LogicalAddress() {}

    public static long of(long segment, long offset, int flags) {
        return ((long) flags << (OFFSET_BITS + SEGMENT_BITS)) | (segment << OFFSET_BITS) | offset;
    }

    public static long segment(long address) {
        return (address >>> OFFSET_BITS) & ((1L << SEGMENT_BITS) - 1);
    }

    public static long offset(long address) {
        return address & OFFSET_MASK;
    }

    public static int flags(long address) {
        return (int) (address >>> (OFFSET_BITS + SEGMENT_BITS));
    }

    /** The address without its flag bits: the position in the log. */
    public static long position(long address) {
        return address & ADDRESS_MASK;
    }

    public static String toString(long address) {
        return "%d:%d".formatted(segment(address), offset(address));
    }
}
