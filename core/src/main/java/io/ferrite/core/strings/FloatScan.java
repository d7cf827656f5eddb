package io.ferrite.core.strings;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Recognises the text that C's {@code strtod}/{@code strtold} convert completely, minus leading
 * white space, which is what Redis's {@code string2d}/{@code string2ld} accept: an optional
 * sign, then a decimal number ({@code 12}, {@code 1.5}, {@code .5}, {@code 5.}, {@code 1e-3}),
 * a hexadecimal one ({@code 0x1.8p3}, {@code 0x10}), {@code inf}/{@code infinity} or
 * {@code nan}/{@code nan(chars)} (case-insensitive), and nothing after it. Range (overflow,
 * underflow) is not judged here.
 *
 * <p>For decimal input the scan also extracts, without allocating, the significand with its
 * trailing zeros moved into the exponent, so that short numbers can be converted on a fast
 * path. Instances are mutable scratch state; one per thread.
 */
final class FloatScan {
    static final int INVALID = 0;
    static final int DECIMAL = 1;
    static final int HEX = 2;
    static final int INFINITY = 3;
    static final int NAN = 4;

    /** Exponents are clamped to this magnitude while scanning; far beyond any double or x87 range. */
    private static final long EXP_CLAMP = 1_000_000_000L;

    /** One of the kind constants. */
    int kind;
    /** A leading '-' was present. */
    boolean negative;
    /** Some mantissa digit is not zero. */
    boolean nonZero;
    /** Significant digits, from the first non-zero digit to the last non-zero digit. */
    long sigDigits;
    /** Those digits as a number, exact when {@code sigDigits <= 18}. */
    long sig;
    /** Those digits as a 128-bit number (high and low words), exact when {@code sigDigits <= 38}. */
    long sigHi;
    long sigLo;
    /**
     * Decimal: the value is {@code sig * 10^exp10} (when exact). Hex: unused (see
     * {@link #expValue}).
     */
    long exp10;
    /** The explicit exponent ('e' for decimal, 'p' for hex), clamped; 0 when absent. */
    long expValue;
    /** Offsets (relative to the scanned text) of the mantissa: digits and an optional point. */
    long mantStart;
    long mantEnd;

    /** The scanned text: a segment, or an array when {@link #arr} is not null, from {@link #base}. */
    private MemorySegment seg;
    private byte[] arr;
    private long base;

    /** The byte at {@code i} of the scanned text, unsigned. */
    int at(long i) {
        return arr != null ? arr[(int) (base + i)] & 0xFF : seg.get(ValueLayout.JAVA_BYTE, base + i) & 0xFF;
    }

    /** Drops the reference to the scanned text (so scratch state does not retain it). */
    void release() {
        seg = null;
        arr = null;
    }

    /** {@link #scan(MemorySegment, long, long, long)} over an array range. */
    boolean scan(byte[] s, int off, int len, long maxLen) {
        arr = s;
        seg = null;
        base = off;
        return scan(len, maxLen);
    }

    /**
     * Scans {@code len} bytes at {@code off}. Texts longer than {@code maxLen} bytes are
     * invalid. Returns {@code kind != INVALID}.
     */
    boolean scan(MemorySegment s, long off, long len, long maxLen) {
        seg = s;
        arr = null;
        base = off;
        return scan(len, maxLen);
    }

    private boolean scan(long len, long maxLen) {
        kind = INVALID;
        negative = false;
        nonZero = false;
        sigDigits = 0;
        sig = 0;
        sigHi = 0;
        sigLo = 0;
        exp10 = 0;
        expValue = 0;
        mantStart = mantEnd = 0;
        if (len <= 0 || len > maxLen) {
            return false;
        }
        long i = 0;
        int c = at(0);
        if (c == '+' || c == '-') {
            negative = c == '-';
            i = 1;
            if (len == 1) {
                return false;
            }
        }
        c = at(i);
        int lower = c | 0x20;
        if (lower == 'i') {
            return scanInfinity(i, len);
        }
        if (lower == 'n') {
            return scanNan(i, len);
        }
        if (c == '0' && i + 1 < len && (at(i + 1) | 0x20) == 'x') {
            return scanHex(i + 2, len);
        }
        return scanDecimal(i, len);
    }

    private boolean scanInfinity(long i, long len) {
        long rest = len - i;
        if (rest == 3 && matchesIgnoreCase(i, "inf")) {
            kind = INFINITY;
            return true;
        }
        if (rest == 8 && matchesIgnoreCase(i, "infinity")) {
            kind = INFINITY;
            return true;
        }
        return false;
    }

    private boolean scanNan(long i, long len) {
        long rest = len - i;
        if (rest < 3 || !matchesIgnoreCase(i, "nan")) {
            return false;
        }
        if (rest == 3) {
            kind = NAN;
            return true;
        }
        // nan(n-char-sequence): letters, digits and '_' between the parentheses.
        if (rest < 5 || at(i + 3) != '(' || at(len - 1) != ')') {
            return false;
        }
        for (long j = i + 4; j < len - 1; j++) {
            int ch = at(j);
            boolean ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
                    || ch == '_';
            if (!ok) {
                return false;
            }
        }
        kind = NAN;
        return true;
    }

    private boolean scanHex(long i, long len) {
        mantStart = i;
        boolean dot = false;
        long digits = 0;
        while (i < len) {
            int ch = at(i);
            if (hexValue(ch) >= 0) {
                digits++;
                if (ch != '0') {
                    nonZero = true;
                }
            } else if (ch == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
            i++;
        }
        // "0x" without hex digits converts only the "0", leaving "x..." unconverted.
        if (digits == 0) {
            return false;
        }
        mantEnd = i;
        if (i < len) {
            int ch = at(i);
            if ((ch | 0x20) != 'p') {
                return false;
            }
            long end = scanExponent(i + 1, len);
            if (end != len) {
                return false;
            }
        }
        kind = HEX;
        return true;
    }

    private boolean scanDecimal(long i, long len) {
        mantStart = i;
        boolean dot = false;
        long digits = 0;
        long fracDigits = 0;
        long pendingZeros = 0; // zeros seen after a non-zero digit and not yet folded in
        while (i < len) {
            int ch = at(i);
            if (ch >= '0' && ch <= '9') {
                digits++;
                if (dot) {
                    fracDigits++;
                }
                if (ch == '0') {
                    if (nonZero) {
                        pendingZeros++;
                    }
                } else {
                    for (long z = 0; z < pendingZeros; z++) {
                        appendDigit(0);
                    }
                    nonZero = true;
                    pendingZeros = 0;
                    appendDigit(ch - '0');
                }
            } else if (ch == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
            i++;
        }
        if (digits == 0) {
            return false;
        }
        mantEnd = i;
        if (i < len) {
            int ch = at(i);
            if ((ch | 0x20) != 'e') {
                return false;
            }
            long end = scanExponent(i + 1, len);
            if (end != len) {
                return false;
            }
        }
        if (sigDigits > 18) {
            sig = 0; // not exact; the slow paths re-read the digits
        }
        exp10 = expValue - fracDigits + pendingZeros;
        kind = DECIMAL;
        return true;
    }

    private void appendDigit(int d) {
        sigDigits++;
        if (sigDigits <= 18) {
            sig = sig * 10 + d;
        }
        if (sigDigits <= 38) {
            long lo = sigLo * 10;
            long hi = sigHi * 10 + Math.unsignedMultiplyHigh(sigLo, 10);
            long sum = lo + d;
            if (Long.compareUnsigned(sum, lo) < 0) {
                hi++;
            }
            sigLo = sum;
            sigHi = hi;
        }
    }

    /**
     * Scans {@code [+-]digits} at {@code i}, storing the clamped value in {@link #expValue}.
     * Returns the offset after it, or -1 when there is no digit (then C stops before the
     * exponent letter, which leaves it unconverted).
     */
    private long scanExponent(long i, long len) {
        boolean neg = false;
        if (i < len) {
            int ch = at(i);
            if (ch == '+' || ch == '-') {
                neg = ch == '-';
                i++;
            }
        }
        long start = i;
        long v = 0;
        while (i < len) {
            int ch = at(i);
            if (ch < '0' || ch > '9') {
                break;
            }
            if (v < EXP_CLAMP) {
                v = v * 10 + (ch - '0');
            }
            i++;
        }
        if (i == start) {
            return -1;
        }
        if (v > EXP_CLAMP) {
            v = EXP_CLAMP;
        }
        expValue = neg ? -v : v;
        return i;
    }

    static int hexValue(int ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        int l = ch | 0x20;
        if (l >= 'a' && l <= 'f') {
            return l - 'a' + 10;
        }
        return -1;
    }

    private boolean matchesIgnoreCase(long i, String word) {
        for (int k = 0; k < word.length(); k++) {
            if ((at(i + k) | 0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

}
