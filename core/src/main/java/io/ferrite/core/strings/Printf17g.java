package io.ferrite.core.strings;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Double to text exactly as C's {@code printf("%.17g")} (glibc), which Redis up to 7.0 uses
 * for double replies such as ZSCORE: the exact binary value rounded to 17 significant digits,
 * fixed notation when the decimal exponent is in [-4, 17), exponential ({@code e+XX}, at least
 * two exponent digits) otherwise, trailing zeros and a trailing point removed.
 *
 * <p>The 17 digits come from a 128-bit approximation of the needed power of ten, which is
 * exact enough to decide the rounding except when the value lies within a hair of a rounding
 * boundary; then (about once in 2^60 inputs) a {@link BigDecimal} computes them exactly. No
 * exact tie exists: a double never has a 5 followed only by zeros at the 18th significant
 * digit.
 */
final class Printf17g {
    private static final long FRAC_MASK = 0x000FFFFFFFFFFFFFL;
    private static final long HIDDEN_BIT = 0x0010000000000000L;
    private static final long TEN_POW_16 = 10_000_000_000_000_000L;
    private static final long TEN_POW_17 = 100_000_000_000_000_000L;

    private Printf17g() {
    }

    /** Writes {@code d} as {@code "%.17g"} and returns the number of bytes (at most 24). */
    static int format(double d, byte[] dst, int off) {
        long bits = Double.doubleToRawLongBits(d);
        boolean neg = bits < 0;
        int p = off;
        if (neg) {
            dst[p++] = '-';
        }
        if (Double.isNaN(d)) {
            return p - off + put(dst, p, "nan");
        }
        if (Double.isInfinite(d)) {
            return p - off + put(dst, p, "inf");
        }
        if (d == 0.0) {
            dst[p] = '0';
            return p - off + 1;
        }
        int biased = (int) ((bits >>> 52) & 0x7FF);
        long m = bits & FRAC_MASK;
        int e2;
        if (biased == 0) {
            e2 = -1074;
        } else {
            m |= HIDDEN_BIT;
            e2 = biased - 1075;
        }
        int lz = Long.numberOfLeadingZeros(m) - 11;
        m <<= lz;
        e2 -= lz;

        // Estimate of floor(log10(|d|)); corrected below.
        int x = (int) Math.floor((e2 + 52) * 0.30102999566398119521);
        long n = 0;
        long frac = 0;
        boolean exact = false;
        for (int attempt = 0; attempt < 4; attempt++) {
            int k = 16 - x;
            long ph = PowersOfTen128.hi(k);
            long pl = PowersOfTen128.lo(k);
            // T = m * (ph:pl), 192 bits in t2:t1:t0
            long t0 = m * pl;
            long loHi = Math.unsignedMultiplyHigh(m, pl);
            long hiLo = m * ph;
            long t2 = Math.unsignedMultiplyHigh(m, ph);
            long t1 = loHi + hiLo;
            if (Long.compareUnsigned(t1, loHi) < 0) {
                t2++;
            }
            int sh = -(e2 + PowersOfTen128.exp(k));
            // n = T >> sh, frac = the 64 bits just below the binary point
            if (sh >= 128) {
                int s = sh - 128;
                n = s == 0 ? t2 : t2 >>> s;
                frac = s == 0 ? t1 : (t2 << (64 - s)) | (t1 >>> s);
            } else {
                int s = sh - 64; // 0 < s < 64 in practice (sh is about 120..130)
                n = s == 0 ? t1 : (t2 << (64 - s)) | (t1 >>> s);
                frac = s == 0 ? t0 : (t1 << (64 - s)) | (t0 >>> s);
            }
            if (n < TEN_POW_16) {
                x--;
                continue;
            }
            if (n >= TEN_POW_17) {
                x++;
                continue;
            }
            exact = true;
            break;
        }
        long half = Long.MIN_VALUE; // 2^63 as unsigned
        long distance = frac - half;
        if (!exact || (distance >= -8 && distance <= 8)) {
            BigDecimal bd = new BigDecimal(Math.abs(d)).round(new MathContext(17, RoundingMode.HALF_EVEN));
            BigInteger unscaled = bd.unscaledValue();
            int precision = bd.precision();
            x = precision - bd.scale() - 1;
            n = unscaled.multiply(BigInteger.TEN.pow(17 - precision)).longValueExact();
        } else if (Long.compareUnsigned(frac, half) > 0) {
            n++;
            if (n == TEN_POW_17) {
                n = TEN_POW_16;
                x++;
            }
        }
        return p - off + writeG(n, x, dst, p);
    }

    /** Writes the 17-digit {@code n} with decimal exponent {@code x} in %g style. */
    private static int writeG(long n, int x, byte[] dst, int off) {
        int nd = 17;
        while (n % 10 == 0) {
            n /= 10;
            nd--;
        }
        int p = off;
        if (x < -4 || x >= 17) {
            writeDigits(n, nd, dst, p + 1);
            dst[p] = dst[p + 1];
            if (nd > 1) {
                dst[p + 1] = '.';
                p += nd + 1;
            } else {
                p += 1;
            }
            dst[p++] = 'e';
            int ax = x;
            if (x < 0) {
                dst[p++] = '-';
                ax = -x;
            } else {
                dst[p++] = '+';
            }
            if (ax >= 100) {
                dst[p++] = (byte) ('0' + ax / 100);
            }
            dst[p++] = (byte) ('0' + (ax / 10) % 10);
            dst[p++] = (byte) ('0' + ax % 10);
            return p - off;
        }
        if (x >= 0) {
            int intDigits = x + 1;
            if (nd <= intDigits) {
                writeDigits(n, nd, dst, p);
                p += nd;
                for (int i = nd; i < intDigits; i++) {
                    dst[p++] = '0';
                }
                return p - off;
            }
            writeDigits(n, nd, dst, p + 1);
            System.arraycopy(dst, p + 1, dst, p, intDigits);
            dst[p + intDigits] = '.';
            return nd + 1;
        }
        dst[p++] = '0';
        dst[p++] = '.';
        for (int i = 0; i < -x - 1; i++) {
            dst[p++] = '0';
        }
        writeDigits(n, nd, dst, p);
        return p + nd - off;
    }

    private static void writeDigits(long n, int nd, byte[] dst, int at) {
        for (int i = at + nd - 1; i >= at; i--) {
            dst[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
    }

    private static int put(byte[] dst, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            dst[at + i] = (byte) s.charAt(i);
        }
        return s.length();
    }
}
