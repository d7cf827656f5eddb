package io.ferrite.jcache.management;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * A cache's JSR-107 statistics, counted as the reference implementation counts them (a
 * conditional operation on an absent key is a miss, on a present one a hit; a put that the
 * expiry policy makes expire at once is not a put). Counting is cheap and always on; the
 * MXBean is registered only while statistics are enabled.
 */
public final class CacheStatistics implements CacheStatisticsMXBean {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder getNanos = new LongAdder();
    private final LongAdder putNanos = new LongAdder();
    private final LongAdder removeNanos = new LongAdder();
    private volatile boolean enabled;

    public void enabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    public void hits(long n) {
        if (enabled) hits.add(n);
    }

    public void misses(long n) {
        if (enabled) misses.add(n);
    }

    public void puts(long n) {
        if (enabled) puts.add(n);
    }

    public void removals(long n) {
        if (enabled) removals.add(n);
    }

    public void evictions(long n) {
        if (enabled) evictions.add(n);
    }

    public void getTime(long startNanos) {
        if (enabled) getNanos.add(System.nanoTime() - startNanos);
    }

    public void putTime(long startNanos) {
        if (enabled) putNanos.add(System.nanoTime() - startNanos);
    }

    public void removeTime(long startNanos) {
        if (enabled) removeNanos.add(System.nanoTime() - startNanos);
    }

    @Override
    public void clear() {
        hits.reset();
        misses.reset();
        puts.reset();
        removals.reset();
        evictions.reset();
        getNanos.reset();
        putNanos.reset();
        removeNanos.reset();
    }

    @Override
    public long getCacheHits() {
        return hits.sum();
    }

    @Override
    public float getCacheHitPercentage() {
        long h = hits.sum();
        long total = h + misses.sum();
        return total == 0 ? 0f : h * 100f / total;
    }

    @Override
    public long getCacheMisses() {
        return misses.sum();
    }

    @Override
    public float getCacheMissPercentage() {
        long m = misses.sum();
        long total = m + hits.sum();
        return total == 0 ? 0f : m * 100f / total;
    }

    @Override
    public long getCacheGets() {
        return hits.sum() + misses.sum();
    }

    @Override
    public long getCachePuts() {
        return puts.sum();
    }

    @Override
    public long getCacheRemovals() {
        return removals.sum();
    }

    @Override
    public long getCacheEvictions() {
        return evictions.sum();
    }

    @Override
    public float getAverageGetTime() {
        return average(getNanos.sum(), getCacheGets());
    }

    @Override
    public float getAveragePutTime() {
        return average(putNanos.sum(), puts.sum());
    }

    @Override
    public float getAverageRemoveTime() {
        return average(removeNanos.sum(), removals.sum());
    }

    /** In microseconds, as the MXBean's contract says. */
    private static float average(long nanos, long count) {
        return count == 0 ? 0f : nanos / 1000f / count;
    }
}
