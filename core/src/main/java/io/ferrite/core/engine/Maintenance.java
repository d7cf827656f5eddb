package io.ferrite.core.engine;

import io.ferrite.core.shard.Shard;
import java.util.concurrent.TimeUnit;

/**
 * The store's background cycle, {@code hz} times a second: active expiry in the style of
 * Redis (sweep buckets of databases that have keys with a TTL; keep going while more than a
 * quarter of the sampled keys were expired, within a time budget) and log compaction of shards
 * whose dead fraction passed the configured ratio. Each step holds one shard's lock only
 * briefly, so foreground commands interleave.
 */
final class Maintenance implements Runnable {
    /** Buckets swept per lock hold. */
    private static final int BUCKETS_PER_STEP = 64;
    /** Share of each cycle's period the expiry sweep may use (Redis: 25%). */
    private static final double EXPIRY_TIME_SHARE = 0.25;

    private final Engine store;
    private final Compactions compactions;
    private final long[][] cursors;
    private volatile boolean running;
    /** DEBUG SET-ACTIVE-EXPIRE: the sweep can be paused (reads still expire keys lazily). */
    private volatile boolean expiring = true;
    private Thread thread;

    Maintenance(Engine store, Compactions compactions) {
        this.store = store;
        this.compactions = compactions;
        this.cursors = new long[store.shards().length][store.config().databases()];
    }

    void expiring(boolean on) {
        expiring = on;
    }

    void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("ferrite-maintenance").start(this);
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / store.config().hz();
        while (running) {
            long started = System.nanoTime();
            try {
                if (expiring) {
                    expireCycle(started + (long) (periodNanos * EXPIRY_TIME_SHARE));
                }
                compactCycle();
            } catch (RuntimeException e) {
                if (!running || store.isClosed()) {
                    return;
                }
                System.getLogger("ferrite.maintenance").log(System.Logger.Level.ERROR, "maintenance cycle failed", e);
            }
            long sleep = periodNanos - (System.nanoTime() - started);
            if (sleep > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One active-expiry pass; returns the number of keys expired. */
    long expireCycle(long deadlineNanos) {
        long expired = 0;
        Shard[] shards = store.shards();
        for (int s = 0; s < shards.length && running; s++) {
            Shard shard = shards[s];
            for (int db = 0; db < store.config().databases(); db++) {
                if (shard.expireCount(db) == 0) {
                    continue;
                }
                long bucketsLeft = shard.buckets(db);
                while (running && bucketsLeft > 0) {
                    long result = sweep(shard, db, s);
                    bucketsLeft -= BUCKETS_PER_STEP;
                    long sampled = result >>> 32;
                    long found = result & 0xFFFFFFFFL;
                    expired += found;
                    // Like Redis: stop when few sampled keys were expired (then the rest can
                    // wait for the next cycle), or when the cycle's time is up.
                    if ((sampled >= 20 && found * 4 < sampled) || System.nanoTime() > deadlineNanos) {
                        break;
                    }
                }
            }
        }
        return expired;
    }

    private long sweep(Shard shard, int db, int shardIndex) {
        return store.locked(store.shardSet().add(shard), now -> {
            long sampled = 0;
            long expired = 0;
            long buckets = shard.buckets(db);
            long cursor = cursors[shardIndex][db];
            for (int i = 0; i < BUCKETS_PER_STEP; i++) {
                long result = shard.scans().expireBucket(db, cursor, now);
                sampled += result >>> 32;
                expired += result & 0xFFFFFFFFL;
                cursor = (cursor + 1) % buckets;
                cursors[shardIndex][db] = cursor;
            }
            return sampled << 32 | expired;
        });
    }

    private void compactCycle() {
        double ratio = store.config().compactionRatio();
        if (ratio <= 0) {
            return; // background compaction is off
        }
        for (Shard shard : store.shards()) {
            if (!running) {
                return;
            }
            compactions.backgroundStep(shard, ratio);
        }
        store.epoch().tryDrain();
    }
}
