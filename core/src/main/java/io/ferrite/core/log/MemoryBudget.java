package io.ferrite.core.log;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the engine's memory (log pages, index tables) against {@code maxmemory}. Shared by
 * every shard, so the limit holds for the whole store, not per shard. A limit of 0 means
 * unlimited, as in Redis.
 */
public final class MemoryBudget {
    private final AtomicLong used = new AtomicLong();
    private volatile long limit;

    public MemoryBudget(long limit) {
        this.limit = limit;
    }

    /** Reserves {@code bytes} if they fit under the limit; returns false (reserving nothing) otherwise. */
    public boolean tryReserve(long bytes) {
        long max = limit;
        if (max <= 0) {
            used.addAndGet(bytes);
            return true;
        }
        long current;
        do {
            current = used.get();
            if (current + bytes > max) {
                return false;
            }
        } while (!used.compareAndSet(current, current + bytes));
        return true;
    }

    /** Reserves {@code bytes} whatever the limit (for memory that must exist, e.g. a minimum index). */
    public void forceReserve(long bytes) {
        used.addAndGet(bytes);
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }

    public void setLimit(long limit) {
        this.limit = limit;
    }

    /**
     * How far writers may overdraw the limit while pages are being moved to disk: an eighth of
     * the limit, at least {@code minimum} bytes. Long.MAX_VALUE when unlimited.
     */
    public long hardLimit(long minimum) {
        long max = limit;
        return max <= 0 ? Long.MAX_VALUE : max + Math.max(max / 8, minimum);
    }

    /** True when used memory is above {@code fraction} of the limit (never, when unlimited). */
    public boolean above(double fraction) {
        long max = limit;
        return max > 0 && used.get() > max * fraction;
    }
}
