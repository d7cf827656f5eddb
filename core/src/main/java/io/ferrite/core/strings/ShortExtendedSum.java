package io.ferrite.core.strings;

/**
 * The x87 {@code long double} computation of INCRBYFLOAT for short decimal operands (below
 * 10^18 with at most 17 decimals), without allocating: each operand is rounded to a 64-bit
 * significand as {@code strtold} does, the two are added with one rounding, and the sum is
 * printed as {@code "%.17Lf"} trimmed, all in 64/128-bit integer arithmetic. It gives exactly
 * what {@link ExtendedFloat} gives for these inputs (the tests check both against each other
 * and against Redis). Mutable scratch state; one instance per thread.
 */
final class ShortExtendedSum {
    private static final long[] POW10 = new long[19];
    private static final long TEN_POW_17 = 100_000_000_000_000_000L;

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /** The last value produced by {@link #toExtended}: mantissa * 2^exponent, mantissa normalised. */
    private long mantissa;
    private int exponent;

    /**
     * Writes {@code (w1 / 10^s1) + (w2 / 10^s2)} as Redis prints the long double sum. Operands
     * are signed with {@code |w| < 10^18} and {@code 0 <= s <= 17}. Returns the byte count.
     */
    int sum(long w1, int s1, long w2, int s2, byte[] dst, int off) {
        boolean n1 = w1 < 0;
        boolean n2 = w2 < 0;
        toExtended(Math.abs(w1), s1);
        long m1 = mantissa;
        int e1 = exponent;
        toExtended(Math.abs(w2), s2);
        long m2 = mantissa;
        int e2 = exponent;
        if (m1 == 0) {
            return format(n2, m2, e2, dst, off);
        }
        if (m2 == 0) {
            return format(n1, m1, e1, dst, off);
        }
        // Order by magnitude: a >= b.
        if (e1 < e2 || (e1 == e2 && Long.compareUnsigned(m1, m2) < 0)) {
            long tm = m1;
            m1 = m2;
            m2 = tm;
            int te = e1;
            e1 = e2;
            e2 = te;
            boolean tn = n1;
            n1 = n2;
            n2 = tn;
        }
        int d = e1 - e2;
        // 128-bit fixed point: hi holds a's mantissa, b is aligned below it; lost bits -> sticky.
        long bhi;
        long blo;
        boolean sticky = false;
        if (d == 0) {
            bhi = m2;
            blo = 0;
        } else if (d < 64) {
            bhi = m2 >>> d;
            blo = m2 << (64 - d);
        } else if (d == 64) {
            bhi = 0;
            blo = m2;
        } else if (d < 128) {
            bhi = 0;
            blo = m2 >>> (d - 64);
            sticky = (m2 << (128 - d)) != 0;
        } else {
            bhi = 0;
            blo = 0;
            sticky = true;
        }
        long hi;
        long lo;
        int exp = e1; // exponent of hi's least significant bit
        if (n1 == n2) {
            lo = blo; // a's low word is zero
            hi = m1 + bhi;
            if (Long.compareUnsigned(hi, m1) < 0) {
                // carry out: shift right by one, the carry becomes the top bit
                sticky |= (lo & 1) != 0;
                lo = (lo >>> 1) | (hi << 63);
                hi = (hi >>> 1) | Long.MIN_VALUE;
                exp++;
            }
        } else {
            // a - b, and if bits of b were lost, a - b - tiny: borrow one unit and keep sticky.
            lo = -blo;
            long borrow = blo != 0 ? 1 : 0;
            if (sticky) {
                borrow += lo == 0 ? 1 : 0;
                lo -= 1;
            }
            hi = m1 - bhi - borrow;
            if (hi == 0 && lo == 0 && !sticky) {
                return format(false, 0, 0, dst, off);
            }
            int shift = hi != 0 ? Long.numberOfLeadingZeros(hi) : 64 + Long.numberOfLeadingZeros(lo);
            if (shift >= 64) {
                hi = lo << (shift - 64);
                lo = 0;
            } else if (shift > 0) {
                hi = (hi << shift) | (lo >>> (64 - shift));
                lo <<= shift;
            }
            exp -= shift;
        }
        // Round to 64 bits, half to even.
        boolean up = Long.compareUnsigned(lo, Long.MIN_VALUE) > 0
                || (lo == Long.MIN_VALUE && (sticky || (hi & 1) != 0));
        if (up) {
            hi++;
            if (hi == 0) {
                hi = Long.MIN_VALUE;
                exp++;
            }
        }
        return format(n1, hi, exp, dst, off);
    }

    /** Rounds {@code w / 10^s} (w >= 0) to a normalised 64-bit significand, as strtold. */
    private void toExtended(long w, int s) {
        if (w == 0) {
            mantissa = 0;
            exponent = 0;
            return;
        }
        if (s == 0) {
            int lz = Long.numberOfLeadingZeros(w);
            mantissa = w << lz;
            exponent = -lz;
            return;
        }
        long p = POW10[s];
        int bw = 64 - Long.numberOfLeadingZeros(w);
        int bp = 64 - Long.numberOfLeadingZeros(p);
        int k = 63 - bw + bp; // w * 2^k / p lies in (2^62, 2^64)
        long q = divide(w, k, p);
        if (q >= 0) { // below 2^63: one more bit
            k++;
            q = divide(w, k, p);
        }
        long r = (w << k) - q * p; // low words: N - q*p, exact since r < p
        if (k >= 64) {
            r = -(q * p); // (w << k) has a zero low word
        }
        // round half to even on r / p
        long twice = r << 1; // r < p < 2^57: no overflow
        if (twice > p || (twice == p && (q & 1) != 0)) {
            q++;
            if (q == 0) {
                q = Long.MIN_VALUE;
                k--;
            }
        }
        mantissa = q;
        exponent = -k;
    }

    /** floor((w << k) / p) for a quotient below 2^64 (k < 128, p < 2^63). */
    private static long divide(long w, int k, long p) {
        long hi;
        long lo;
        if (k >= 64) {
            hi = w << (k - 64);
            lo = 0;
        } else {
            hi = k == 0 ? 0 : w >>> (64 - k);
            lo = w << k;
        }
        return divlu(hi, lo, p);
    }

    /** Unsigned 128/64 division (Hacker's Delight divlu), requires {@code u1 < v}. */
    private static long divlu(long u1, long u0, long v) {
        final long b = 1L << 32;
        int s = Long.numberOfLeadingZeros(v);
        v <<= s;
        long vn1 = v >>> 32;
        long vn0 = v & 0xFFFF_FFFFL;
        long un32 = s == 0 ? u1 : (u1 << s) | (u0 >>> (64 - s));
        long un10 = u0 << s;
        long un1 = un10 >>> 32;
        long un0 = un10 & 0xFFFF_FFFFL;
        long q1 = Long.divideUnsigned(un32, vn1);
        long rhat = un32 - q1 * vn1;
        while (Long.compareUnsigned(q1, b) >= 0 || Long.compareUnsigned(q1 * vn0, (rhat << 32) | un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, b) >= 0) {
                break;
            }
        }
        long un21 = (un32 << 32) + un1 - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, b) >= 0 || Long.compareUnsigned(q0 * vn0, (rhat << 32) | un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, b) >= 0) {
                break;
            }
        }
        return (q1 << 32) | q0;
    }

    /**
     * Prints {@code mantissa * 2^exp} (below 2^63 in magnitude, exp <= 0) as "%.17Lf" with
     * trailing zeros and point removed and "-0" as "0".
     */
    private static int format(boolean negative, long mant, int exp, byte[] dst, int off) {
        long intPart;
        long frac; // numerator of the fraction over 2^sh
        int sh = -exp;
        if (mant == 0) {
            intPart = 0;
            frac = 0;
        } else if (sh == 0) {
            intPart = mant;
            frac = 0;
        } else if (sh < 64) {
            intPart = mant >>> sh;
            frac = mant & ((1L << sh) - 1);
        } else {
            intPart = 0;
            frac = mant;
        }
        long digits = 0; // the 17 decimals, rounded
        if (frac != 0) {
            // round(frac * 10^17 / 2^sh), half to even, with a 128-bit product
            long pl = frac * TEN_POW_17;
            long ph = Math.unsignedMultiplyHigh(frac, TEN_POW_17);
            long q;
            long remHi;
            long remLo;
            long halfHi;
            long halfLo;
            if (sh < 64) {
                q = (ph << (64 - sh)) | (pl >>> sh);
                remHi = 0;
                remLo = pl & ((1L << sh) - 1);
                halfHi = 0;
                halfLo = 1L << (sh - 1);
            } else if (sh == 64) {
                q = ph;
                remHi = 0;
                remLo = pl;
                halfHi = 0;
                halfLo = Long.MIN_VALUE;
            } else if (sh < 128) {
                q = ph >>> (sh - 64);
                remHi = ph & ((1L << (sh - 64)) - 1);
                remLo = pl;
                halfHi = 1L << (sh - 65);
                halfLo = 0;
                if (sh == 65) {
                    halfHi = 1;
                }
            } else {
                q = 0;
                remHi = ph;
                remLo = pl;
                halfHi = Long.MIN_VALUE; // 2^127 or more: the product (< 2^121) is below half
                halfLo = 0;
            }
            int cmp = remHi != halfHi ? Long.compareUnsigned(remHi, halfHi) : Long.compareUnsigned(remLo, halfLo);
            if (cmp > 0 || (cmp == 0 && (q & 1) != 0)) {
                q++;
            }
            if (q == TEN_POW_17) {
                intPart++;
                q = 0;
            }
            digits = q;
        }
        int p = off;
        if (intPart == 0 && digits == 0) {
            dst[p] = '0';
            return 1;
        }
        if (negative) {
            dst[p++] = '-';
        }
        p += RedisNumbers.formatLong(intPart, dst, p);
        if (digits != 0) {
            int nd = 17;
            while (digits % 10 == 0) {
                digits /= 10;
                nd--;
            }
            dst[p++] = '.';
            for (int i = p + nd - 1; i >= p; i--) {
                dst[i] = (byte) ('0' + digits % 10);
                digits /= 10;
            }
            p += nd;
        }
        return p - off;
    }
}
