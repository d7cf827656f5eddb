package io.ferrite.core.collection;

/**
 * Redis's rules for an index range [start, stop] of LRANGE and ZRANGE: negative indexes count
 * from the end, a start before the first element is clamped to it, a stop past the last to the
 * last; the range is empty when start ends up after stop or past the end.
 */
final class IndexRange {
    private IndexRange() {}

    /** The first index of the range in a collection of {@code size}. */
    static long first(long start, long size) {
        return start < 0 ? Math.max(0, size + start) : start;
    }

    /** The last index of the range in a collection of {@code size}. */
    static long last(long stop, long size) {
        return stop < 0 ? size + stop : Math.min(stop, size - 1);
    }

    static boolean isEmpty(long first, long last, long size) {
        return first > last || first >= size;
    }
}
