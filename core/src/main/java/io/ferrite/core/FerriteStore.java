package io.ferrite.core;

import io.ferrite.core.api.ChangeListener;
import io.ferrite.core.api.StorageException;
import io.ferrite.core.api.WriteJournal;
import io.ferrite.core.checkpoint.Checkpoints;
import io.ferrite.core.engine.Engine;
import io.ferrite.core.engine.Recovery;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.shard.Shard;
import io.ferrite.core.snapshot.WriteGate;
import io.ferrite.core.collection.CollectionSpace;
import io.ferrite.core.types.HashCommands;
import io.ferrite.core.types.KeyCommands;
import io.ferrite.core.types.ListCommands;
import io.ferrite.core.types.SetCommands;
import io.ferrite.core.types.ZSetCommands;
import io.ferrite.core.types.StringCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The engine as the doors (RESP, JCache, SQL) see it: a keyspace of
 * {@link StoreConfig#databases()} logical databases over shards of a HybridLog. Data is reached
 * through the command families ({@link #keys()}, {@link #strings()}, ...); this class opens and
 * closes the store, delivers change events and reports memory and tiers.
 *
 * <p>Every method may be called from any thread, concurrently; single-key operations run on
 * the caller's thread with no hand-off. Keys and values are binary-safe
 * {@link java.lang.foreign.MemorySegment}s (heap or native; the whole segment is the key);
 * results are {@link io.ferrite.core.api.Status} values, never exceptions, except for misuse
 * such as a database index out of range ({@link IllegalArgumentException}) or a closed store
 * ({@link IllegalStateException}).
 */
public final class FerriteStore implements AutoCloseable {
    private final Engine engine;
    private final EncodingLimits encodingLimits = new EncodingLimits();
    private final KeyCommands keys;
    private final StringCommands strings;
    private final HashCommands hashes;
    private final SetCommands sets;
    private final ListCommands lists;
    private final ZSetCommands zsets;
    private final WriteGate writeGate = new WriteGate();
    private volatile WriteJournal journal;

    private final Checkpoints checkpoints;
    /** The data directory's lock, null for a store in memory. */
    private final DataDirectoryLock directoryLock;

    private FerriteStore(StoreConfig config, DataDirectoryLock directoryLock) {
        this.directoryLock = directoryLock;
        this.checkpoints = config.checkpoints() ? new Checkpoints(config.dataDir()) : null;
        this.engine = new Engine(config, checkpoints == null ? Recovery.NONE : checkpoints.recovery());
        if (checkpoints != null) {
            checkpoints.attach(engine);
        }
        CollectionSpace collections = new CollectionSpace(engine.shards(), encodingLimits);
        this.keys = new KeyCommands(engine, collections);
        this.strings = new StringCommands(engine);
        this.hashes = new HashCommands(engine, collections);
        this.sets = new SetCommands(engine, collections);
        this.lists = new ListCommands(engine, collections);
        this.zsets = new ZSetCommands(engine, collections);
    }

    /**
     * Opens a store with {@code config}.
     *
     * @throws io.ferrite.core.api.StorageException when its data directory is another open
     *         store's (in this process or another), or cannot be opened
     */
    public static FerriteStore open(StoreConfig config) {
        DataDirectoryLock lock = config.dataDir() == null ? null : DataDirectoryLock.acquire(config.dataDir());
        try {
            return new FerriteStore(config, lock);
        } catch (RuntimeException | Error e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    /** The engine behind this store: for the engine's own tests, not for doors. */
    Engine engine() {
        return engine;
    }

    public StoreConfig config() {
        return engine.config();
    }

    /** Key commands for every type (TYPE, DEL, EXPIRE, RENAME, SCAN, DBSIZE, FLUSHDB...). */
    public KeyCommands keys() {
        return keys;
    }

    /** String commands (GET, SET, INCR, APPEND, bit operations...). */
    public StringCommands strings() {
        return strings;
    }

    /** Hash commands (HSET, HGET, HDEL, HINCRBY, HSCAN...). */
    public HashCommands hashes() {
        return hashes;
    }

    /** Set commands (SADD, SREM, SMEMBERS, SPOP, SINTER...). */
    public SetCommands sets() {
        return sets;
    }

    /** The first list commands (pushes, pops, LLEN, LRANGE, LINDEX), on interim packed storage. */
    public ListCommands lists() {
        return lists;
    }

    /** The first sorted-set commands (ZADD, ZREM, ZCARD, ZSCORE, ZRANGE by index), on interim packed storage. */
    public ZSetCommands zsets() {
        return zsets;
    }

    /**
     * Checkpoints of the log and what was restored at start; null unless
     * {@link StoreConfig#checkpoints()}.
     */
    public Checkpoints checkpoints() {
        return checkpoints;
    }

    /** The gate every door's write commands pass, for fork-less point-in-time images (AOF rewrite, RDB save). */
    public WriteGate writeGate() {
        return writeGate;
    }

    /**
     * Runs one write of a door that calls this API directly (the embedded JCache; SQL later) the
     * way the RESP door runs a write command: through the {@link #writeGate() write gate} (a
     * snapshot or AOF rewrite being taken images {@code key} first) and, when an append-only
     * file logs this store, in its journal scope, where a change {@code body} makes is logged
     * as the RESP command {@code loggedForm} gives (asked only then; deletions and expiries the
     * journal logs by itself). {@code body} must change no key but {@code key} of {@code db}.
     * With {@code appendfsync always} this returns once the logged command is on the disk.
     *
     * @throws StorageException when the append-only file cannot be written: the write is
     *         refused, as Redis refuses write commands then (MISCONF)
     */
    public <T> T write(int db, byte[] key, Supplier<T> body, Supplier<byte[]> loggedForm) {
        WriteJournal log = journal;
        if (log != null && log.failure() != null) {
            throw new StorageException("writes are refused: the append-only file cannot be written (" + log.failure() + ")");
        }
        java.util.concurrent.CompletableFuture<Void> durable = null;
        T result;
        boolean imageFirst = writeGate.enter();
        try {
            if (imageFirst) {
                writeGate.imageBeforeWrite(db, key);
            }
            if (log != null) {
                log.beginWrite();
            }
            try {
                result = body.get();
            } finally {
                if (log != null) {
                    durable = log.endWrite(db, loggedForm);
                }
            }
        } finally {
            writeGate.exit();
        }
        if (durable != null && !durable.isDone()) {
            durable.join();
        }
        return result;
    }

    /** Makes {@code attached} the journal {@link #write} logs to (an append-only file starting to log this store). */
    public void attachJournal(WriteJournal attached) {
        journal = attached;
    }

    /** Stops {@link #write} logging to {@code detached}, if it is the attached journal. */
    public void detachJournal(WriteJournal detached) {
        if (journal == detached) {
            journal = null;
        }
    }

    /** When small collections change to their large encoding; changeable at run time (CONFIG SET). */
    public EncodingLimits encodingLimits() {
        return encodingLimits;
    }

    /** Subscribes to every change of the keyspace; see {@link ChangeListener} for the rules. */
    public void subscribe(ChangeListener listener) {
        engine.changes().subscribe(listener);
    }

    public void unsubscribe(ChangeListener listener) {
        engine.changes().unsubscribe(listener);
    }

    /**
     * Subscribes to every change with its shard and sequence number and, if {@code withValues},
     * the string values before and after (copied out of the log only while such a subscriber
     * exists); see {@link io.ferrite.core.api.ChangeEventListener} for the rules.
     */
    public void subscribe(io.ferrite.core.api.ChangeEventListener listener, boolean withValues) {
        engine.changes().subscribe(listener, withValues);
    }

    public void unsubscribe(io.ferrite.core.api.ChangeEventListener listener) {
        engine.changes().unsubscribe(listener);
    }

    /**
     * Moves a subscriber that implements both listener forms, subscribed in either, to the other
     * in one step, so that no event reaches it twice or not at all: whole events with values
     * while {@code withValues} (a door that needs old values only while some consumer asks),
     * plain events otherwise (no copy of values for anyone).
     */
    public <L extends ChangeListener & io.ferrite.core.api.ChangeEventListener> void switchValues(L listener, boolean withValues) {
        engine.changes().switchValues(listener, withValues);
    }

    // ---- memory ----

    /** Bytes counted against maxmemory (log pages in use, indexes, cold directory and cache). */
    public long usedMemory() {
        return engine.budget().used();
    }

    /** Off-heap bytes the logs hold, including retired pages not yet freed. */
    public long logMemory() {
        long total = 0;
        for (Shard shard : engine.shards()) {
            total += shard.log().memoryBytes();
        }
        return total;
    }

    /** Bytes of the hash indexes. */
    public long indexMemory() {
        long total = 0;
        for (Shard shard : engine.shards()) {
            total += shard.indexBytes();
        }
        return total;
    }

    /** Changes maxmemory at run time (CONFIG SET maxmemory). */
    public void setMaxMemory(long bytes) {
        engine.budget().setLimit(bytes);
    }

    /**
     * True when a write must be refused for lack of memory: above maxmemory without disk tiers;
     * with them, only when the page mover cannot keep up and the bounded overdraft is used up.
     */
    public boolean memoryExhausted() {
        return engine.backpressure().memoryExhausted();
    }

    /**
     * True when writes should wait for the page mover (memory above maxmemory with disk tiers):
     * a fail-fast caller postpones its write instead of running it now.
     */
    public boolean writesShouldWait() {
        return engine.backpressure().writesShouldWait();
    }

    // ---- tiers and compaction ----

    /** The state of every shard's log and tiers. */
    public List<LogStats> logStats() {
        List<LogStats> stats = new ArrayList<>(engine.shards().length);
        for (Shard shard : engine.shards()) {
            HybridLog log = shard.log();
            HybridLog.Tiers tiers = log.tiers();
            stats.add(new LogStats(shard.id(), log.beginAddress(), log.headAddress(), log.readOnlyAddress(),
                    log.tailAddress(), log.logBytes(), shard.deadBytes(), log.mutableBytes(), log.memoryBytes(), log.warmBytes(),
                    tiers == null ? 0 : tiers.cold().cache().bytes(),
                    tiers == null ? 0 : tiers.cold().directoryBytes(),
                    tiers == null ? 0 : tiers.cold().diskBytes(),
                    tiers == null ? 0 : tiers.cold().rawBytes(),
                    tiers == null ? Map.of() : tiers.cold().segmentBytes(),
                    tiers == null ? 0 : tiers.cold().reads(),
                    tiers == null ? 0 : tiers.cold().nowaitReads(),
                    shard.parts().reusedRecords()));
        }
        return stats;
    }

    /** Pages moved to the warm ring and to the cold region since start. */
    public long[] pageMoves() {
        return engine.pageMoves();
    }

    /**
     * Compacts every shard whose dead fraction is above {@code ratio}, up to the tail as it is
     * when the call starts. Reads cold pages: run it on a thread that may block.
     *
     * @return bytes of log reclaimed
     */
    public long compact(double ratio) {
        return engine.compactions().compact(ratio);
    }

    /**
     * Starts a full compaction of every shard on a background thread (every dead record up to
     * the current tail is reclaimed).
     *
     * @return false when one is already running
     */
    public boolean startCompaction() {
        return engine.compactions().start();
    }

    public boolean compactionRunning() {
        return engine.compactions().running();
    }

    /** Compactions started by {@link #startCompaction} that finished, and the bytes they reclaimed. */
    public long[] compactionTotals() {
        return engine.compactions().totals();
    }

    /** Turns the background expiry sweep on or off; expired keys still vanish when read (DEBUG SET-ACTIVE-EXPIRE). */
    public void activeExpiry(boolean on) {
        engine.activeExpiry(on);
    }

    public boolean isClosed() {
        return engine.isClosed();
    }

    @Override
    public void close() {
        if (checkpoints != null && !checkpoints.awaitIdle(30_000)) {
            System.getLogger("ferrite.checkpoint").log(System.Logger.Level.WARNING,
                    "closing while a checkpoint is still being written: it is given up");
        }
        engine.close();
        if (directoryLock != null) {
            directoryLock.close();
        }
    }
}
