package io.ferrite.core.types;

/** Placeholder replaced by io.ferrite.core.strings.RangeMath. */
final class StringRanges {
    private StringRanges() {}

    /** Returns {start, length} of GETRANGE start end over a value of {@code length} bytes. */
    static long[] normalize(long start, long end, long length) {
        if (start < 0) start = Math.max(0, length + start);
        if (end < 0) end = Math.max(0, length + end);
        if (end >= length) end = length - 1;
        if (start > end || length == 0) return new long[] {0, 0};
        return new long[] {start, end - start + 1};
    }
}
