package io.ferrite.core.collection;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A set of integers as Redis's intset keeps it: one width byte (2, 4 or 8), then the members
 * in ascending order, each a little-endian integer of that width. The width is the largest any
 * member has needed since the set was made; removing that member does not narrow it (what
 * Redis's DUMP shows). Membership is a binary search.
 *
 * <p>A value is the range {@code [offset, offset + length)}: {@code length = 1 + count * width}.
 */
public final class IntSet {
    /** Bytes before the members. */
    public static final int HEADER = 1;

    private IntSet() {}

    public static int width(MemorySegment value, long offset) {
        return value.get(ValueLayout.JAVA_BYTE, offset);
    }

    public static long count(MemorySegment value, long offset, long length) {
        return length <= HEADER ? 0 : (length - HEADER) / width(value, offset);
    }

    /** Member {@code index} (0-based, ascending). */
    public static long get(MemorySegment value, long offset, int width, long index) {
        long at = offset + HEADER + index * width;
        return switch (width) {
            case 2 -> value.get(ValueLayout.JAVA_SHORT_UNALIGNED, at);
            case 4 -> value.get(ValueLayout.JAVA_INT_UNALIGNED, at);
            default -> value.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
        };
    }

    /** Writes member {@code v} at position {@code index} of a set of width {@code width}. */
    public static void set(MemorySegment value, long offset, int width, long index, long v) {
        long at = offset + HEADER + index * width;
        switch (width) {
            case 2 -> value.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, (short) v);
            case 4 -> value.set(ValueLayout.JAVA_INT_UNALIGNED, at, (int) v);
            default -> value.set(ValueLayout.JAVA_LONG_UNALIGNED, at, v);
        }
    }

    /** The width a member {@code v} needs. */
    public static int widthFor(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 2;
        }
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 4 : 8;
    }

    /**
     * Binary search for {@code v}: its index when present, otherwise {@code -(insertion point) - 1}.
     */
    public static long search(MemorySegment value, long offset, long length, long v) {
        int width = width(value, offset);
        long low = 0;
        long high = count(value, offset, length) - 1;
        while (low <= high) {
            long mid = (low + high) >>> 1;
            long m = get(value, offset, width, mid);
            if (m < v) {
                low = mid + 1;
            } else if (m > v) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }
}
