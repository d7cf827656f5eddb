package io.ferrite.core.strings;

import java.math.BigInteger;

/**
 * 128-bit approximations of powers of ten for the allocation-free number conversions:
 * {@code 10^k = (hi:lo + e) * 2^exp} with {@code hi}'s top bit set and {@code 0 <= e < 1}
 * (truncated, never above; exact for 0 <= k <= 55), for {@value #MIN_K} <= k <= {@value #MAX_K}.
 * Computed once with {@link BigInteger} when first used.
 */
final class PowersOfTen128 {
    static final int MIN_K = -340;
    static final int MAX_K = 350;

    private static final long[] HI = new long[MAX_K - MIN_K + 1];
    private static final long[] LO = new long[MAX_K - MIN_K + 1];
    private static final int[] EXP = new int[MAX_K - MIN_K + 1];

    static {
        BigInteger mask64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int k = MIN_K; k <= MAX_K; k++) {
            BigInteger p;
            int exp;
            if (k >= 0) {
                BigInteger v = BigInteger.TEN.pow(k);
                int shift = v.bitLength() - 128;
                p = shift >= 0 ? v.shiftRight(shift) : v.shiftLeft(-shift);
                exp = shift;
            } else {
                BigInteger v = BigInteger.TEN.pow(-k);
                int s = 127 + v.bitLength(); // 2^s / v lies in (2^127, 2^128)
                p = BigInteger.ONE.shiftLeft(s).divide(v);
                exp = -s;
            }
            int i = k - MIN_K;
            HI[i] = p.shiftRight(64).longValue();
            LO[i] = p.and(mask64).longValue();
            EXP[i] = exp;
        }
    }

    private PowersOfTen128() {
    }

    static long hi(int k) {
        return HI[k - MIN_K];
    }

    static long lo(int k) {
        return LO[k - MIN_K];
    }

    static int exp(int k) {
        return EXP[k - MIN_K];
    }
}
