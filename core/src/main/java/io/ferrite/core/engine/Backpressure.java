package io.ferrite.core.engine;

import io.ferrite.core.StoreConfig;
import io.ferrite.core.api.DiskReads;
import io.ferrite.core.log.MemoryBudget;
import io.ferrite.core.shard.Shard;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Holds writers back while the page mover catches up with a burst of writes, and decides when
 * a write must be refused for lack of memory. With disk tiers, memory above maxmemory means
 * the mover is behind: writers on threads that may block wait for it (a few seconds at most);
 * fail-fast threads (event loops) are not held here, the RESP door postpones the connection
 * instead, using {@link #writesShouldWait()}.
 */
public final class Backpressure {
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final StoreConfig config;
    private final MemoryBudget budget;
    private final Shard[] shards;
    private final TierMover mover;
    private final BooleanSupplier closed;

    Backpressure(StoreConfig config, MemoryBudget budget, Shard[] shards, TierMover mover, BooleanSupplier closed) {
        this.config = config;
        this.budget = budget;
        this.shards = shards;
        this.mover = mover;
        this.closed = closed;
    }

    /**
     * True when a write must be refused: above maxmemory without disk tiers; with them, only
     * when the page mover cannot keep up and the bounded overdraft is used up.
     */
    public boolean memoryExhausted() {
        long limit = budget.limit();
        if (limit <= 0) {
            return false;
        }
        return config.tiered() ? budget.used() > budget.hardLimit(8 * config.pageSize()) : budget.used() > limit;
    }

    /** Waits (threads that may block only) while {@link #writesShouldWait()}. */
    public void throttleWrites() {
        if (writesShouldWait() && DiskReads.mayBlock()) {
            awaitMemory();
        }
    }

    /** Waits, for five seconds at most, while {@link #writesShouldWait()}. */
    void awaitMemory() {
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        while (writesShouldWait() && System.nanoTime() < deadline && !closed.getAsBoolean()) {
            wakeMover();
            LockSupport.parkNanos(200_000);
        }
    }

    /**
     * True when writes should wait for the page mover: tiers, memory above maxmemory, and log
     * pages in memory that it can still move (when the index alone fills the budget, waiting
     * would not help: writes then fail with OUT_OF_MEMORY past the overdraft).
     */
    public boolean writesShouldWait() {
        long limit = budget.limit();
        if (mover == null || limit <= 0 || budget.used() <= limit) {
            return false;
        }
        long movable = 0;
        for (Shard shard : shards) {
            movable += shard.log().inMemoryBytes();
        }
        return movable > 2L * shards.length * config.pageSize();
    }

    void wakeMover() {
        if (mover != null) {
            mover.wake();
        }
    }
}
