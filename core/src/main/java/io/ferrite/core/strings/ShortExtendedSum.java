package io.ferrite.core.strings;

/**
 * The x87 {@code long double} computation of INCRBYFLOAT without allocating, for decimal
 * operands of at most 38 significant digits and magnitude below 2^62 (which covers nearly all
 * increments and the values INCRBYFLOAT itself writes, such as
 * {@code 5000.10000000000000009}): each operand is rounded to a 64-bit significand as
 * {@code strtold} does, the two are added with one rounding, and the sum is printed as
 * {@code "%.17Lf"} trimmed, all in 64/128/256-bit integer arithmetic. The conversion uses a
 * truncated 128-bit power of ten, so it declines (and the caller falls back to the exact
 * {@link ExtendedFloat}) when a value lies within a few 2^-128 of a rounding boundary. The
 * tests check this class against {@link ExtendedFloat} and both against Redis. Mutable scratch
 * state; one instance per thread.
 */
final class ShortExtendedSum {
    private static final long TEN_POW_17 = 100_000_000_000_000_000L;
    /** Operands must be below 2^this, so that the sum stays below 2^63. */
    private static final int MAX_BINARY_EXPONENT = 62;

    /** The two loaded operands: value = (neg ? -1 : 1) * mant * 2^exp, mant normalised or 0. */
    private long m1;
    private int e1;
    private boolean n1;
    private long m2;
    private int e2;
    private boolean n2;

    /** The last value produced by {@link #toExtended}: mantissa * 2^exponent, mantissa normalised. */
    private long mantissa;
    private int exponent;

    /** Loads zero (a missing key) as the first operand. Returns true. */
    boolean loadZero() {
        m1 = 0;
        e1 = 0;
        n1 = false;
        return true;
    }

    /**
     * Loads operand {@code first ? 1 : 2} from a scan; returns false when it is outside this
     * class's domain (not decimal, too many digits, too large, or too close to a rounding
     * boundary to decide with 128-bit powers of ten).
     */
    boolean load(boolean first, FloatScan scan) {
        if (scan.kind != FloatScan.DECIMAL) {
            return false;
        }
        long mant = 0;
        int exp = 0;
        if (scan.nonZero) {
            if (scan.sigDigits > 38 || scan.exp10 < PowersOfTen128.MIN_K || scan.exp10 > 38) {
                return false;
            }
            if (!toExtended(scan.sigHi, scan.sigLo, (int) scan.exp10)) {
                return false;
            }
            mant = mantissa;
            exp = exponent;
            if (exp + 64 > MAX_BINARY_EXPONENT) {
                return false;
            }
        }
        if (first) {
            m1 = mant;
            e1 = exp;
            n1 = scan.negative;
        } else {
            m2 = mant;
            e2 = exp;
            n2 = scan.negative;
        }
        return true;
    }

    /** Writes the sum of the loaded operands as Redis prints it; returns the byte count. */
    int sum(byte[] dst, int off) {
        long m1 = this.m1;
        long m2 = this.m2;
        int e1 = this.e1;
        int e2 = this.e2;
        boolean n1 = this.n1;
        boolean n2 = this.n2;
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

    /**
     * Rounds {@code (hi:lo) * 10^q} (non-zero) to a normalised 64-bit significand, half to
     * even, into {@link #mantissa} and {@link #exponent}. Returns false when the truncated
     * power of ten leaves the rounding undecided.
     */
    private boolean toExtended(long hi, long lo, int q) {
        // Normalise w to 128 bits with the top bit set.
        int lz = hi != 0 ? Long.numberOfLeadingZeros(hi) : 64 + Long.numberOfLeadingZeros(lo);
        long w1;
        long w0;
        if (lz >= 64) {
            w1 = lo << (lz - 64);
            w0 = 0;
        } else if (lz > 0) {
            w1 = (hi << lz) | (lo >>> (64 - lz));
            w0 = lo << lz;
        } else {
            w1 = hi;
            w0 = lo;
        }
        long p1 = PowersOfTen128.hi(q);
        long p0 = PowersOfTen128.lo(q);
        // T = W * P, 256 bits t3:t2:t1 (t0 is not needed).
        long a0h = Math.unsignedMultiplyHigh(w0, p0);
        long a1l = w0 * p1;
        long a1h = Math.unsignedMultiplyHigh(w0, p1);
        long b1l = w1 * p0;
        long b1h = Math.unsignedMultiplyHigh(w1, p0);
        long c2l = w1 * p1;
        long c2h = Math.unsignedMultiplyHigh(w1, p1);
        long t1 = a0h + a1l;
        long carry = Long.compareUnsigned(t1, a0h) < 0 ? 1 : 0;
        long t1b = t1 + b1l;
        carry += Long.compareUnsigned(t1b, t1) < 0 ? 1 : 0;
        t1 = t1b;
        long t2 = a1h + b1h;
        long carry3 = Long.compareUnsigned(t2, a1h) < 0 ? 1 : 0;
        long t2b = t2 + c2l;
        carry3 += Long.compareUnsigned(t2b, t2) < 0 ? 1 : 0;
        long t2c = t2b + carry;
        carry3 += Long.compareUnsigned(t2c, t2b) < 0 ? 1 : 0;
        t2 = t2c;
        long t3 = c2h + carry3;
        // The true product exceeds T by less than 2^128 (W * the truncated part of 10^q).
        long mant;
        long rest;
        int shift;
        if (t3 < 0) {
            mant = t3;
            rest = t2;
            shift = 0;
        } else {
            mant = (t3 << 1) | (t2 >>> 63);
            rest = (t2 << 1) | (t1 >>> 63);
            shift = 1;
        }
        // The true 'rest' lies in [rest, rest + 3): undecided near one half.
        long distance = rest - Long.MIN_VALUE;
        if (distance >= -8 && distance <= 8) {
            return false;
        }
        int exp = PowersOfTen128.exp(q) - lz + 192 - shift;
        if (Long.compareUnsigned(rest, Long.MIN_VALUE) > 0) {
            mant++;
            if (mant == 0) {
                mant = Long.MIN_VALUE;
                exp++;
            }
        }
        mantissa = mant;
        exponent = exp;
        return true;
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
