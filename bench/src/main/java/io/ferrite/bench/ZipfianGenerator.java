package io.ferrite.bench;

import java.util.SplittableRandom;

/**
 * YCSB's ZipfianGenerator: item ranks {@code 0 .. n-1} drawn with probability proportional to
 * {@code 1 / (rank+1)^theta}, by the constant-time method of Gray et al., "Quickly Generating
 * Billion-Record Synthetic Databases" (SIGMOD 1994). Rank 0 is the most popular.
 *
 * <p>The only costly part is {@code zeta(n, theta)}, a sum of {@code n} powers (a fraction of a
 * second for millions of items); it is computed once in the constructor, after which the
 * generator is immutable and shared by all load threads, each passing its own random source.
 */
final class ZipfianGenerator {
    /** YCSB's default Zipfian constant. */
    static final double YCSB_THETA = 0.99;

    private static final long FNV_OFFSET_BASIS_64 = 0xCBF29CE484222325L;
    private static final long FNV_PRIME_64 = 1099511628211L;

    private final long items;
    private final double theta;
    private final double zetan;
    private final double alpha;
    private final double eta;
    private final double secondRankBound;

    ZipfianGenerator(long items, double theta) {
        if (items < 2) {
            throw new IllegalArgumentException("a Zipfian distribution needs at least 2 items");
        }
        this.items = items;
        this.theta = theta;
        this.zetan = zeta(items, theta);
        double zeta2theta = zeta(2, theta);
        this.alpha = 1.0 / (1.0 - theta);
        this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2theta / zetan);
        this.secondRankBound = 1.0 + Math.pow(0.5, theta);
    }

    long items() {
        return items;
    }

    /** A rank in {@code [0, items)}, 0 the most likely. */
    long nextRank(SplittableRandom random) {
        double u = random.nextDouble();
        double uz = u * zetan;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < secondRankBound) {
            return 1;
        }
        long rank = (long) (items * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(rank, items - 1);
    }

    /**
     * YCSB's ScrambledZipfianGenerator step: the rank hashed with FNV-1a (64 bit) and taken
     * modulo the item count, so the popular items are scattered over the keyspace instead of
     * being its first keys (which a sequential load writes first, and a log-structured store
     * therefore pushes to its coldest tier first). Unlike YCSB, which draws ranks from a
     * 10^10-item Zipfian with a precomputed zeta and then hashes into n, the ranks here come
     * from the n-item distribution itself, so the skew is exactly theta over this keyspace
     * (apart from the few hash collisions both versions have).
     */
    long nextScrambled(SplittableRandom random) {
        return Math.floorMod(Math.abs(fnv1a64(nextRank(random))), items);
    }

    /** YCSB's {@code Utils.fnvhash64}: FNV-1a over the value's 8 bytes, low byte first. */
    static long fnv1a64(long value) {
        long hash = FNV_OFFSET_BASIS_64;
        for (int i = 0; i < 8; i++) {
            hash ^= value & 0xFF;
            hash *= FNV_PRIME_64;
            value >>= 8;
        }
        return hash;
    }

    /** {@code sum(1 / i^theta)} for i in 1..n. */
    static double zeta(long n, double theta) {
        double sum = 0;
        for (long i = 1; i <= n; i++) {
            sum += 1 / Math.pow(i, theta);
        }
        return sum;
    }

    @Override
    public String toString() {
        return "zipfian(n=" + items + ", theta=" + theta + ")";
    }
}
