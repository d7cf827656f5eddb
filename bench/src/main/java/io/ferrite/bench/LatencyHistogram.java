package io.ferrite.bench;

/**
 * A log-linear histogram of nanosecond latencies, HdrHistogram's layout in miniature: values
 * below 32 ns get a bucket each, and every power-of-two range above is split into 32 equal
 * buckets, so any recorded value is known to within about 3% at a fixed 16 KB per histogram.
 * One per load thread (no synchronization), merged at the end.
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    /** Covers up to 2^63 ns: index of the highest bucket of the highest power of two, plus one. */
    private static final int BUCKETS = (64 - SUB_BITS) * SUB_BUCKETS;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    void record(long nanos) {
        long value = Math.max(0, nanos);
        counts[index(value)]++;
        total++;
        max = Math.max(max, value);
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /**
     * The value at {@code quantile} (0.5, 0.99, 0.999): the midpoint of the bucket holding the
     * ceil(quantile * count)-th smallest value, capped at the largest value seen; 0 when empty.
     */
    long valueAt(double quantile) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, (lowerBound(i) + lowerBound(i + 1) - 1) / 2);
            }
        }
        return max;
    }

    static int index(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int shift = 63 - Long.numberOfLeadingZeros(value) - SUB_BITS;
        return (shift + 1) * SUB_BUCKETS + (int) ((value >>> shift) - SUB_BUCKETS);
    }

    /** The smallest value that falls into bucket {@code index}. */
    static long lowerBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        long sub = index % SUB_BUCKETS + SUB_BUCKETS;
        return sub << shift;
    }
}
