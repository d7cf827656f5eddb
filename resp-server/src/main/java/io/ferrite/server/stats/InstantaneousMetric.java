package io.ferrite.server.stats;

/**
 * A rate over the last 16 samples of a growing counter, as Redis computes its
 * {@code instantaneous_*} INFO fields: sampled every 100 ms, averaged.
 */
public final class InstantaneousMetric {
    private static final int SAMPLES = 16;
    private final double[] rates = new double[SAMPLES];
    private int next;
    private long lastValue = -1;
    private long lastNanos;

    /** Records the counter's current value (called by one sampling thread). */
    public synchronized void sample(long value, long nanos) {
        if (lastValue >= 0 && nanos > lastNanos) {
            rates[next] = (value - lastValue) * 1e9 / (nanos - lastNanos);
            next = (next + 1) % SAMPLES;
        }
        lastValue = value;
        lastNanos = nanos;
    }

    /** The average rate per second over the samples. */
    public synchronized double perSecond() {
        double sum = 0;
        for (double rate : rates) {
            sum += rate;
        }
        return sum / SAMPLES;
    }
}
