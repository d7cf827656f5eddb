package io.ferrite.core.strings;

import java.math.BigInteger;

/**
 * Double to text exactly as Redis's {@code fpconv_dtoa} (Florian Loitsch's Grisu2, in the
 * night-shift/fpconv variant that Redis 7.2+ uses for double replies): short digits that read
 * back as the same double, written plain when that is short and in {@code 1.5e+300} style
 * otherwise. Grisu2 is not always the shortest or closest representation, which is why this is
 * a faithful re-implementation rather than {@link Double#toString(double)}. Allocation-free.
 */
final class Grisu2 {
    private static final long FRAC_MASK = 0x000FFFFFFFFFFFFFL;
    private static final long EXP_MASK = 0x7FF0000000000000L;
    private static final long HIDDEN_BIT = 0x0010000000000000L;
    private static final int EXP_BIAS = 1023 + 52;

    private static final int NPOWERS = 87;
    private static final int STEP_POWERS = 8;
    private static final int FIRST_POWER = -348;
    private static final int EXP_MAX = -32;
    private static final int EXP_MIN = -60;

    /** Normalised 64-bit approximations (round to nearest) of 10^(-348 + 8i): frac * 2^exp. */
    private static final long[] POW_FRAC = new long[NPOWERS];
    private static final int[] POW_EXP = new int[NPOWERS];

    /** 10^19 down to 10^0, as unsigned 64-bit values. */
    private static final long[] TENS = new long[20];

    static {
        BigInteger ten = BigInteger.TEN;
        for (int i = 0; i < 20; i++) {
            TENS[i] = ten.pow(19 - i).longValue();
        }
        for (int i = 0; i < NPOWERS; i++) {
            int k = FIRST_POWER + i * STEP_POWERS;
            BigInteger frac;
            int exp;
            if (k >= 0) {
                BigInteger v = ten.pow(k);
                int shift = v.bitLength() - 64;
                if (shift <= 0) {
                    frac = v.shiftLeft(-shift);
                } else {
                    frac = roundShift(v, shift);
                }
                exp = shift;
            } else {
                BigInteger v = ten.pow(-k);
                int s = 63 + v.bitLength(); // 2^s / v lies in (2^63, 2^64]
                BigInteger[] qr = BigInteger.ONE.shiftLeft(s + 1).divideAndRemainder(v);
                // qr[0] = floor(2^(s+1) / v): one extra bit for rounding to nearest
                BigInteger q = qr[0];
                frac = q.shiftRight(1);
                if (q.testBit(0)) {
                    frac = frac.add(BigInteger.ONE);
                }
                exp = -s;
            }
            if (frac.bitLength() > 64) {
                frac = frac.shiftRight(1);
                exp++;
            }
            POW_FRAC[i] = frac.longValue();
            POW_EXP[i] = exp;
        }
    }

    private Grisu2() {
    }

    private static BigInteger roundShift(BigInteger v, int shift) {
        BigInteger q = v.shiftRight(shift);
        if (v.testBit(shift - 1)) {
            q = q.add(BigInteger.ONE);
        }
        return q;
    }

    /** For tests: the cached power table entry {@code i} as {frac, exp}. */
    static long[] cachedPower(int i) {
        return new long[] {POW_FRAC[i], POW_EXP[i]};
    }

    /**
     * Writes {@code d} as {@code fpconv_dtoa} does and returns the number of bytes; needs 25
     * bytes of room at {@code off}.
     */
    static int dtoa(double d, byte[] dest, int off) {
        long bits = Double.doubleToRawLongBits(d);
        int len = 0;
        boolean neg = false;
        if (bits < 0) {
            dest[off] = '-';
            len++;
            neg = true;
        }
        if (d == 0.0) {
            dest[off + len] = '0';
            return len + 1;
        }
        if ((bits & EXP_MASK) == EXP_MASK) {
            int p = off + len;
            if ((bits & FRAC_MASK) != 0) {
                dest[p] = 'n';
                dest[p + 1] = 'a';
                dest[p + 2] = 'n';
            } else {
                dest[p] = 'i';
                dest[p + 1] = 'n';
                dest[p + 2] = 'f';
            }
            return len + 3;
        }

        // build_fp
        long wFrac = bits & FRAC_MASK;
        int wExp = (int) ((bits & EXP_MASK) >>> 52);
        if (wExp != 0) {
            wFrac += HIDDEN_BIT;
            wExp -= EXP_BIAS;
        } else {
            wExp = -EXP_BIAS + 1;
        }

        // get_normalized_boundaries
        long upperFrac = (wFrac << 1) + 1;
        int upperExp = wExp - 1;
        while ((upperFrac & (HIDDEN_BIT << 1)) == 0) {
            upperFrac <<= 1;
            upperExp--;
        }
        int uShift = 64 - 52 - 2;
        upperFrac <<= uShift;
        upperExp -= uShift;
        int lShift = wFrac == HIDDEN_BIT ? 2 : 1;
        long lowerFrac = (wFrac << lShift) - 1;
        int lowerExp = wExp - lShift;
        lowerFrac <<= lowerExp - upperExp;

        // normalize(w)
        while ((wFrac & HIDDEN_BIT) == 0) {
            wFrac <<= 1;
            wExp--;
        }
        wFrac <<= 11;

        // find_cachedpow10
        int approx = (int) (-(upperExp + NPOWERS) * 0.30102999566398114);
        int idx = (approx - FIRST_POWER) / STEP_POWERS;
        while (true) {
            int current = upperExp + POW_EXP[idx] + 64;
            if (current < EXP_MIN) {
                idx++;
                continue;
            }
            if (current > EXP_MAX) {
                idx--;
                continue;
            }
            break;
        }
        int k = FIRST_POWER + idx * STEP_POWERS;
        long cpFrac = POW_FRAC[idx];
        int cpExp = POW_EXP[idx];

        wFrac = multiply(wFrac, cpFrac);
        upperFrac = multiply(upperFrac, cpFrac);
        lowerFrac = multiply(lowerFrac, cpFrac);
        upperExp = upperExp + cpExp + 64;
        lowerFrac++;
        upperFrac--;

        int digitsAt = off + len;
        // generate_digits, writing the digits straight into dest
        long packed = generateDigits(wFrac, upperFrac, upperExp, lowerFrac, dest, digitsAt, -k);
        int ndigits = (int) (packed >>> 32);
        int bigK = (int) packed;
        return len + emitDigits(dest, digitsAt, ndigits, bigK, neg);
    }

    /** Returns ndigits in the high 32 bits and K in the low 32 bits. */
    private static long generateDigits(long wFrac, long upperFrac, int upperExp, long lowerFrac,
            byte[] digits, int at, int bigK) {
        long wfrac = upperFrac - wFrac;
        long delta = upperFrac - lowerFrac;
        int shift = -upperExp;
        long oneFrac = 1L << shift;

        long part1 = upperFrac >>> shift;
        long part2 = upperFrac & (oneFrac - 1);

        int idx = 0;
        int kappa = 10;
        for (int divp = 10; kappa > 0; divp++) {
            long div = TENS[divp];
            long digit = part1 / div; // part1 < 2^32: signed division is exact
            if (digit != 0 || idx != 0) {
                digits[at + idx++] = (byte) (digit + '0');
            }
            part1 -= digit * div;
            kappa--;
            long tmp = (part1 << shift) + part2;
            if (Long.compareUnsigned(tmp, delta) <= 0) {
                bigK += kappa;
                roundDigit(digits, at, idx, delta, tmp, div << shift, wfrac);
                return ((long) idx << 32) | (bigK & 0xFFFFFFFFL);
            }
        }
        int unit = 18;
        while (true) {
            part2 *= 10;
            delta *= 10;
            kappa--;
            long digit = part2 >>> shift;
            if (digit != 0 || idx != 0) {
                digits[at + idx++] = (byte) (digit + '0');
            }
            part2 &= oneFrac - 1;
            if (Long.compareUnsigned(part2, delta) < 0) {
                bigK += kappa;
                roundDigit(digits, at, idx, delta, part2, oneFrac, wfrac * TENS[unit]);
                return ((long) idx << 32) | (bigK & 0xFFFFFFFFL);
            }
            unit--;
        }
    }

    private static void roundDigit(byte[] digits, int at, int ndigits, long delta, long rem, long kappa,
            long frac) {
        while (Long.compareUnsigned(rem, frac) < 0
                && Long.compareUnsigned(delta - rem, kappa) >= 0
                && (Long.compareUnsigned(rem + kappa, frac) < 0
                        || Long.compareUnsigned(frac - rem, rem + kappa - frac) > 0)) {
            digits[at + ndigits - 1]--;
            rem += kappa;
        }
    }

    /** 64x64 multiplication keeping the rounded high 64 bits. */
    private static long multiply(long a, long b) {
        return Math.unsignedMultiplyHigh(a, b) + ((a * b) >>> 63);
    }

    /** emit_digits, in place: the digits are already at {@code dest[at..at+ndigits)}. */
    private static int emitDigits(byte[] dest, int at, int ndigits, int bigK, boolean neg) {
        int exp = Math.abs(bigK + ndigits - 1);

        // plain integer
        if (bigK >= 0 && exp < ndigits + 7) {
            for (int i = 0; i < bigK; i++) {
                dest[at + ndigits + i] = '0';
            }
            return ndigits + bigK;
        }

        // decimal without scientific notation
        if (bigK < 0 && (bigK > -7 || exp < 4)) {
            int offset = ndigits - Math.abs(bigK);
            if (offset <= 0) {
                offset = -offset;
                System.arraycopy(dest, at, dest, at + 2 + offset, ndigits);
                dest[at] = '0';
                dest[at + 1] = '.';
                for (int i = 0; i < offset; i++) {
                    dest[at + 2 + i] = '0';
                }
                return ndigits + 2 + offset;
            }
            System.arraycopy(dest, at + offset, dest, at + offset + 1, ndigits - offset);
            dest[at + offset] = '.';
            return ndigits + 1;
        }

        // scientific notation
        ndigits = Math.min(ndigits, 18 - (neg ? 1 : 0));
        int idx = 1;
        if (ndigits > 1) {
            System.arraycopy(dest, at + 1, dest, at + 2, ndigits - 1);
            dest[at + 1] = '.';
            idx = ndigits + 1;
        }
        dest[at + idx++] = 'e';
        dest[at + idx++] = (byte) (bigK + ndigits - 1 < 0 ? '-' : '+');
        int cent = 0;
        if (exp > 99) {
            cent = exp / 100;
            dest[at + idx++] = (byte) (cent + '0');
            exp -= cent * 100;
        }
        if (exp > 9) {
            int dec = exp / 10;
            dest[at + idx++] = (byte) (dec + '0');
            exp -= dec * 10;
        } else if (cent != 0) {
            dest[at + idx++] = '0';
        }
        dest[at + idx++] = (byte) (exp % 10 + '0');
        return idx;
    }
}
