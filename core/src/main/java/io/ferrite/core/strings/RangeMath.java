package io.ferrite.core.strings;

/**
 * Index arithmetic of Redis's ranged string commands: GETRANGE (SUBSTR) normalisation of
 * inclusive, possibly negative indexes, and the offset and size checks of SETRANGE and APPEND
 * ({@code checkStringLength}). Pure functions on lengths; nothing allocates.
 */
public final class RangeMath {
    /** SETRANGE reply text for a negative offset (without "ERR "). */
    public static final String ERR_OFFSET_OUT_OF_RANGE = "offset is out of range";
    /** Reply text when a value would exceed proto-max-bulk-len (without "ERR "). */
    public static final String ERR_STRING_TOO_LONG = "string exceeds maximum allowed size (proto-max-bulk-len)";

    /** {@link #checkSetRange}: the write may proceed. */
    public static final int OK = 0;
    /** {@link #checkSetRange}: the offset is negative ({@link #ERR_OFFSET_OUT_OF_RANGE}). */
    public static final int OFFSET_OUT_OF_RANGE = 1;
    /** {@link #checkSetRange}: the result would be too long ({@link #ERR_STRING_TOO_LONG}). */
    public static final int STRING_TOO_LONG = 2;

    private RangeMath() {
    }

    /**
     * GETRANGE: the first byte of the slice of a {@code strlen}-byte value selected by the
     * inclusive indexes {@code start} and {@code end} (negative ones count from the end). Only
     * meaningful when {@link #rangeLength} is positive.
     */
    public static long rangeStart(long strlen, long start, long end) {
        if (start < 0) {
            start = strlen + start;
        }
        return Math.max(start, 0);
    }

    /**
     * GETRANGE: the number of bytes of the slice (0 for an empty reply): negative indexes count
     * from the end, both ends are clamped to the value, and {@code start > end} (including two
     * negative indexes in that order, and an empty value) is empty.
     */
    public static long rangeLength(long strlen, long start, long end) {
        if (start < 0 && end < 0 && start > end) {
            return 0;
        }
        if (start < 0) {
            start = strlen + start;
        }
        if (end < 0) {
            end = strlen + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= strlen) {
            end = strlen - 1;
        }
        if (start > end || strlen == 0) {
            return 0;
        }
        return end - start + 1;
    }

    /**
     * SETRANGE's checks in Redis's order: a negative offset is refused
     * ({@link #OFFSET_OUT_OF_RANGE}) before anything else; an empty value is always fine (Redis
     * then replies the current length, or 0 for a missing key, and writes nothing); otherwise
     * {@code offset + valueLength} must not exceed {@code maxBulkLen} (proto-max-bulk-len,
     * 512 MB by default; {@link #STRING_TOO_LONG}). Returns {@link #OK} or an error code.
     */
    public static int checkSetRange(long offset, long valueLength, long maxBulkLen) {
        if (offset < 0) {
            return OFFSET_OUT_OF_RANGE;
        }
        if (valueLength == 0) {
            return OK;
        }
        return exceedsMaxSize(offset, valueLength, maxBulkLen) ? STRING_TOO_LONG : OK;
    }

    /**
     * Redis's {@code checkStringLength} (SETRANGE, APPEND): whether a value of {@code size}
     * bytes grown by {@code append} bytes would exceed {@code maxBulkLen}, counting 64-bit
     * overflow of the sum as exceeding.
     */
    public static boolean exceedsMaxSize(long size, long append, long maxBulkLen) {
        long total = size + append;
        return total > maxBulkLen || total < size || total < append;
    }

    /** The value length after SETRANGE writes {@code valueLength} bytes at {@code offset}. */
    public static long setRangeResultLength(long currentLength, long offset, long valueLength) {
        return valueLength == 0 ? currentLength : Math.max(currentLength, offset + valueLength);
    }
}
