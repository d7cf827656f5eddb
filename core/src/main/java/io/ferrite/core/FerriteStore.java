package io.ferrite.core;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.ChangeListener;
import io.ferrite.core.api.DiskReads;
import io.ferrite.core.api.KeyVisitor;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.api.ValueUpdater;
import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.index.KeyHash;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.log.MemoryBudget;
import io.ferrite.core.shard.ChangeBus;
import io.ferrite.core.shard.ExpireMode;
import io.ferrite.core.shard.Shard;
import io.ferrite.core.types.StringCommands;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The engine: a keyspace of {@link StoreConfig#databases()} logical databases partitioned into
 * shards, each a HybridLog with its hash indexes. This class is the only way the doors (RESP,
 * JCache, SQL) touch data: key-level operations here, string operations in {@link #strings()}.
 *
 * <p>Every method may be called from any thread, concurrently; single-key operations run on
 * the caller's thread with no hand-off. Keys and values are binary-safe
 * {@link MemorySegment}s (heap or native; the whole segment is the key); results are
 * {@link Status} values, never exceptions, except for misuse such as a database index out of
 * range ({@link IllegalArgumentException}) or a closed store ({@link IllegalStateException}).
 */
public final class FerriteStore implements AutoCloseable {
    /** {@link #expireAt} result for a missing key. */
    public static final long NO_KEY = -2;
    /** {@link #expireAt} result for a key without a TTL. */
    public static final long NO_EXPIRY = -1;

    private final StoreConfig config;
    private final Shard[] shards;
    private final LightEpoch epoch = new LightEpoch();
    private final MemoryBudget budget;
    private final ChangeBus changes = new ChangeBus();
    private final StringCommands strings;
    private final Maintenance maintenance;
    private final TierMover mover;
    private final TierFiles tierFiles;
    private volatile boolean closed;

    private FerriteStore(StoreConfig config) {
        this.config = config;
        this.budget = new MemoryBudget(config.maxMemory());
        this.shards = new Shard[config.shards()];
        this.tierFiles = config.tiered() ? TierFiles.create(config.dataDir()) : null;
        for (int i = 0; i < shards.length; i++) {
            HybridLog.Tiers tiers = tierFiles == null ? null : tierFiles.forShard(i, config, budget, this::wakeMover);
            HybridLog log = new HybridLog(config.pageSize(), config.segmentSize(), budget, epoch, tiers);
            shards[i] = new Shard(i, config.databases(), log, epoch, budget, changes,
                    config.indexBuckets(), config.indexLoad(), config.maxValueSize(),
                    config.promoteColdReads() && config.tiered() ? coldReadFilterSlots(config) : 0);
        }
        this.strings = new StringCommands(this);
        this.maintenance = new Maintenance(this);
        this.mover = config.tiered() ? new TierMover(shards, epoch, budget, config.pageSize()) : null;
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

    /** Opens an in-memory store with {@code config}. */
    public static FerriteStore open(StoreConfig config) {
        return new FerriteStore(config);
    }

    public StoreConfig config() {
        return config;
    }

    /** String commands (GET, SET, INCR, APPEND, bit operations...). */
    public StringCommands strings() {
        return strings;
    }

    /** Subscribes to every change of the keyspace; see {@link ChangeListener} for the rules. */
    public void subscribe(ChangeListener listener) {
        changes.subscribe(listener);
    }

    public void unsubscribe(ChangeListener listener) {
        changes.unsubscribe(listener);
    }

    /** Emits a change event (for command classes whose change is not a single upsert). */
    public void emit(int db, MemorySegment key, ChangeKind kind) {
        changes.emit(db, key, kind);
    }

    // ---- routing and guards (for the command classes of this module) ----

    /** The shard that owns keys with {@code hash}. */
    public Shard shardFor(long hash) {
        return shards[(int) (((hash >>> 32) & 0xFFFF) % shards.length)];
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

    /** Checks the database index and that the store is open. */
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
        return java.util.Objects.requireNonNull(key, "key").byteSize() > config.maxKeySize() ? Status.KEY_TOO_LARGE : null;
    }

    public static long now() {
        return System.currentTimeMillis();
    }

    // ---- generic value access ----

    /** Reads {@code key}'s value if it has {@code type} (any type when null). */
    public Status read(int db, MemorySegment key, ValueType type, ValueSink sink) {
        checkDb(db);
        long hash = hashOf(key);
        Shard shard = shardFor(hash);
        int slot = epoch.protect();
        try {
            return shard.read(db, hash, key, type, sink, now());
        } finally {
            epoch.unprotect(slot);
        }
    }

    /** Read-modify-write of {@code key}'s value; see {@link Shard#upsert} for the parameters. */
    public Status upsert(int db, MemorySegment key, ValueType type, boolean anyType, ValueUpdater updater,
                         ExpireMode expireMode, long expireAt, ChangeKind event) {
        checkDb(db);
        Status bad = checkKey(key);
        if (bad != null) {
            return bad;
        }
        long hash = hashOf(key);
        Shard shard = shardFor(hash);
        throttleWrites();
        int slot = epoch.protect();
        shard.lock();
        try {
            return shard.upsert(db, hash, key, type, anyType, updater, expireMode, expireAt, event, now());
        } finally {
            shard.unlock();
            epoch.unprotect(slot);
        }
    }

    // ---- keys ----

    public ValueType type(int db, MemorySegment key) {
        checkDb(db);
        long hash = hashOf(key);
        int slot = epoch.protect();
        try {
            return shardFor(hash).typeOf(db, hash, key, now());
        } finally {
            epoch.unprotect(slot);
        }
    }

    /**
     * Bytes {@code key} costs: its record in the log plus its share of the index (one 8-byte
     * entry); -1 when the key does not exist. MEMORY USAGE reports it.
     */
    public long memoryUsage(int db, MemorySegment key) {
        checkDb(db);
        long hash = hashOf(key);
        Shard shard = shardFor(hash);
        int slot = epoch.protect();
        shard.lock();
        try {
            long size = shard.recordSize(db, hash, key, now());
            return size < 0 ? -1 : size + Long.BYTES;
        } finally {
            shard.unlock();
            epoch.unprotect(slot);
        }
    }

    public boolean exists(int db, MemorySegment key) {
        return type(db, key) != ValueType.NONE;
    }

    /** Deletes {@code key}: OK, or NOT_FOUND when it did not exist. */
    public Status delete(int db, MemorySegment key) {
        checkDb(db);
        long hash = hashOf(key);
        Shard shard = shardFor(hash);
        throttleWrites();
        int slot = epoch.protect();
        shard.lock();
        try {
            return shard.delete(db, hash, key, now());
        } finally {
            shard.unlock();
            epoch.unprotect(slot);
        }
    }

    /** Absolute expire time in epoch ms; {@link #NO_EXPIRY} or {@link #NO_KEY}. */
    public long expireAt(int db, MemorySegment key) {
        checkDb(db);
        long hash = hashOf(key);
        int slot = epoch.protect();
        try {
            long at = shardFor(hash).expireAtOf(db, hash, key, now());
            return at < 0 ? NO_KEY : at == 0 ? NO_EXPIRY : at;
        } finally {
            epoch.unprotect(slot);
        }
    }

    /**
     * Conditions of EXPIRE and friends (Redis 7). A time in the past (even negative) deletes the
     * key. XX with GT is GT (no TTL never passes GT); XX with LT is {@link #XX_LT}.
     */
    public enum ExpireCondition { ALWAYS, NX, XX, GT, LT, XX_LT }

    /**
     * Sets {@code key}'s absolute expire time. A time in the past deletes the key (with a
     * {@code del} event, as Redis). NOT_FOUND when the key does not exist; NOT_PERFORMED when
     * the condition is not met.
     */
    public Status expire(int db, MemorySegment key, long expireAtMillis, ExpireCondition condition) {
        checkDb(db);
        long hash = hashOf(key);
        Shard shard = shardFor(hash);
        throttleWrites();
        int slot = epoch.protect();
        shard.lock();
        try {
            long now = now();
            long current = shard.expireAtOf(db, hash, key, now);
            if (current < 0 || shard.locateForWrite(db, hash, key, now) == 0) {
                return Status.NOT_FOUND;
            }
            // A key without TTL counts as an infinite TTL for GT and LT.
            boolean ok = switch (condition) {
                case ALWAYS -> true;
                case NX -> current == 0;
                case XX -> current != 0;
                case GT -> current != 0 && expireAtMillis > current;
                case LT -> current == 0 || expireAtMillis < current;
                case XX_LT -> current != 0 && expireAtMillis < current;
            };
            if (!ok) {
                return Status.NOT_PERFORMED;
            }
            if (expireAtMillis <= now) {
                shard.delete(db, hash, key, now);
                return Status.OK;
            }
            Status status = shard.setExpire(db, hash, key, expireAtMillis, now);
            if (status == Status.OK) {
                changes.emit(db, key, ChangeKind.EXPIRE);
            }
            return status;
        } finally {
            shard.unlock();
            epoch.unprotect(slot);
        }
    }

    /** Removes the TTL: OK when one was removed, NOT_PERFORMED when there was none, NOT_FOUND. */
    public Status persist(int db, MemorySegment key) {
        checkDb(db);
        long hash = hashOf(key);
        Shard shard = shardFor(hash);
        throttleWrites();
        int slot = epoch.protect();
        shard.lock();
        try {
            long now = now();
            long current = shard.expireAtOf(db, hash, key, now);
            if (current < 0) {
                return Status.NOT_FOUND;
            }
            if (current == 0) {
                return Status.NOT_PERFORMED;
            }
            shard.setExpire(db, hash, key, 0, now);
            changes.emit(db, key, ChangeKind.PERSIST);
            return Status.OK;
        } finally {
            shard.unlock();
            epoch.unprotect(slot);
        }
    }

    /**
     * Renames {@code src} to {@code dst} in {@code db}, keeping the TTL. NOT_FOUND when src
     * does not exist; with {@code onlyIfAbsent} (RENAMENX), NOT_PERFORMED when dst exists.
     */
    public Status rename(int db, MemorySegment src, MemorySegment dst, boolean onlyIfAbsent) {
        return transfer(db, src, db, dst, onlyIfAbsent ? TransferMode.RENAME_NX : TransferMode.RENAME);
    }

    /**
     * Copies {@code src} (db {@code srcDb}) to {@code dst} (db {@code dstDb}) with its TTL.
     * NOT_FOUND when src is missing; NOT_PERFORMED when dst exists and not {@code replace};
     * SAME_KEY when source and destination are the same key of the same db.
     */
    public Status copy(int srcDb, MemorySegment src, int dstDb, MemorySegment dst, boolean replace) {
        return transfer(srcDb, src, dstDb, dst, replace ? TransferMode.COPY_REPLACE : TransferMode.COPY);
    }

    /** Moves {@code key} to {@code dstDb}: NOT_FOUND, NOT_PERFORMED (exists there), SAME_KEY (same db). */
    public Status move(int db, MemorySegment key, int dstDb) {
        return transfer(db, key, dstDb, key, TransferMode.MOVE);
    }

    private enum TransferMode { RENAME, RENAME_NX, COPY, COPY_REPLACE, MOVE }

    private Status transfer(int srcDb, MemorySegment src, int dstDb, MemorySegment dst, TransferMode mode) {
        checkDb(srcDb);
        checkDb(dstDb);
        Status bad = checkKey(dst);
        if (bad != null) {
            return bad;
        }
        long srcHash = hashOf(src);
        long dstHash = hashOf(dst);
        Shard from = shardFor(srcHash);
        Shard to = shardFor(dstHash);
        boolean sameKey = srcDb == dstDb && src.byteSize() == dst.byteSize() && src.mismatch(dst) == -1;
        throttleWrites();
        int slot = epoch.protect();
        lockInOrder(from, to);
        try {
            long now = now();
            from.ensureRoom(now);
            to.ensureRoom(now);
            long address = from.locateForWrite(srcDb, srcHash, src, now);
            if (address == 0) {
                return Status.NOT_FOUND;
            }
            to.prefetch(dstDb, dstHash, dst);
            if (sameKey) {
                // RENAME key key is a no-op that succeeds; RENAMENX answers 0; COPY/MOVE refuse.
                return switch (mode) {
                    case RENAME -> Status.OK;
                    case RENAME_NX -> Status.NOT_PERFORMED;
                    default -> Status.SAME_KEY;
                };
            }
            boolean dstExists = to.locateForWrite(dstDb, dstHash, dst, now) != 0;
            if (dstExists && (mode == TransferMode.RENAME_NX || mode == TransferMode.COPY || mode == TransferMode.MOVE)) {
                return Status.NOT_PERFORMED;
            }
            long expireAt = from.expireAtOf(srcDb, srcHash, src, now);
            Status status = to.copyFrom(from, address, dstDb, dst, dstHash, expireAt, -1, now);
            if (status != Status.OK) {
                return status;
            }
            switch (mode) {
                case RENAME, RENAME_NX -> {
                    from.kill(srcDb, address, null, src);
                    changes.emit(srcDb, src, ChangeKind.RENAME_FROM);
                    changes.emit(dstDb, dst, ChangeKind.RENAME_TO);
                }
                case MOVE -> {
                    from.kill(srcDb, address, null, src);
                    changes.emit(srcDb, src, ChangeKind.MOVE_FROM);
                    changes.emit(dstDb, dst, ChangeKind.MOVE_TO);
                }
                case COPY, COPY_REPLACE -> changes.emit(dstDb, dst, ChangeKind.COPY_TO);
            }
            return Status.OK;
        } finally {
            unlockBoth(from, to);
            epoch.unprotect(slot);
        }
    }

    /** Locks two shards in id order (once when they are the same). */
    public static void lockInOrder(Shard a, Shard b) {
        if (a == b) {
            a.lock();
        } else if (a.id() < b.id()) {
            a.lock();
            b.lock();
        } else {
            b.lock();
            a.lock();
        }
    }

    public static void unlockBoth(Shard a, Shard b) {
        a.unlock();
        if (a != b) {
            b.unlock();
        }
    }

    /** Locks every shard, in id order (FLUSHALL, multi-key atomic writes across all shards). */
    public void lockAll() {
        for (Shard shard : shards) {
            shard.lock();
        }
    }

    public void unlockAll() {
        for (int i = shards.length - 1; i >= 0; i--) {
            shards[i].unlock();
        }
    }

    // ---- scans ----

    private static final int SHARD_BITS = 8;

    /**
     * One SCAN step over {@code db}: visits the live keys of at least {@code count} buckets'
     * worth (or until the end), optionally only of {@code type}.
     *
     * @param cursor 0 to start; then the value returned by the previous call
     * @return the next cursor, 0 when the scan is complete. Every key present for the whole
     *         scan is visited at least once (Redis's SCAN guarantee), also across index growth.
     */
    public long scan(int db, long cursor, long count, ValueType type, KeyVisitor visitor) {
        checkDb(db);
        int shardId = (int) (cursor & ((1 << SHARD_BITS) - 1));
        long bucketCursor = cursor >>> SHARD_BITS;
        if (shardId >= shards.length) {
            return 0;
        }
        long[] visited = {0};
        KeyVisitor counting = (key, t) -> {
            visited[0]++;
            visitor.visit(key, t);
        };
        long steps = 0;
        // Buckets whose chains need cold blocks are skipped and their reads started; the step
        // then asks to be retried once, when all of them are in (not once per block).
        java.util.List<java.util.concurrent.CompletableFuture<?>> reads = new java.util.ArrayList<>();
        int slot = epoch.protect();
        try {
            long now = now();
            while (true) {
                Shard shard = shards[shardId];
                long mask = shard.mask(db);
                shard.lock();
                try {
                    mask = shard.scanBucket(db, bucketCursor, type, counting, now);
                } catch (io.ferrite.core.api.DiskReadPending pending) {
                    reads.add(pending.ready());
                    // Count the bucket's likely keys as visited, so the step does not run far
                    // ahead (and read far ahead) of where its retry will stop.
                    visited[0] += Math.max(1, shard.keyCount(db) / Math.max(1, shard.buckets(db)));
                } finally {
                    shard.unlock();
                }
                // Reverse-binary increment (Redis's dictScan): robust against table growth.
                bucketCursor |= ~mask;
                bucketCursor = Long.reverse(bucketCursor);
                bucketCursor++;
                bucketCursor = Long.reverse(bucketCursor);
                if (bucketCursor == 0) {
                    shardId++;
                    if (shardId >= shards.length) {
                        return scanResult(0, reads);
                    }
                }
                steps++;
                if (visited[0] >= count || steps >= count * 10) {
                    return scanResult((bucketCursor << SHARD_BITS) | shardId, reads);
                }
            }
        } finally {
            epoch.unprotect(slot);
        }
    }

    private static long scanResult(long cursor, java.util.List<java.util.concurrent.CompletableFuture<?>> reads) {
        if (!reads.isEmpty()) {
            throw new io.ferrite.core.api.DiskReadPending(
                    java.util.concurrent.CompletableFuture.allOf(reads.toArray(new java.util.concurrent.CompletableFuture<?>[0])));
        }
        return cursor;
    }

    /** Visits one random live key of {@code db}; false when the database is empty. */
    public boolean randomKey(int db, KeyVisitor visitor) {
        checkDb(db);
        if (dbSize(db) == 0) {
            return false;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        boolean[] found = {false};
        KeyVisitor once = (key, type) -> {
            if (!found[0]) {
                found[0] = true;
                visitor.visit(key, type);
            }
        };
        int slot = epoch.protect();
        try {
            long now = now();
            for (int attempt = 0; attempt < 4096 && !found[0]; attempt++) {
                Shard shard = shards[random.nextInt(shards.length)];
                if (shard.keyCount(db) == 0) {
                    continue;
                }
                shard.lock();
                try {
                    shard.scanBucket(db, random.nextLong(shard.buckets(db)), null, once, now);
                } finally {
                    shard.unlock();
                }
            }
            if (!found[0]) {
                // Sparse table: fall back to a scan from the start.
                long cursor = 0;
                do {
                    cursor = scan(db, cursor, 1, null, once);
                } while (cursor != 0 && !found[0]);
            }
            return found[0];
        } finally {
            epoch.unprotect(slot);
        }
    }

    /** Keys in {@code db}, including expired keys not yet reclaimed (as Redis's DBSIZE). */
    public long dbSize(int db) {
        checkDb(db);
        long total = 0;
        for (Shard shard : shards) {
            total += shard.keyCount(db);
        }
        return total;
    }

    /** Keys with a TTL in {@code db}. */
    public long expiresCount(int db) {
        checkDb(db);
        long total = 0;
        for (Shard shard : shards) {
            total += shard.expireCount(db);
        }
        return total;
    }

    public void flushDb(int db) {
        checkDb(db);
        lockAll();
        try {
            for (Shard shard : shards) {
                shard.flush(db);
            }
        } finally {
            unlockAll();
        }
        changes.emit(db, MemorySegment.ofArray(new byte[0]), ChangeKind.FLUSH);
    }

    public void flushAll() {
        checkDb(0);
        int slot = epoch.protect();
        lockAll();
        try {
            for (Shard shard : shards) {
                shard.flushAll();
            }
        } finally {
            unlockAll();
            epoch.unprotect(slot);
        }
        changes.emit(-1, MemorySegment.ofArray(new byte[0]), ChangeKind.FLUSH);
    }

    // ---- memory ----

    /** Bytes counted against maxmemory (log pages in use and index tables). */
    public long usedMemory() {
        return budget.used();
    }

    /** Off-heap bytes the logs hold, including retired pages not yet freed. */
    public long logMemory() {
        long total = 0;
        for (Shard shard : shards) {
            total += shard.log().memoryBytes();
        }
        return total;
    }

    public long indexMemory() {
        long total = 0;
        for (Shard shard : shards) {
            total += shard.indexBytes();
        }
        return total;
    }

    /** Changes maxmemory at run time (CONFIG SET maxmemory). */
    public void setMaxMemory(long bytes) {
        budget.setLimit(bytes);
    }

    /**
     * Compacts every shard whose dead fraction is above {@code ratio}, up to the tail as it is
     * when the call starts (records copied by this call are not compacted again), a few pages
     * per lock hold so that foreground commands interleave. Reads cold pages synchronously: run
     * it on a thread that may block.
     *
     * @return bytes of log reclaimed
     */
    public long compact(double ratio) {
        long reclaimed = 0;
        for (Shard shard : shards) {
            long stopAt = shard.log().tailAddress();
            while (!closed) {
                // Live records copied from cold pages land in memory: let the page mover keep up.
                awaitMemory();
                int slot = epoch.protect();
                shard.lock();
                long step;
                try {
                    step = shard.compact(COMPACTION_PAGES_PER_STEP, ratio, now(), stopAt);
                } finally {
                    shard.unlock();
                    epoch.unprotect(slot);
                }
                epoch.tryDrain();
                if (step == 0) {
                    break;
                }
                reclaimed += step;
            }
        }
        return reclaimed;
    }

    /** Pages compacted per shard-lock hold: cold pages are read under the lock, so keep it short. */
    private static final int COMPACTION_PAGES_PER_STEP = 1;

    private final java.util.concurrent.atomic.AtomicBoolean compactionRunning = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.LongAdder compactionsDone = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder compactionReclaimed = new java.util.concurrent.atomic.LongAdder();

    /**
     * Starts a full compaction of every shard on a background thread ({@link #compact} with
     * ratio 0: every dead record up to the current tail is reclaimed).
     *
     * @return false when one is already running
     */
    public boolean startCompaction() {
        if (!compactionRunning.compareAndSet(false, true)) {
            return false;
        }
        Thread.ofPlatform().daemon().name("ferrite-compaction").start(() -> {
            try {
                compactionReclaimed.add(compact(0.0));
                compactionsDone.increment();
            } catch (RuntimeException e) {
                if (!closed) {
                    System.getLogger("ferrite.compaction").log(System.Logger.Level.ERROR, "compaction failed: " + e.getMessage(), e);
                }
            } finally {
                compactionRunning.set(false);
            }
        });
        return true;
    }

    public boolean compactionRunning() {
        return compactionRunning.get();
    }

    /** Compactions started by {@link #startCompaction} that finished, and the bytes they reclaimed. */
    public long[] compactionTotals() {
        return new long[] {compactionsDone.sum(), compactionReclaimed.sum()};
    }

    /**
     * True when a write must be refused for lack of memory: above maxmemory without disk tiers;
     * with them, only when the page mover cannot keep up and the bounded overdraft is used up.
     */
    public boolean memoryExhausted() {
        long limit = budget.limit();
        if (limit <= 0) {
            return false;
        }
        return config.tiered() ? budget.used() > budget.hardLimit(8 * config.pageSize()) : budget.used() > limit;
    }

    /** The state of every shard's log and tiers. */
    public java.util.List<LogStats> logStats() {
        java.util.List<LogStats> stats = new java.util.ArrayList<>(shards.length);
        for (Shard shard : shards) {
            HybridLog log = shard.log();
            HybridLog.Tiers tiers = log.tiers();
            stats.add(new LogStats(shard.id(), log.beginAddress(), log.headAddress(), log.readOnlyAddress(),
                    log.tailAddress(), log.mutableBytes(), log.memoryBytes(), log.warmBytes(),
                    tiers == null ? 0 : tiers.cold().cache().bytes(),
                    tiers == null ? 0 : tiers.cold().directoryBytes(),
                    tiers == null ? 0 : tiers.cold().diskBytes(),
                    tiers == null ? 0 : tiers.cold().rawBytes(),
                    tiers == null ? java.util.Map.of() : tiers.cold().segmentBytes(),
                    tiers == null ? 0 : tiers.cold().reads(),
                    tiers == null ? 0 : tiers.cold().nowaitReads()));
        }
        return stats;
    }

    /** Waits, for five seconds at most, while {@link #writesShouldWait()}. */
    private void awaitMemory() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (writesShouldWait() && System.nanoTime() < deadline && !closed) {
            wakeMover();
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }

    /**
     * Backpressure for writers: with disk tiers, while memory is above maxmemory (the page
     * mover is behind a burst of writes), waits for it on threads that may block, for at most
     * a few seconds. Fail-fast threads (event loops) are not held: the RESP door postpones the
     * connection instead ({@link #writesShouldWait()}).
     */
    public void throttleWrites() {
        if (writesShouldWait() && DiskReads.mayBlock()) {
            awaitMemory();
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

    /** Pages moved to the warm ring and to the cold region since start. */
    public long[] pageMoves() {
        return mover == null ? new long[2] : new long[] {mover.pagesToWarm(), mover.pagesToCold()};
    }

    public boolean isClosed() {
        return closed;
    }

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
        lockAll();
        try {
            epoch.drainAll();
            for (Shard shard : shards) {
                shard.close();
            }
        } finally {
            unlockAll();
        }
        if (tierFiles != null) {
            tierFiles.close();
        }
    }

    /** The key's hash; a null key is a programming error, reported as such. */
    private static long hashOf(MemorySegment key) {
        return KeyHash.hash(java.util.Objects.requireNonNull(key, "key"));
    }
}
