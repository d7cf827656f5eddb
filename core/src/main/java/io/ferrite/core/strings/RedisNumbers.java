package io.ferrite.core.strings;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Number text conversions with Redis's exact rules: strict 64-bit integers ({@code string2ll},
 * {@code ll2string}), floats as INCRBYFLOAT/HINCRBYFLOAT see them ({@code string2ld}, x87
 * {@code long double} addition, {@code ld2string(LD_STR_HUMAN)}), doubles as ZADD and friends
 * see them ({@code string2d}), and double replies ({@code d2string} of Redis 7.2+ and the
 * {@code "%.17g"} of Redis 7.0).
 *
 * <p>Integer parsing and formatting, double formatting, short-decimal double parsing and
 * INCRBYFLOAT on ordinary decimals never allocate; results go to caller buffers or to a reusable {@link LongParse}. Inputs are views:
 * a {@link MemorySegment} (heap or native) with offset and length, or a {@code byte[]} range.
 * All methods are thread-safe (float parsing uses per-thread scratch state).
 *
 * <p><b>Floats.</b> Redis computes INCRBYFLOAT in x87 80-bit {@code long double} and prints
 * {@code "%.17Lf"} trimmed, which is why {@code 10.5 + 0.1} gives {@code 10.6} while
 * {@code 10000000000 + 0.1} gives {@code 10000000000.09999999962747097}. Java has no
 * {@code long double} and no {@code double}-based formatting reproduces both, so
 * {@link #incrByFloat} emulates the 80-bit arithmetic exactly: decimal operands of up to 38
 * significant digits below 2^62 (every realistic increment, and the values INCRBYFLOAT itself
 * writes) in allocation-free integer arithmetic, anything else (longer digit strings, huge or
 * tiny exponents, hexadecimal) with an exact {@link java.math.BigInteger} model of the x87
 * format and of glibc's conversions.
 */
public final class RedisNumbers {
    /** Longest text {@link #formatLong} writes ({@code "-9223372036854775808"}). */
    public static final int MAX_LONG_CHARS = 20;
    /** Room {@link #formatDouble} and {@link #formatDouble17g} need in the destination. */
    public static final int MAX_DOUBLE_CHARS = 32;
    /**
     * Redis's {@code MAX_LONG_DOUBLE_CHARS}: longer float texts are rejected, and
     * {@link #incrByFloat} needs this much room in the destination at most.
     */
    public static final int MAX_LONG_DOUBLE_CHARS = 5 * 1024;

    /** {@link #incrByFloat}: the current value is not a valid float. */
    public static final int FLOAT_VALUE_INVALID = -1;
    /** {@link #incrByFloat}: the increment is not a valid float. */
    public static final int FLOAT_INCREMENT_INVALID = -2;
    /** {@link #incrByFloat}: the result would be NaN or infinite (or an operand is infinite). */
    public static final int FLOAT_NAN_OR_INFINITY = -3;

    /** {@link #classifyLongDouble}: not a float Redis accepts. */
    public static final int LONG_DOUBLE_INVALID = 0;
    /** {@link #classifyLongDouble}: a finite float. */
    public static final int LONG_DOUBLE_FINITE = 1;
    /** {@link #classifyLongDouble}: {@code inf}, {@code -infinity} and the like. */
    public static final int LONG_DOUBLE_INFINITE = 2;

    private static final double[] POW10_DOUBLE = new double[23];

    static {
        double d = 1;
        for (int i = 0; i < POW10_DOUBLE.length; i++) {
            POW10_DOUBLE[i] = d;
            d *= 10;
        }
    }

    /** Per-thread scratch for the float scanners; reused, so float parsing does not allocate. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final FloatScan a = new FloatScan();
        final FloatScan b = new FloatScan();
        final ShortExtendedSum sum = new ShortExtendedSum();
    }

    private RedisNumbers() {
    }

    // ------------------------------------------------------------------------------------
    // 64-bit integers (string2ll / ll2string)
    // ------------------------------------------------------------------------------------

    /** Whether the bytes are a 64-bit integer in Redis's strict form (see {@link #tryParseLong}). */
    public static boolean isLong(MemorySegment s, long off, long len) {
        return parse(s, off, len, null);
    }

    /** {@link #isLong(MemorySegment, long, long)} for a {@code byte[]} range. */
    public static boolean isLong(byte[] s, int off, int len) {
        return parse(s, off, len, null);
    }

    /**
     * Parses a 64-bit integer as Redis's {@code string2ll}: an optional {@code '-'}, then
     * {@code "0"} or a non-zero digit followed by digits; no {@code '+'}, no spaces, no leading
     * zeros, no {@code "-0"}, at most 20 bytes, no overflow. Returns whether it parsed; on
     * success the value is in {@code out.value}. Never allocates or throws for bad input.
     */
    public static boolean tryParseLong(MemorySegment s, long off, long len, LongParse out) {
        return parse(s, off, len, out);
    }

    /** {@link #tryParseLong(MemorySegment, long, long, LongParse)} for a {@code byte[]} range. */
    public static boolean tryParseLong(byte[] s, int off, int len, LongParse out) {
        return parse(s, off, len, out);
    }

    /**
     * Parses as {@link #tryParseLong} and returns the value.
     *
     * @throws NumberFormatException when the bytes are not a valid integer
     */
    public static long parseLong(MemorySegment s, long off, long len) {
        LongParse out = new LongParse();
        if (!parse(s, off, len, out)) {
            throw new NumberFormatException("value is not an integer or out of range");
        }
        return out.value;
    }

    /** {@link #parseLong(MemorySegment, long, long)} for a {@code byte[]} range. */
    public static long parseLong(byte[] s, int off, int len) {
        LongParse out = new LongParse();
        if (!parse(s, off, len, out)) {
            throw new NumberFormatException("value is not an integer or out of range");
        }
        return out.value;
    }

    private static boolean parse(MemorySegment s, long off, long len, LongParse out) {
        if (len <= 0 || len > MAX_LONG_CHARS) {
            return false;
        }
        int c = s.get(ValueLayout.JAVA_BYTE, off);
        if (len == 1 && c == '0') {
            if (out != null) {
                out.value = 0;
            }
            return true;
        }
        long i = 0;
        boolean negative = false;
        if (c == '-') {
            negative = true;
            i = 1;
            if (len == 1) {
                return false;
            }
            c = s.get(ValueLayout.JAVA_BYTE, off + 1);
        }
        if (c < '1' || c > '9') {
            return false;
        }
        // Accumulate negatively: the negative range is the larger one.
        long v = -(c - '0');
        for (i++; i < len; i++) {
            c = s.get(ValueLayout.JAVA_BYTE, off + i);
            if (c < '0' || c > '9') {
                return false;
            }
            if (v < Long.MIN_VALUE / 10) {
                return false;
            }
            v *= 10;
            int digit = c - '0';
            if (v < Long.MIN_VALUE + digit) {
                return false;
            }
            v -= digit;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return false;
            }
            v = -v;
        }
        if (out != null) {
            out.value = v;
        }
        return true;
    }

    private static boolean parse(byte[] s, int off, int len, LongParse out) {
        if (len <= 0 || len > MAX_LONG_CHARS) {
            return false;
        }
        int c = s[off];
        if (len == 1 && c == '0') {
            if (out != null) {
                out.value = 0;
            }
            return true;
        }
        int i = 0;
        boolean negative = false;
        if (c == '-') {
            negative = true;
            i = 1;
            if (len == 1) {
                return false;
            }
            c = s[off + 1];
        }
        if (c < '1' || c > '9') {
            return false;
        }
        long v = -(c - '0');
        for (i++; i < len; i++) {
            c = s[off + i];
            if (c < '0' || c > '9') {
                return false;
            }
            if (v < Long.MIN_VALUE / 10) {
                return false;
            }
            v *= 10;
            int digit = c - '0';
            if (v < Long.MIN_VALUE + digit) {
                return false;
            }
            v -= digit;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return false;
            }
            v = -v;
        }
        if (out != null) {
            out.value = v;
        }
        return true;
    }

    /** Number of bytes {@link #formatLong} writes for {@code v}. */
    public static int longLength(long v) {
        int len = 1;
        if (v < 0) {
            len = 2;
        } else {
            v = -v;
        }
        // v <= 0 from here
        while (v <= -10) {
            v /= 10;
            len++;
        }
        return len;
    }

    /**
     * Writes {@code v} in decimal ASCII (as {@code ll2string}) at {@code dst[off]} and returns
     * the number of bytes written ({@link #longLength}).
     */
    public static int formatLong(long v, byte[] dst, int off) {
        int len = longLength(v);
        int p = off + len - 1;
        long n = v < 0 ? v : -v; // work negatively so that Long.MIN_VALUE is fine
        do {
            dst[p--] = (byte) ('0' - (n % 10));
            n /= 10;
        } while (n != 0);
        if (v < 0) {
            dst[off] = '-';
        }
        return len;
    }

    /** {@link #formatLong(long, byte[], int)} into a memory segment. */
    public static int formatLong(long v, MemorySegment dst, long off) {
        int len = longLength(v);
        long p = off + len - 1;
        long n = v < 0 ? v : -v;
        do {
            dst.set(ValueLayout.JAVA_BYTE, p--, (byte) ('0' - (n % 10)));
            n /= 10;
        } while (n != 0);
        if (v < 0) {
            dst.set(ValueLayout.JAVA_BYTE, off, (byte) '-');
        }
        return len;
    }

    // ------------------------------------------------------------------------------------
    // doubles (string2d, d2string, %.17g)
    // ------------------------------------------------------------------------------------

    /**
     * Parses a double as Redis's {@code string2d} ({@code strtod} on the whole text): decimal
     * or hexadecimal notation, {@code inf}/{@code infinity} (which yield an infinity), an
     * optional sign, no spaces, nothing after the number. NaN, overflow to infinity and
     * non-zero values that round to zero are rejected. Returns the value, or {@link Double#NaN}
     * when the text is not accepted (NaN is never a valid result, so it is a safe sentinel).
     * Short decimals take an allocation-free exact path; others allocate a transient String.
     */
    public static double parseDouble(MemorySegment s, long off, long len) {
        FloatScan scan = SCRATCH.get().a;
        try {
            return scan.scan(s, off, len, Long.MAX_VALUE) ? toDouble(scan) : Double.NaN;
        } finally {
            scan.release();
        }
    }

    /** {@link #parseDouble(MemorySegment, long, long)} for a {@code byte[]} range. */
    public static double parseDouble(byte[] s, int off, int len) {
        FloatScan scan = SCRATCH.get().a;
        try {
            return scan.scan(s, off, len, Long.MAX_VALUE) ? toDouble(scan) : Double.NaN;
        } finally {
            scan.release();
        }
    }

    private static double toDouble(FloatScan scan) {
        switch (scan.kind) {
            case FloatScan.INFINITY:
                return scan.negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            case FloatScan.DECIMAL:
                if (!scan.nonZero) {
                    return scan.negative ? -0.0 : 0.0;
                }
                if (scan.sigDigits <= 15 && scan.exp10 >= -22 && scan.exp10 <= 22) {
                    // Both the significand (< 2^53) and the power of ten are exact doubles,
                    // so one correctly rounded operation gives the correctly rounded result.
                    double d = scan.sig;
                    d = scan.exp10 >= 0 ? d * POW10_DOUBLE[(int) scan.exp10] : d / POW10_DOUBLE[(int) -scan.exp10];
                    return scan.negative ? -d : d;
                }
                return parseDoubleSlow(scan, false);
            case FloatScan.HEX:
                return parseDoubleSlow(scan, true);
            default:
                return Double.NaN;
        }
    }

    private static double parseDoubleSlow(FloatScan scan, boolean hex) {
        long len = scan.mantEnd - scan.mantStart;
        StringBuilder sb = new StringBuilder((int) Math.min(len + 32, Integer.MAX_VALUE - 16));
        if (scan.negative) {
            sb.append('-');
        }
        if (hex) {
            sb.append("0x");
        }
        for (long i = scan.mantStart; i < scan.mantEnd; i++) {
            sb.append((char) scan.at(i));
        }
        if (hex) {
            sb.append('p').append(scan.expValue);
        } else if (scan.expValue != 0) {
            sb.append('e').append(scan.expValue);
        }
        double d = Double.parseDouble(sb.toString());
        if (Double.isInfinite(d)) {
            return Double.NaN; // overflow: strtod reports ERANGE with HUGE_VAL
        }
        if (d == 0.0 && scan.nonZero) {
            return Double.NaN; // underflow to zero: ERANGE with 0
        }
        return d;
    }

    /**
     * Writes a double reply the way Redis 7.2 and later do ({@code d2string}): {@code nan},
     * {@code inf}, {@code -inf}, {@code 0} or {@code -0}, integers up to 2^62 in magnitude as
     * plain integers, anything else as Grisu2's short round-trip form ({@code 1.1},
     * {@code 1e+300}, {@code 1.5e-7}). Needs {@link #MAX_DOUBLE_CHARS} of room; returns the
     * number of bytes written.
     */
    public static int formatDouble(double v, byte[] dst, int off) {
        if (Double.isNaN(v)) {
            return put(dst, off, "nan");
        }
        if (Double.isInfinite(v)) {
            return put(dst, off, v > 0 ? "inf" : "-inf");
        }
        if (v == 0) {
            return put(dst, off, Double.doubleToRawLongBits(v) < 0 ? "-0" : "0");
        }
        // double2ll: the cast is exact and the range safe within +-2^62.
        if (v >= -0x1p62 && v <= 0x1p62) {
            long l = (long) v;
            if (l == v) {
                return formatLong(l, dst, off);
            }
        }
        return Grisu2.dtoa(v, dst, off);
    }

    /**
     * Writes {@code v} as C's {@code printf("%.17g")}, the double reply format of Redis up to
     * 7.0 (ZSCORE of 1.1 is {@code 1.1000000000000001}); infinities as {@code inf} and
     * {@code -inf}. Needs {@link #MAX_DOUBLE_CHARS} of room; returns the number of bytes.
     */
    public static int formatDouble17g(double v, byte[] dst, int off) {
        return Printf17g.format(v, dst, off);
    }

    // ------------------------------------------------------------------------------------
    // long double: INCRBYFLOAT / HINCRBYFLOAT
    // ------------------------------------------------------------------------------------

    /**
     * Classifies a float argument as Redis's {@code string2ld} sees it: the same grammar as
     * {@link #parseDouble}, but at most {@code MAX_LONG_DOUBLE_CHARS - 1} bytes and the range of
     * an x87 {@code long double} (so {@code 1e400} is finite). Returns
     * {@link #LONG_DOUBLE_INVALID}, {@link #LONG_DOUBLE_FINITE} or {@link #LONG_DOUBLE_INFINITE}.
     * HINCRBYFLOAT uses it to reject an infinite increment before reading the field.
     */
    public static int classifyLongDouble(MemorySegment s, long off, long len) {
        Scratch scratch = SCRATCH.get();
        try {
            return scratch.a.scan(s, off, len, MAX_LONG_DOUBLE_CHARS - 1) ? classify(scratch.a)
                    : LONG_DOUBLE_INVALID;
        } finally {
            scratch.a.release();
        }
    }

    /** {@link #classifyLongDouble(MemorySegment, long, long)} for a {@code byte[]} range. */
    public static int classifyLongDouble(byte[] s, int off, int len) {
        Scratch scratch = SCRATCH.get();
        try {
            return scratch.a.scan(s, off, len, MAX_LONG_DOUBLE_CHARS - 1) ? classify(scratch.a)
                    : LONG_DOUBLE_INVALID;
        } finally {
            scratch.a.release();
        }
    }

    private static int classify(FloatScan scan) {
        if (scan.kind == FloatScan.NAN) {
            return LONG_DOUBLE_INVALID;
        }
        if (scan.kind == FloatScan.INFINITY) {
            return LONG_DOUBLE_INFINITE;
        }
        if (obviouslyInRange(scan)) {
            return LONG_DOUBLE_FINITE;
        }
        return ExtendedFloat.parse(scan) == null ? LONG_DOUBLE_INVALID : LONG_DOUBLE_FINITE;
    }

    /**
     * Computes INCRBYFLOAT (and HINCRBYFLOAT) exactly as Redis on x86-64: parses the current
     * value and the increment as {@code long double}, adds them in 80-bit precision, and writes
     * the sum as {@code ld2string(LD_STR_HUMAN)} does ({@code "%.17Lf"} with trailing zeros and
     * point removed, {@code -0} printed as {@code 0}): {@code 10.5 + 0.1 = "10.6"},
     * {@code 5.0e3 + 0 = "5000"}, {@code 0.1 + 0.2 = "0.3"}.
     *
     * <p>Pass {@code current == null} for a missing key or field (value 0). Checks happen in
     * Redis's order: current value, increment, result. Returns the number of bytes written to
     * {@code dst} (at most about 4955; size it {@link #MAX_LONG_DOUBLE_CHARS}), or
     * {@link #FLOAT_VALUE_INVALID}, {@link #FLOAT_INCREMENT_INVALID} or
     * {@link #FLOAT_NAN_OR_INFINITY} (an infinite operand, as {@code +inf}, also yields the
     * latter, like Redis). Decimal operands of up to 38 significant digits below 2^62 are
     * handled without allocating.
     */
    public static int incrByFloat(MemorySegment current, long curOff, long curLen,
            MemorySegment increment, long incOff, long incLen, byte[] dst, int dstOff) {
        Scratch scratch = SCRATCH.get();
        try {
            boolean curOk = current == null || scratch.a.scan(current, curOff, curLen, MAX_LONG_DOUBLE_CHARS - 1);
            boolean incOk = scratch.b.scan(increment, incOff, incLen, MAX_LONG_DOUBLE_CHARS - 1);
            return incrByFloat(scratch, current != null, curOk, incOk, dst, dstOff);
        } finally {
            scratch.a.release();
            scratch.b.release();
        }
    }

    /** {@link #incrByFloat(MemorySegment, long, long, MemorySegment, long, long, byte[], int)} for byte ranges. */
    public static int incrByFloat(byte[] current, int curOff, int curLen, byte[] increment, int incOff, int incLen,
            byte[] dst, int dstOff) {
        Scratch scratch = SCRATCH.get();
        try {
            boolean curOk = current == null || scratch.a.scan(current, curOff, curLen, MAX_LONG_DOUBLE_CHARS - 1);
            boolean incOk = scratch.b.scan(increment, incOff, incLen, MAX_LONG_DOUBLE_CHARS - 1);
            return incrByFloat(scratch, current != null, curOk, incOk, dst, dstOff);
        } finally {
            scratch.a.release();
            scratch.b.release();
        }
    }

    private static int incrByFloat(Scratch scratch, boolean hasCurrent, boolean curOk, boolean incOk, byte[] dst,
            int dstOff) {
        FloatScan a = scratch.a;
        FloatScan b = scratch.b;
        if (hasCurrent && (!curOk || a.kind == FloatScan.NAN)) {
            return FLOAT_VALUE_INVALID;
        }
        if (!incOk || b.kind == FloatScan.NAN) {
            // The current value may still be out of range, which Redis reports first.
            if (hasCurrent && a.kind != FloatScan.INFINITY && !obviouslyInRange(a)
                    && ExtendedFloat.parse(a) == null) {
                return FLOAT_VALUE_INVALID;
            }
            return FLOAT_INCREMENT_INVALID;
        }

        // Decimal operands of up to 38 digits below 2^62: exact x87 arithmetic in integers.
        ShortExtendedSum shortSum = scratch.sum;
        if ((hasCurrent ? shortSum.load(true, a) : shortSum.loadZero()) && shortSum.load(false, b)) {
            return shortSum.sum(dst, dstOff);
        }

        // Anything else: the exact BigInteger model.
        ExtendedFloat x = hasCurrent ? ExtendedFloat.parse(a) : ExtendedFloat.zero(false);
        if (x == null) {
            return FLOAT_VALUE_INVALID;
        }
        ExtendedFloat y = ExtendedFloat.parse(b);
        if (y == null) {
            return FLOAT_INCREMENT_INVALID;
        }
        if (x.infinite || y.infinite) {
            return FLOAT_NAN_OR_INFINITY;
        }
        ExtendedFloat sum = ExtendedFloat.add(x, y);
        if (sum.infinite) {
            return FLOAT_NAN_OR_INFINITY;
        }
        return sum.formatHuman(dst, dstOff);
    }

    /**
     * Whether a scanned decimal is certainly a finite, non-underflowing long double (its
     * decimal exponent is far from the x87 limits), so that no exact conversion is needed to
     * accept it.
     */
    private static boolean obviouslyInRange(FloatScan scan) {
        if (scan.kind != FloatScan.DECIMAL) {
            return false;
        }
        if (!scan.nonZero) {
            return true;
        }
        long adjusted = scan.exp10 + scan.sigDigits - 1; // value in [10^adjusted, 10^(adjusted+1))
        return adjusted > -4900 && adjusted < 4900;
    }

    private static int put(byte[] dst, int off, String s) {
        for (int i = 0; i < s.length(); i++) {
            dst[off + i] = (byte) s.charAt(i);
        }
        return s.length();
    }
}
