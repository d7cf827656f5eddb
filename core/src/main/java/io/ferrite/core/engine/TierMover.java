package io.ferrite.core.engine;

import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.log.MemoryBudget;
import io.ferrite.core.shard.Shard;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The background thread that moves log pages down the tiers, for every shard: read-only
 * off-heap pages into the warm ring (when there is one), and the oldest in-memory pages into
 * the cold region when the ring is full, when there is no ring, or when the store's memory is
 * above its low-water mark. Compressing and writing happen without the shard's lock; only the
 * commit (publish the blocks, move head or swap the frame) takes it, for microseconds.
 *
 * <p>Writers wake it when they cross 90% of maxmemory or make pages read-only; otherwise it
 * checks every few milliseconds.
 */
final class TierMover implements Runnable {
    private static final System.Logger LOG = System.getLogger("ferrite.tier");
    /** Page moves per shard before looking at the next shard, for fairness. */
    private static final int MOVES_PER_TURN = 8;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Shard[] shards;
    private final LightEpoch epoch;
    private final MemoryBudget budget;
    private final long pageSize;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile long pagesToWarm;
    private volatile long pagesToCold;

    TierMover(Shard[] shards, LightEpoch epoch, MemoryBudget budget, long pageSize) {
        this.shards = shards;
        this.epoch = epoch;
        this.budget = budget;
        this.pageSize = pageSize;
    }

    void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("ferrite-tier-mover").start(this);
    }

    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks for a pass now (cheap; called by writers). */
    void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    long pagesToWarm() {
        return pagesToWarm;
    }

    long pagesToCold() {
        return pagesToCold;
    }

    @Override
    public void run() {
        while (running) {
            boolean progress = false;
            try {
                for (Shard shard : shards) {
                    progress |= turn(shard);
                }
                epoch.tryDrain();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // A disk error: writers see it as memory that is not freed (and eventually OOM);
                // say it loudly and try again a little later.
                LOG.log(System.Logger.Level.ERROR, "moving log pages to disk failed: " + e.getMessage(), e);
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
            if (!progress) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
        }
    }

    /** Up to {@link #MOVES_PER_TURN} page moves on one shard; true when something moved. */
    private boolean turn(Shard shard) {
        HybridLog log = shard.log();
        log.keepSparePage();
        boolean progress = false;
        for (int moves = 0; moves < MOVES_PER_TURN && running; moves++) {
            int slot = epoch.protect();
            boolean moved;
            try {
                moved = moveOne(shard, log);
            } finally {
                epoch.unprotect(slot);
            }
            if (!moved) {
                break;
            }
            progress = true;
        }
        if (!progress && underPressure() && !log.headPageMovable()) {
            // Memory is short and nothing is read-only yet: make older pages read-only, so that
            // they can move once the epoch drains.
            shard.lock();
            try {
                log.shiftReadOnlyToTailPage();
            } finally {
                shard.unlock();
            }
        }
        return progress;
    }

    private boolean moveOne(Shard shard, HybridLog log) {
        // Read-only off-heap pages go to the warm ring while it has room: that frees no budget
        // (the slot counts as memory too) but lets the kernel page it out.
        HybridLog.PageMove warm = log.stageWarmMove();
        if (warm != null) {
            if (!underLock(shard, () -> log.commitWarmMove(warm))) {
                return false;
            }
            pagesToWarm++;
            return true;
        }
        boolean noRing = log.tiers().ring() == null;
        boolean ringBlocked = log.warmRingFull() && log.hasOffHeapReadOnlyPage();
        if (!(noRing || ringBlocked || underPressure()) || !log.headPageMovable()) {
            return false;
        }
        HybridLog.PageMove cold = log.stageHeadPageToCold();
        if (cold == null || !underLock(shard, () -> log.commitColdMove(cold))) {
            return false;
        }
        pagesToCold++;
        return true;
    }

    /** Commits a prepared move under the shard's lock (held for the commit only). */
    private static boolean underLock(Shard shard, java.util.function.BooleanSupplier commit) {
        shard.lock();
        try {
            return commit.getAsBoolean();
        } finally {
            shard.unlock();
        }
    }

    /** True when memory is above the low-water mark: a little below maxmemory. */
    private boolean underPressure() {
        long limit = budget.limit();
        if (limit <= 0) {
            return false;
        }
        long headroom = Math.max(limit / 16, 2 * pageSize * shards.length);
        return budget.used() > limit - headroom;
    }
}
