package io.ferrite.core.strings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The LCS command's algorithm: the longest common subsequence of two byte strings by Redis's
 * dynamic programming over an {@code (m+1) x (n+1)} table of 32-bit lengths, with the
 * backtracking that yields the subsequence itself and, for IDX, the matched ranges in Redis's
 * order (from the end of the strings backwards), MINMATCHLEN filtering and match lengths.
 *
 * <p>Call {@link #checkLimits} first: Redis refuses inputs whose table would exceed
 * proto-max-bulk-len. The table lives on the heap when it fits an {@code int[]} and off-heap
 * otherwise, and is released when {@link #compute} returns; LEN-only requests keep two rows.
 */
public final class Lcs {
    /** Reply text when a string is too long to index with 32 bits (without "ERR "). */
    public static final String ERR_TOO_LONG = "String too long for LCS";
    /** Reply text when the table would exceed proto-max-bulk-len (without "ERR "). */
    public static final String ERR_TABLE_TOO_BIG =
            "Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
    /** Reply text when the table cannot be allocated at all (without "ERR "). */
    public static final String ERR_ALLOC_FAILED = "Insufficient memory, failed allocating transient memory for LCS";
    /** Reply text for LEN together with IDX (without "ERR "). */
    public static final String ERR_LEN_AND_IDX = "If you want both the length and indexes, please just use IDX.";

    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    private Lcs() {
    }

    /**
     * The transient memory Redis would need for the table, {@code (aLen+1)*(bLen+1)*4} bytes,
     * or -1 if that does not fit 64 bits.
     */
    public static long tableBytes(long aLen, long bLen) {
        long cells = (aLen + 1) * (bLen + 1);
        if (Math.multiplyHigh(aLen + 1, bLen + 1) != 0 || cells < 0 || cells > Long.MAX_VALUE / 4) {
            return -1;
        }
        return cells * 4;
    }

    /**
     * Redis's admission checks, in order: each string shorter than {@code 2^32 - 2} bytes
     * ({@link #ERR_TOO_LONG}), a table size representable ({@link #ERR_ALLOC_FAILED}) and
     * not above {@code protoMaxBulkLen} ({@link #ERR_TABLE_TOO_BIG}). Returns {@code null} when
     * the inputs may be processed, else the error text.
     */
    public static String checkLimits(long aLen, long bLen, long protoMaxBulkLen) {
        if (aLen >= UINT32_MAX - 1 || bLen >= UINT32_MAX - 1) {
            return ERR_TOO_LONG;
        }
        long bytes = tableBytes(aLen, bLen);
        if (bytes < 0) {
            return ERR_ALLOC_FAILED;
        }
        if (bytes > protoMaxBulkLen) {
            return ERR_TABLE_TOO_BIG;
        }
        return null;
    }

    /** The outcome of {@link #compute}. */
    public static final class Result {
        private final long length;
        private final byte[] lcs;
        private final long[] matches; // 5 per match: aStart, aEnd, bStart, bEnd, len
        private final int matchCount;

        private Result(long length, byte[] lcs, long[] matches, int matchCount) {
            this.length = length;
            this.lcs = lcs;
            this.matches = matches;
            this.matchCount = matchCount;
        }

        /** The LCS length (the LEN reply, and "len" of the IDX reply). */
        public long length() {
            return length;
        }

        /** The LCS itself, or {@code null} if it was not requested. */
        public byte[] string() {
            return lcs;
        }

        /** Number of reported ranges (0 unless matches were requested). */
        public int matchCount() {
            return matchCount;
        }

        /** First index in the first string of range {@code i}, in Redis's reply order. */
        public long aStart(int i) {
            return matches[i * 5];
        }

        /** Last index (inclusive) in the first string of range {@code i}. */
        public long aEnd(int i) {
            return matches[i * 5 + 1];
        }

        /** First index in the second string of range {@code i}. */
        public long bStart(int i) {
            return matches[i * 5 + 2];
        }

        /** Last index (inclusive) in the second string of range {@code i}. */
        public long bEnd(int i) {
            return matches[i * 5 + 3];
        }

        /** Length of range {@code i} (the WITHMATCHLEN value). */
        public long matchLen(int i) {
            return matches[i * 5 + 4];
        }
    }

    /** {@link #compute(MemorySegment, long, long, MemorySegment, long, long, boolean, boolean, long)} on arrays. */
    public static Result compute(byte[] a, byte[] b, boolean wantString, boolean wantMatches, long minMatchLen) {
        return compute(MemorySegment.ofArray(a), 0, a.length, MemorySegment.ofArray(b), 0, b.length, wantString,
                wantMatches, minMatchLen);
    }

    /**
     * Computes the LCS of {@code a} and {@code b} (a missing key is an empty string). With
     * {@code wantString} the subsequence is returned; with {@code wantMatches} the IDX ranges,
     * keeping those at least {@code minMatchLen} long (values below 1 keep all). With neither,
     * only the length (LCS ... LEN). Inputs must have passed {@link #checkLimits}.
     *
     * @throws OutOfMemoryError when the table cannot be allocated ({@link #ERR_ALLOC_FAILED})
     */
    public static Result compute(MemorySegment a, long aOff, long aLen, MemorySegment b, long bOff, long bLen,
            boolean wantString, boolean wantMatches, long minMatchLen) {
        if (aLen >= UINT32_MAX - 1 || bLen >= UINT32_MAX - 1) {
            throw new IllegalArgumentException(ERR_TOO_LONG);
        }
        if (!wantString && !wantMatches) {
            return new Result(lengthOnly(a, aOff, aLen, b, bOff, bLen), null, new long[0], 0);
        }
        long bytes = tableBytes(aLen, bLen);
        if (bytes < 0) {
            throw new OutOfMemoryError(ERR_ALLOC_FAILED);
        }
        long cells = bytes / 4;
        if (cells <= Integer.MAX_VALUE - 16) {
            return withTable(MemorySegment.ofArray(new int[(int) cells]), a, aOff, aLen, b, bOff, bLen, wantString,
                    wantMatches, minMatchLen);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = arena.allocate(bytes, 4);
            return withTable(table, a, aOff, aLen, b, bOff, bLen, wantString, wantMatches, minMatchLen);
        }
    }

    private static int at(MemorySegment s, long off, long i) {
        return s.get(ValueLayout.JAVA_BYTE, off + i);
    }

    /** The LCS length with two rows of the table. */
    private static long lengthOnly(MemorySegment a, long aOff, long aLen, MemorySegment b, long bOff, long bLen) {
        if (aLen == 0 || bLen == 0) {
            return 0;
        }
        if (bLen > aLen) {
            // The length is symmetric: keep the rows along the shorter string.
            return lengthOnly(b, bOff, bLen, a, aOff, aLen);
        }
        if (bLen > Integer.MAX_VALUE - 16) {
            throw new OutOfMemoryError(ERR_ALLOC_FAILED);
        }
        int n = (int) bLen;
        int[] prev = new int[n + 1];
        int[] cur = new int[n + 1];
        for (long i = 1; i <= aLen; i++) {
            int ai = at(a, aOff, i - 1);
            cur[0] = 0;
            for (int j = 1; j <= n; j++) {
                if (ai == at(b, bOff, j - 1)) {
                    cur[j] = prev[j - 1] + 1;
                } else {
                    int l1 = prev[j];
                    int l2 = cur[j - 1];
                    cur[j] = Integer.compareUnsigned(l1, l2) > 0 ? l1 : l2;
                }
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return Integer.toUnsignedLong(prev[n]);
    }

    private static Result withTable(MemorySegment table, MemorySegment a, long aOff, long aLen, MemorySegment b,
            long bOff, long bLen, boolean wantString, boolean wantMatches, long minMatchLen) {
        long width = bLen + 1;
        // Row 0 and column 0 are zero: heap arrays and Arena allocations start zeroed.
        for (long i = 1; i <= aLen; i++) {
            int ai = at(a, aOff, i - 1);
            long row = i * width;
            long prevRow = row - width;
            for (long j = 1; j <= bLen; j++) {
                int v;
                if (ai == at(b, bOff, j - 1)) {
                    v = get(table, prevRow + j - 1) + 1;
                } else {
                    int l1 = get(table, prevRow + j);
                    int l2 = get(table, row + j - 1);
                    v = Integer.compareUnsigned(l1, l2) > 0 ? l1 : l2;
                }
                table.setAtIndex(ValueLayout.JAVA_INT, row + j, v);
            }
        }
        long total = Integer.toUnsignedLong(get(table, aLen * width + bLen));
        byte[] result = new byte[(int) total];
        long[] matches = new long[wantMatches ? 20 : 0];
        int matchCount = 0;
        long minLen = Math.max(0, minMatchLen);

        long idx = total;
        long arangeStart = aLen; // aLen means "no range in progress"
        long arangeEnd = 0;
        long brangeStart = 0;
        long brangeEnd = 0;
        long i = aLen;
        long j = bLen;
        while (i > 0 && j > 0) {
            boolean emitRange = false;
            if (at(a, aOff, i - 1) == at(b, bOff, j - 1)) {
                result[(int) (idx - 1)] = (byte) at(a, aOff, i - 1);
                if (arangeStart == aLen) {
                    arangeStart = i - 1;
                    arangeEnd = i - 1;
                    brangeStart = j - 1;
                    brangeEnd = j - 1;
                } else if (arangeStart == i && brangeStart == j) {
                    // Contiguous with the range so far: extend it backwards.
                    arangeStart--;
                    brangeStart--;
                } else {
                    emitRange = true;
                }
                if (arangeStart == 0 || brangeStart == 0) {
                    emitRange = true;
                }
                idx--;
                i--;
                j--;
            } else {
                int l1 = get(table, (i - 1) * width + j);
                int l2 = get(table, i * width + j - 1);
                if (Integer.compareUnsigned(l1, l2) > 0) {
                    i--;
                } else {
                    j--;
                }
                if (arangeStart != aLen) {
                    emitRange = true;
                }
            }
            if (emitRange) {
                long matchLen = arangeEnd - arangeStart + 1;
                if (wantMatches && (minLen == 0 || matchLen >= minLen)) {
                    if (matchCount * 5 + 5 > matches.length) {
                        matches = Arrays.copyOf(matches, matches.length * 2);
                    }
                    int m = matchCount * 5;
                    matches[m] = arangeStart;
                    matches[m + 1] = arangeEnd;
                    matches[m + 2] = brangeStart;
                    matches[m + 3] = brangeEnd;
                    matches[m + 4] = matchLen;
                    matchCount++;
                }
                arangeStart = aLen;
            }
        }
        return new Result(total, wantString ? result : null, matches, matchCount);
    }

    private static int get(MemorySegment table, long index) {
        return table.getAtIndex(ValueLayout.JAVA_INT, index);
    }
}
