package io.ferrite.core.engine;

import io.ferrite.core.shard.Shard;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Log compaction driven from outside the write path: a full pass over every shard on a
 * background thread ({@code FERRITE.COMPACT}), and the bounded steps the maintenance cycle runs
 * for shards whose dead fraction passed the configured ratio. Each step locks one shard for a
 * page or a few, so foreground commands interleave; cold pages are read with the lock released
 * (the engine's template retries the step once the read is in).
 */
public final class Compactions {
    /** Pages compacted per shard-lock hold. */
    private static final int PAGES_PER_STEP = 1;

    private final Engine engine;
    private final Backpressure backpressure;
    private final AtomicBoolean running = new AtomicBoolean();
    private final LongAdder done = new LongAdder();
    private final LongAdder reclaimed = new LongAdder();

    Compactions(Engine engine, Backpressure backpressure) {
        this.engine = engine;
        this.backpressure = backpressure;
    }

    /**
     * Compacts every shard whose dead fraction is above {@code ratio}, up to the tail as it is
     * when the call starts (records copied by this call are not compacted again).
     *
     * @return bytes of log reclaimed
     */
    public long compact(double ratio) {
        long total = 0;
        for (Shard shard : engine.shards()) {
            long stopAt = shard.log().tailAddress();
            ShardSet lock = engine.shardSet().add(shard);
            while (!engine.isClosed()) {
                // Live records copied from cold pages land in memory: let the page mover keep up.
                backpressure.awaitMemory();
                long step = engine.locked(lock, now -> shard.compactor().compact(PAGES_PER_STEP, ratio, now, stopAt));
                engine.epoch().tryDrain();
                if (step == 0) {
                    break;
                }
                total += step;
            }
        }
        return total;
    }

    /** One bounded step of background compaction on {@code shard}, if it has enough dead bytes. */
    void backgroundStep(Shard shard, double ratio) {
        if (shard.deadBytes() > shard.log().logBytes() * ratio && shard.deadBytes() > shard.log().pageSize()
                && !backpressure.writesShouldWait()) { // copies land in memory: not while the mover is behind
            int pages = shard.log().tiered() ? 1 : 8;
            engine.locked(engine.shardSet().add(shard), now -> shard.compactor().compact(pages, ratio / 2, now));
        }
    }

    /**
     * Starts a full compaction of every shard on a background thread ({@link #compact} with
     * ratio 0: every dead record up to the current tail is reclaimed).
     *
     * @return false when one is already running
     */
    public boolean start() {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        Thread.ofPlatform().daemon().name("ferrite-compaction").start(() -> {
            try {
                reclaimed.add(compact(0.0));
                done.increment();
            } catch (RuntimeException e) {
                if (!engine.isClosed()) {
                    System.getLogger("ferrite.compaction").log(System.Logger.Level.ERROR, "compaction failed: " + e.getMessage(), e);
                }
            } finally {
                running.set(false);
            }
        });
        return true;
    }

    public boolean running() {
        return running.get();
    }

    /** Full compactions that finished, and the bytes they reclaimed. */
    public long[] totals() {
        return new long[] {done.sum(), reclaimed.sum()};
    }
}
