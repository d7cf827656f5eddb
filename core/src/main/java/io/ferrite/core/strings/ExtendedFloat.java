package io.ferrite.core.strings;

import java.math.BigInteger;

/**
 * An exact software model of the x87 80-bit {@code long double} that Redis uses for
 * INCRBYFLOAT and HINCRBYFLOAT on x86-64: a 64-bit significand, round-half-even, subnormals
 * down to 2<sup>-16445</sup>, overflow at 2<sup>16384</sup>. It reproduces glibc's
 * {@code strtold} (correctly rounded), the addition, and {@code printf("%.17Lf")} with Redis's
 * trimming of trailing zeros, so that results match Redis byte for byte.
 *
 * <p>This is the slow, allocating path (it uses {@link BigInteger}); {@link RedisNumbers}
 * avoids it for short decimal operands whose result it can prove without it.
 */
final class ExtendedFloat {
    /** Exponent of the least significant bit of the smallest subnormal. */
    static final long MIN_LSB_EXP = -16445;
    /** Values at or above 2^this overflow to infinity. */
    static final long OVERFLOW_EXP = 16384;
    /** 10^17, the scale of "%.17Lf". */
    private static final BigInteger TEN_POW_17 = BigInteger.TEN.pow(17);

    static final ExtendedFloat POSITIVE_INFINITY = new ExtendedFloat(false, true, BigInteger.ZERO, 0);
    static final ExtendedFloat NEGATIVE_INFINITY = new ExtendedFloat(true, true, BigInteger.ZERO, 0);

    final boolean negative;
    final boolean infinite;
    /** Non-negative, below 2^64; zero means a (signed) zero. Value = mantissa * 2^exponent. */
    final BigInteger mantissa;
    final long exponent;

    private ExtendedFloat(boolean negative, boolean infinite, BigInteger mantissa, long exponent) {
        this.negative = negative;
        this.infinite = infinite;
        this.mantissa = mantissa;
        this.exponent = exponent;
    }

    static ExtendedFloat zero(boolean negative) {
        return new ExtendedFloat(negative, false, BigInteger.ZERO, 0);
    }

    static ExtendedFloat ofLong(long v) {
        if (v == 0) {
            return zero(false);
        }
        BigInteger m = BigInteger.valueOf(v);
        return new ExtendedFloat(v < 0, false, m.abs(), 0);
    }

    boolean isZero() {
        return !infinite && mantissa.signum() == 0;
    }

    /**
     * Converts text already accepted by {@code scan} (kind DECIMAL, HEX or INFINITY) the way
     * {@code strtold} does. Returns {@code null} when {@code strtold} would report a range
     * error that Redis rejects: overflow to infinity, or a non-zero number rounding to zero.
     */
    static ExtendedFloat parse(FloatScan scan) {
        return switch (scan.kind) {
            case FloatScan.INFINITY -> scan.negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
            case FloatScan.DECIMAL -> parseDecimal(scan);
            case FloatScan.HEX -> parseHex(scan);
            default -> null;
        };
    }

    private static ExtendedFloat parseDecimal(FloatScan scan) {
        if (!scan.nonZero) {
            return zero(scan.negative);
        }
        StringBuilder digits = new StringBuilder();
        long fracDigits = 0;
        boolean dot = false;
        for (long i = scan.mantStart; i < scan.mantEnd; i++) {
            int ch = scan.at(i);
            if (ch == '.') {
                dot = true;
                continue;
            }
            if (dot) {
                fracDigits++;
            }
            if (digits.isEmpty() && ch == '0') {
                continue; // leading zero
            }
            digits.append((char) ch);
        }
        BigInteger d = new BigInteger(digits.toString());
        long q10 = scan.expValue - fracDigits;
        long adjusted = q10 + digits.length() - 1; // value is in [10^adjusted, 10^(adjusted+1))
        if (adjusted > 4932) {
            return null; // >= 1e4933 > LDBL_MAX (about 1.19e4932)
        }
        if (adjusted < -4952) {
            return null; // < 1e-4951, below half the smallest subnormal (about 3.6e-4951): rounds to 0
        }
        ExtendedFloat r;
        if (q10 >= 0) {
            r = round(scan.negative, d.multiply(BigInteger.TEN.pow((int) q10)), 0, false);
        } else {
            BigInteger p = BigInteger.TEN.pow((int) -q10);
            long k = Math.max(0, 66L + p.bitLength() - d.bitLength() + 1);
            BigInteger[] qr = d.shiftLeft((int) k).divideAndRemainder(p);
            r = round(scan.negative, qr[0], -k, qr[1].signum() != 0);
        }
        return r == null || r.infinite ? null : r; // ERANGE: overflow or underflow to zero
    }

    private static ExtendedFloat parseHex(FloatScan scan) {
        if (!scan.nonZero) {
            return zero(scan.negative);
        }
        StringBuilder digits = new StringBuilder();
        long fracDigits = 0;
        boolean dot = false;
        for (long i = scan.mantStart; i < scan.mantEnd; i++) {
            int ch = scan.at(i);
            if (ch == '.') {
                dot = true;
                continue;
            }
            if (dot) {
                fracDigits++;
            }
            if (digits.isEmpty() && ch == '0') {
                continue;
            }
            digits.append((char) ch);
        }
        BigInteger h = new BigInteger(digits.toString(), 16);
        long e2 = scan.expValue - 4 * fracDigits;
        long top = e2 + h.bitLength(); // value in [2^(top-1), 2^top)
        if (top - 1 >= OVERFLOW_EXP) {
            return null;
        }
        if (top <= MIN_LSB_EXP - 1) {
            return null; // below half the smallest subnormal: rounds to zero
        }
        ExtendedFloat r = round(scan.negative, h, e2, false);
        return r == null || r.infinite ? null : r;
    }

    /**
     * Rounds {@code n * 2^e} (plus less than one unit of {@code 2^e} when {@code sticky}) to the
     * x87 format, half to even. Returns {@code null} on underflow to zero of a non-zero value
     * and an infinity on overflow. With {@code sticky}, {@code n} must carry at least 66 bits.
     */
    static ExtendedFloat round(boolean negative, BigInteger n, long e, boolean sticky) {
        int bl = n.bitLength();
        long lsb = Math.max(e + bl - 64, MIN_LSB_EXP);
        long shift = lsb - e;
        BigInteger q;
        if (shift <= 0) {
            if (sticky) {
                throw new AssertionError("sticky rounding needs more precision");
            }
            q = n;
            lsb = e;
        } else {
            q = n.shiftRight((int) shift);
            BigInteger rem = n.subtract(q.shiftLeft((int) shift));
            int cmp = rem.compareTo(BigInteger.ONE.shiftLeft((int) (shift - 1)));
            boolean up = cmp > 0 || (cmp == 0 && (sticky || q.testBit(0)));
            if (up) {
                q = q.add(BigInteger.ONE);
                if (q.bitLength() > 64) {
                    q = q.shiftRight(1);
                    lsb++;
                }
            }
        }
        if (q.signum() == 0) {
            return null;
        }
        if (lsb + q.bitLength() - 1 >= OVERFLOW_EXP) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        return new ExtendedFloat(negative, false, q, lsb);
    }

    /** The correctly rounded sum of two finite values (an infinity on overflow). */
    static ExtendedFloat add(ExtendedFloat a, ExtendedFloat b) {
        if (a.isZero()) {
            return b.isZero() ? zero(a.negative && b.negative) : b;
        }
        if (b.isZero()) {
            return a;
        }
        long e = Math.min(a.exponent, b.exponent);
        BigInteger na = a.mantissa.shiftLeft((int) (a.exponent - e));
        BigInteger nb = b.mantissa.shiftLeft((int) (b.exponent - e));
        BigInteger sum = (a.negative ? na.negate() : na).add(b.negative ? nb.negate() : nb);
        if (sum.signum() == 0) {
            return zero(false);
        }
        // An exact sum of representable values never underflows to zero.
        return round(sum.signum() < 0, sum.abs(), e, false);
    }

    /**
     * Formats a finite value as Redis's {@code ld2string(LD_STR_HUMAN)}: {@code "%.17Lf"},
     * trailing zeros and a trailing point removed, and {@code "-0"} turned into {@code "0"}.
     * Returns the number of bytes written.
     */
    int formatHuman(byte[] dst, int off) {
        String intPart;
        String frac;
        if (mantissa.signum() == 0) {
            intPart = "0";
            frac = "";
        } else if (exponent >= 0) {
            intPart = mantissa.shiftLeft((int) exponent).toString();
            frac = "";
        } else {
            int sh = (int) -exponent;
            BigInteger num = mantissa.multiply(TEN_POW_17);
            BigInteger q = num.shiftRight(sh);
            BigInteger rem = num.subtract(q.shiftLeft(sh));
            int cmp = rem.compareTo(BigInteger.ONE.shiftLeft(sh - 1));
            if (cmp > 0 || (cmp == 0 && q.testBit(0))) {
                q = q.add(BigInteger.ONE);
            }
            String s = q.toString();
            if (s.length() < 18) {
                s = "0".repeat(18 - s.length()) + s;
            }
            intPart = s.substring(0, s.length() - 17);
            int end = s.length();
            while (end > s.length() - 17 && s.charAt(end - 1) == '0') {
                end--;
            }
            frac = s.substring(s.length() - 17, end);
        }
        int p = off;
        boolean minusZero = intPart.equals("0") && frac.isEmpty();
        if (negative && !minusZero) {
            dst[p++] = '-';
        }
        for (int i = 0; i < intPart.length(); i++) {
            dst[p++] = (byte) intPart.charAt(i);
        }
        if (!frac.isEmpty()) {
            dst[p++] = '.';
            for (int i = 0; i < frac.length(); i++) {
                dst[p++] = (byte) frac.charAt(i);
            }
        }
        return p - off;
    }
}
