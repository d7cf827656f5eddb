package io.ferrite.core.engine;

import io.ferrite.core.StoreConfig;
import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.DiskReadPending;
import io.ferrite.core.api.DiskReads;
import io.ferrite.core.api.ReadRetention;
import io.ferrite.core.api.Status;
import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.index.KeyHash;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.log.MemoryBudget;
import io.ferrite.core.shard.ChangeBus;
import io.ferrite.core.shard.Shard;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The running engine behind {@link io.ferrite.core.FerriteStore}: the shards, the epoch, the
 * memory budget, the change bus and the background threads, and the one place where an
 * operation is routed and guarded. A command family (strings, hashes, sets...) hands its
 * per-key logic to {@link #read} or {@link #write} (or a multi-shard step to {@link #locked})
 * and writes nothing else: hashing, routing, epoch protection, the shard lock, backpressure,
 * disk-read retries and the {@code finally} that undoes them all live here.
 *
 * <p><b>Disk reads.</b> A shard's lock is never held across a disk wait: while a thread holds
 * one it is fail-fast ({@link Shard#lock}), so a step that meets a cold block not at hand
 * throws {@link DiskReadPending} before it changed anything. A fail-fast caller (an event
 * loop) gets that exception and retries later; a caller that may block (JCache, SQL, the
 * engine's own threads) waits here for the read with its locks released, then runs the step
 * again, keeping the blocks read so far in a {@link ReadRetention}.
 */
public final class Engine implements AutoCloseable {
    private final StoreConfig config;
    private final Shard[] shards;
    private final LightEpoch epoch = new LightEpoch();
    private final MemoryBudget budget;
    private final ChangeBus changes = new ChangeBus();
    private final Maintenance maintenance;
    private final TierMover mover;
    private final TierFiles tierFiles;
    private final Backpressure backpressure;
    private final Compactions compactions;
    private final KeyspaceScan scan = new KeyspaceScan(this);
    private final ThreadLocal<KeyContext> readContexts = ThreadLocal.withInitial(KeyContext::new);
    /** One write context per shard, used by the holder of that shard's lock. */
    private final KeyContext[] writeContexts;
    private volatile boolean closed;

    public Engine(StoreConfig config) {
        this(config, Recovery.NONE);
    }

    /**
     * An engine over {@code config}; with tiers, {@code recovery} restores the shards from the
     * files an earlier run left in the data directory, when it finds something to restore.
     */
    public Engine(StoreConfig config, Recovery recovery) {
        this.config = config;
        this.budget = new MemoryBudget(config.maxMemory());
        this.shards = new Shard[config.shards()];
        this.tierFiles = config.tiered() ? TierFiles.create(config.dataDir(), config.diskReadExecutor(), recovery) : null;
        for (int i = 0; i < shards.length; i++) {
            HybridLog.Tiers tiers = tierFiles == null ? null : tierFiles.forShard(i, config, budget, this::wakeMover);
            HybridLog log = new HybridLog(config.pageSize(), config.segmentSize(), budget, epoch, tiers);
            shards[i] = new Shard(i, config.databases(), log, epoch, budget, changes,
                    config.indexBuckets(), config.indexLoad(), config.maxValueSize(),
                    config.promoteColdReads() && config.tiered() ? coldReadFilterSlots(config) : 0);
        }
        if (tierFiles != null && recovery.restorable(tierFiles.root())) {
            try {
                recovery.restore(tierFiles.root(), shards, epoch);
            } catch (RuntimeException e) {
                // The shards are not closed: closing would delete the segment files, which are
                // the data the failed restore could not bring back.
                tierFiles.abandon();
                throw e;
            }
        }
        this.writeContexts = new KeyContext[shards.length];
        for (int i = 0; i < shards.length; i++) {
            writeContexts[i] = new KeyContext();
        }
        this.mover = config.tiered() ? new TierMover(shards, epoch, budget, config.pageSize()) : null;
        this.backpressure = new Backpressure(config, budget, shards, mover, () -> closed);
        this.compactions = new Compactions(this, backpressure);
        this.maintenance = new Maintenance(this, compactions);
        if (mover != null) {
            mover.start();
        }
        if (config.activeExpiry()) {
            maintenance.start();
        }
    }

    /**
     * Slots per shard of the filter that admits cold reads for promotion: a 256th of maxmemory
     * (4 bytes a slot), between 1K and 64K slots per shard.
     */
    private static int coldReadFilterSlots(StoreConfig config) {
        long budget = config.maxMemory() > 0 ? config.maxMemory() : 1L << 30;
        return (int) Math.clamp(budget / 256 / Integer.BYTES / config.shards(), 1024, 1 << 16);
    }

    private void wakeMover() {
        TierMover m = mover;
        if (m != null) {
            m.wake();
        }
    }

    // ---- what the engine is made of ----

    public StoreConfig config() {
        return config;
    }

    public Shard[] shards() {
        return shards;
    }

    public LightEpoch epoch() {
        return epoch;
    }

    public MemoryBudget budget() {
        return budget;
    }

    public ChangeBus changes() {
        return changes;
    }

    public Backpressure backpressure() {
        return backpressure;
    }

    public Compactions compactions() {
        return compactions;
    }

    /** Pages moved to the warm ring and to the cold region since start. */
    public long[] pageMoves() {
        return mover == null ? new long[2] : new long[] {mover.pagesToWarm(), mover.pagesToCold()};
    }

    /** Turns the background expiry sweep on or off (DEBUG SET-ACTIVE-EXPIRE). */
    public void activeExpiry(boolean on) {
        maintenance.expiring(on);
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- routing and checks ----

    /** The shard that owns keys with {@code hash}. */
    public Shard shardFor(long hash) {
        return shards[(int) (((hash >>> 32) & 0xFFFF) % shards.length)];
    }

    /** The key's hash; a null key is a programming error, reported as such. */
    public static long hashOf(MemorySegment key) {
        return KeyHash.hash(Objects.requireNonNull(key, "key"));
    }

    /**
     * An operation that got its shard lock only after {@link #close} let go of it finds the
     * shards closed: it must not touch them.
     */
    private void checkOpenUnderLock() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    /** Checks the database index and that the engine is open. */
    public void checkDb(int db) {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
        if (db < 0 || db >= config.databases()) {
            throw new IllegalArgumentException("DB index is out of range");
        }
    }

    /** KEY_TOO_LARGE when {@code key} is over the configured limit, otherwise null. */
    public Status checkKey(MemorySegment key) {
        return Objects.requireNonNull(key, "key").byteSize() > config.maxKeySize() ? Status.KEY_TOO_LARGE : null;
    }

    public static long now() {
        return System.currentTimeMillis();
    }

    /** An empty set of shards for a multi-key operation. */
    public ShardSet shardSet() {
        return new ShardSet(shards);
    }

    /** Emits a change event (for changes that are not one key's single upsert). */
    public void emit(int db, MemorySegment key, ChangeKind kind) {
        changes.emit(db, key, kind);
    }

    // ---- the operation template ----

    /**
     * Runs a read of {@code key} in {@code db}: epoch protected, no lock (readers are
     * lock-free; see {@link Shard}). A cold record on a fail-fast thread throws
     * {@link DiskReadPending}; other threads read it synchronously.
     */
    public <R> R read(int db, MemorySegment key, KeyOperation<R> op) {
        checkDb(db);
        long hash = hashOf(key);
        Shard shard = shardFor(hash);
        int slot = epoch.protect();
        try {
            return op.run(readContexts.get().set(db, key, hash, shard, now()));
        } finally {
            epoch.unprotect(slot);
        }
    }

    /**
     * Runs a write of {@code key} in {@code db} under its shard's lock (after backpressure, with
     * the epoch protected), retrying after disk reads for callers that may block. The key's
     * size is checked first: KEY_TOO_LARGE without running {@code op}.
     */
    public Status write(int db, MemorySegment key, KeyOperation<Status> op) {
        checkDb(db);
        Status bad = checkKey(key);
        if (bad != null) {
            return bad;
        }
        backpressure.throttleWrites();
        return underKeyLock(db, key, op);
    }

    /**
     * Runs a read of {@code key} in {@code db} that needs a consistent view of several records
     * (a collection's chunks) under its shard's lock; like {@link #write}, without backpressure.
     */
    public <R> R readLocked(int db, MemorySegment key, KeyOperation<R> op) {
        checkDb(db);
        return underKeyLock(db, key, op);
    }

    private <R> R underKeyLock(int db, MemorySegment key, KeyOperation<R> op) {
        long hash = hashOf(key);
        Shard shard = shardFor(hash);
        DiskRetry retry = null;
        try {
            while (true) {
                if (retry != null && retry.needsWaitingUnderLocks()) {
                    return DiskReads.blockingEvenUnderLocks(() -> keyLockedOnce(db, key, hash, shard, op));
                }
                DiskReadPending pending;
                int slot = epoch.protect();
                shard.lock();
                try {
                    checkOpenUnderLock();
                    return op.run(writeContexts[shard.id()].set(db, key, hash, shard, now()));
                } catch (DiskReadPending p) {
                    pending = p;
                } finally {
                    shard.unlock();
                    epoch.unprotect(slot);
                }
                retry = DiskRetry.await(pending, retry);
            }
        } finally {
            DiskRetry.finish(retry);
        }
    }

    private <R> R keyLockedOnce(int db, MemorySegment key, long hash, Shard shard, KeyOperation<R> op) {
        int slot = epoch.protect();
        shard.lock();
        try {
            checkOpenUnderLock();
            return op.run(writeContexts[shard.id()].set(db, key, hash, shard, now()));
        } finally {
            shard.unlock();
            epoch.unprotect(slot);
        }
    }

    /**
     * A context for one key of a multi-key operation (its shard must be in the operation's
     * {@link ShardSet}); valid while the operation runs.
     */
    public KeyContext keyContext(int db, MemorySegment key, long now) {
        checkDb(db);
        long hash = hashOf(key);
        return new KeyContext().set(db, key, hash, shardFor(hash), now);
    }

    /**
     * Runs {@code step} with every shard of {@code locks} locked (in id order) and the epoch
     * protected, retrying after disk reads for callers that may block: multi-key commands,
     * and the engine's own background steps (compaction, expiry).
     */
    public <R> R locked(ShardSet locks, LockedStep<R> step) {
        DiskRetry retry = null;
        try {
            while (true) {
                if (retry != null && retry.needsWaitingUnderLocks()) {
                    return DiskReads.blockingEvenUnderLocks(() -> lockedOnce(locks, step));
                }
                DiskReadPending pending;
                int slot = epoch.protect();
                locks.lock();
                try {
                    checkOpenUnderLock();
                    return step.run(now());
                } catch (DiskReadPending p) {
                    pending = p;
                } finally {
                    locks.unlock();
                    epoch.unprotect(slot);
                }
                retry = DiskRetry.await(pending, retry);
            }
        } finally {
            DiskRetry.finish(retry);
        }
    }

    private <R> R lockedOnce(ShardSet locks, LockedStep<R> step) {
        int slot = epoch.protect();
        locks.lock();
        try {
            checkOpenUnderLock();
            return step.run(now());
        } finally {
            locks.unlock();
            epoch.unprotect(slot);
        }
    }

    /** {@link #locked} for a write of many keys: backpressure first. */
    public <R> R lockedWrite(ShardSet locks, LockedStep<R> step) {
        backpressure.throttleWrites();
        return locked(locks, step);
    }

    /** One SCAN step over {@code db}; see {@link KeyspaceScan}. */
    public long scan(int db, long cursor, long count, io.ferrite.core.api.ValueType type, io.ferrite.core.api.KeyVisitor visitor) {
        return scan.step(db, cursor, count, type, visitor);
    }

    /** {@link #scan}, handing over each key's newest record (under the shard's lock, for reading its value in the walk). */
    public long scanRecords(int db, long cursor, long count, io.ferrite.core.api.ValueType type,
                            io.ferrite.core.shard.BucketScans.RecordVisitor visitor) {
        return scan.step(db, cursor, count, type, visitor);
    }

    // ---- lifecycle ----

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        maintenance.stop();
        if (mover != null) {
            mover.stop();
        }
        // Operations that began before `closed` was set finish first: one may be waiting for a
        // shard lock while it holds an epoch protection, so the epoch is drained before the
        // locks are taken (the other way round, close and that operation wait for each other).
        epoch.bumpCurrentEpoch(() -> { });
        epoch.drainAll();
        ShardSet all = shardSet().addAll();
        all.lock();
        try {
            epoch.drainAll();
            for (Shard shard : shards) {
                shard.close();
            }
        } finally {
            all.unlock();
        }
        if (tierFiles != null) {
            tierFiles.close();
        }
    }
}
