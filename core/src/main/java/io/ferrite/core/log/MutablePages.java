package io.ferrite.core.log;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The mutable region's page allowance, shared by the logs of all shards. Each log may always
 * keep its even share mutable, and more while the other logs leave theirs unused; a log over
 * its share gives the surplus back (its oldest mutable pages become read-only) as soon as it
 * grows while the total is exceeded.
 *
 * <p>Why shared: a collection lives in one shard, so with an even split a hash of more than
 * {@code mutable-size / shards} could only be updated by copying its chunks, however idle the
 * other shards were (measured: HSET on a 1M-field hash at 0.7x the rate it reaches with the
 * whole allowance, and twice the server CPU per request).
 */
public final class MutablePages {
    private final long total;
    private final long share;
    private final AtomicLong inUse = new AtomicLong();

    /**
     * @param total  pages all logs together keep mutable ({@link Long#MAX_VALUE}: unbounded)
     * @param shares the number of logs sharing them
     */
    public MutablePages(long total, int shares) {
        this.total = total;
        this.share = Math.max(2, total / Math.max(1, shares));
    }

    /** Pages a log that counts {@code mine} of the pages in use may keep mutable now. */
    long allowance(long mine) {
        long others = Math.max(0, inUse.get() - mine);
        return Math.max(share, total - others);
    }

    /** A log's mutable page count changed by {@code delta}. */
    void changed(long delta) {
        inUse.addAndGet(delta);
    }

    /** Pages kept mutable by all logs together. */
    public long inUse() {
        return inUse.get();
    }

    /** The pages every log may keep mutable whatever the others do. */
    public long share() {
        return share;
    }
}
