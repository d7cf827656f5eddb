package io.ferrite.core.checkpoint;

import io.ferrite.core.address.LogicalAddress;
import io.ferrite.core.api.LogCorruptedException;
import io.ferrite.core.api.StorageException;
import io.ferrite.core.api.ValueExport;
import io.ferrite.core.collection.CollectionTransfer;
import io.ferrite.core.collection.Workspace;
import io.ferrite.core.engine.Engine;
import io.ferrite.core.engine.Recovery;
import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.shard.FrozenShard;
import io.ferrite.core.shard.Shard;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Fork-less checkpoints of a store's log, and its restore at start.
 *
 * <p>Taking one is two steps. {@link #freeze} runs at a moment when no write command is
 * half-way (a {@link io.ferrite.core.snapshot.WriteGate} barrier, where the AOF also starts its
 * next file or an RDB image begins): with every shard locked it makes each log read-only up to
 * its tail (FASTER's fold-over: later writes of those records copy them to the tail) and copies
 * the indexes and counters, a pause of a memory copy of the indexes. {@link #write}, on a
 * background thread while writes go on, waits until no thread can still change a frozen record,
 * writes each shard's file (indexes, cold block directory, the frozen pages that are in memory,
 * which the page mover leaves in place until they are written), forces those and the segment
 * files to the device, and switches the {@code CHECKPOINT} pointer. Segment files a checkpoint
 * refers to are kept until a newer checkpoint no longer needs them, so compaction's deletions
 * wait for it.
 *
 * <p>At start (see {@link #recovery}) the pointer's checkpoint is restored: indexes and
 * counters as they were, the segment files reused as they are (cut back to what the checkpoint
 * knew), the pages that were in memory read back into memory. Nothing of the cold data is
 * read, so the time follows the indexes and the in-memory pages. A damaged pointer or shard
 * file, a missing or cut segment file, or a checkpoint of another geometry stops the start
 * with a message naming the file; a damaged block is found when it is read, as always.
 *
 * <p>The caller's tag says what a checkpoint stands for (the snapshot or AOF base taken at the
 * same barrier): a restore is only as good as that agreement, which the door checks.
 */
public final class Checkpoints {
    private static final System.Logger LOG = System.getLogger("ferrite.checkpoint");
    private static final long SETTLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Path root;
    private Engine engine;
    private final AtomicBoolean running = new AtomicBoolean();
    /** The checkpoint the pointer names (restored at start or written since), or null. */
    private volatile Pointer current;
    private volatile CheckpointInfo recovered;
    /** Per shard, the first segment the current checkpoint refers to. */
    private long[] retained;

    /** Checkpoints of the store whose data directory is {@code dataDir}. */
    public Checkpoints(Path dataDir) {
        this.root = dataDir.resolve("hybridlog");
    }

    /** The checkpoint restored at start, or null when the store started empty. */
    public CheckpointInfo recovered() {
        return recovered;
    }

    /** The checkpoint the pointer names now, or null. */
    public CheckpointInfo latest() {
        Pointer p = current;
        return p == null ? null : p.info();
    }

    // ---- restore ----

    /** What the engine calls at start to restore the shards from the current checkpoint. */
    public Recovery recovery() {
        return new Recovery() {
            @Override
            public boolean restorable(Path logRoot) {
                return Pointer.exists(logRoot);
            }

            @Override
            public void restore(Path logRoot, Shard[] shards, LightEpoch epoch) {
                restoreShards(shards, epoch);
            }
        };
    }

    private void restoreShards(Shard[] shards, LightEpoch epoch) {
        long started = System.nanoTime();
        Pointer pointer = Pointer.read(root);
        HybridLog log0 = shards[0].log();
        if (pointer.shards() != shards.length || pointer.databases() != shards[0].databases()
                || pointer.pageSize() != log0.pageSize() || pointer.segmentSize() != log0.maxRecordSize()) {
            throw new StorageException("the checkpoint in " + root + " was written with " + pointer.shards() + " shards, "
                    + pointer.databases() + " databases, page size " + pointer.pageSize() + " and segment size "
                    + pointer.segmentSize() + "; this store has " + shards.length + ", " + shards[0].databases() + ", "
                    + log0.pageSize() + " and " + log0.maxRecordSize() + ": start it with the same settings");
        }
        removeOtherCheckpoints(pointer.info().id());
        retained = new long[shards.length];
        for (int i = 0; i < shards.length; i++) {
            Path file = ShardFile.path(root, i, pointer.info().id());
            if (!Files.exists(file)) {
                throw new LogCorruptedException("checkpoint file " + file
                        + " is missing (the checkpoint pointer names it)");
            }
        }
        // The shards are independent: one thread each (a restart is mostly reading their files).
        List<Thread> threads = new ArrayList<>();
        RuntimeException[] failures = new RuntimeException[shards.length];
        for (int i = 0; i < shards.length; i++) {
            int shard = i;
            threads.add(Thread.ofPlatform().name("ferrite-restore-" + i).start(() -> {
                Path file = ShardFile.path(root, shard, pointer.info().id());
                try {
                    ShardFile.read(file, pointer.shardFileBytes()[shard], shards[shard], epoch);
                } catch (IOException e) {
                    failures[shard] = new StorageException("cannot read checkpoint file " + file + ": " + e.getMessage(), e);
                } catch (RuntimeException e) {
                    failures[shard] = e;
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while restoring the checkpoint");
            }
        }
        for (RuntimeException failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
        for (int i = 0; i < shards.length; i++) {
            retained[i] = LogicalAddress.segment(shards[i].log().beginAddress());
            shards[i].log().tiers().cold().retainFrom(retained[i]);
        }
        current = pointer;
        recovered = pointer.info();
        LOG.log(System.Logger.Level.INFO, "restored checkpoint " + pointer.info().id() + " (" + pointer.info().keys()
                + " keys, " + pointer.info().fileBytes() / (1 << 20) + " MB of indexes and in-memory pages) in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
    }

    /** Removes the files of checkpoints other than {@code keep} (an interrupted one, older ones). */
    private void removeOtherCheckpoints(long keep) {
        try (Stream<Path> paths = Files.walk(root, 2)) {
            for (Path p : paths.toList()) {
                String name = p.getFileName().toString();
                boolean stale = name.equals(Pointer.NAME + ".tmp")
                        || (name.startsWith("checkpoint-") && name.endsWith(".ckpt")
                            && !name.equals("checkpoint-%06d.ckpt".formatted(keep)));
                if (stale) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot clean up the checkpoints in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Called once the engine exists. */
    public void attach(Engine engine) {
        this.engine = engine;
        if (retained == null) {
            retained = new long[engine.shards().length];
            Arrays.fill(retained, Long.MAX_VALUE);
        }
    }

    /**
     * Forgets the current checkpoint (the door found it does not stand for the data it loads):
     * the pointer and the checkpoint's files go, and the segment files are no longer kept for
     * it. Not while a checkpoint is being taken.
     */
    public void discard() throws IOException {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("a checkpoint is being taken");
        }
        try {
            Pointer p = current;
            Files.deleteIfExists(root.resolve(Pointer.NAME));
            Pointer.forceDirectory(root);
            current = null;
            Shard[] shards = engine.shards();
            for (int i = 0; i < shards.length; i++) {
                if (p != null) {
                    Files.deleteIfExists(ShardFile.path(root, i, p.info().id()));
                }
                retained[i] = Long.MAX_VALUE;
                shards[i].log().tiers().cold().retainFrom(Long.MAX_VALUE);
            }
        } finally {
            running.set(false);
        }
    }

    /** Waits up to {@code millis} for a checkpoint being taken to end (before the store closes). */
    public boolean awaitIdle(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (running.get()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    // ---- taking one ----

    /** A checkpoint frozen by {@link #freeze} and not yet written; opaque outside this class. */
    public static final class Frozen {
        private final long id;
        private final long atMillis;
        private final Shard.Image[] images;
        private final long reserved;
        /** Frozen for {@link #export}: the images stay open after {@link #write}, until the export ends. */
        private final boolean forReading;
        private final AtomicBoolean released = new AtomicBoolean();

        private Frozen(long id, long atMillis, Shard.Image[] images, long reserved, boolean forReading) {
            this.id = id;
            this.atMillis = atMillis;
            this.images = images;
            this.reserved = reserved;
            this.forReading = forReading;
        }
    }

    /**
     * Freezes a checkpoint. Call it where no write command is half-way (at a write-gate
     * barrier), never from inside a write. Returns null when another checkpoint is still being
     * taken (the caller goes on without one).
     */
    public Frozen freeze() {
        return freeze(false);
    }

    /**
     * As {@link #freeze()}; with {@code forReading} the frozen records also stay readable for
     * {@link #export}, which must follow (after {@link #write}, or alone) or be replaced by
     * {@link #abandon}: compaction waits below the frozen begin and the copies of the indexes
     * stay until the export ends. Writing first lets the page mover go on meanwhile (the export
     * then reads what it moved from the disk tier).
     */
    public Frozen freeze(boolean forReading) {
        if (!running.compareAndSet(false, true)) {
            return null;
        }
        try {
            Shard[] shards = engine.shards();
            Shard.Image[] images = new Shard.Image[shards.length];
            long now = engine.locked(engine.shardSet().addAll(), time -> {
                for (int i = 0; i < shards.length; i++) {
                    images[i] = shards[i].image();
                    if (forReading) {
                        shards[i].log().holdBegin(images[i].log());
                    }
                    long segment = LogicalAddress.segment(images[i].log().begin());
                    shards[i].log().tiers().cold().retainFrom(Math.min(retained[i], segment));
                }
                return time;
            });
            long bytes = 0;
            for (Shard.Image image : images) {
                bytes += image.bytes();
            }
            engine.budget().forceReserve(bytes);
            Pointer p = current;
            return new Frozen(p == null ? 1 : p.info().id() + 1, now, images, bytes, forReading);
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
    }

    /**
     * Writes a frozen checkpoint, tagged {@code tag}, and makes it the current one; on the
     * caller's thread (a background one: this takes as long as writing the indexes and the
     * in-memory pages).
     *
     * @throws IOException when a file cannot be written (the previous checkpoint stays current)
     * @throws CheckpointAbandonedException when the data was flushed meanwhile (FLUSHALL)
     */
    public CheckpointInfo write(Frozen frozen, String tag) throws IOException {
        Shard[] shards = engine.shards();
        long started = System.nanoTime();
        boolean done = false;
        try {
            awaitSettled(frozen);
            long[] fileBytes = new long[shards.length];
            long pageBytes = 0;
            long keys = 0;
            for (int i = 0; i < shards.length; i++) {
                ShardFile.Written w = ShardFile.write(ShardFile.path(root, i, frozen.id), i, frozen.images[i], shards[i].log());
                if (!w.complete()) {
                    throw new CheckpointAbandonedException("the data was flushed while checkpoint " + frozen.id + " was written");
                }
                fileBytes[i] = w.fileBytes();
                pageBytes += w.pageBytes();
                for (long count : frozen.images[i].keyCounts()) {
                    keys += count;
                }
            }
            for (int i = 0; i < shards.length; i++) {
                Set<Long> segments = new HashSet<>(ShardFile.segmentLengths(frozen.images[i].coldBlocks()).keySet());
                shards[i].log().tiers().cold().force(segments);
            }
            long total = 0;
            for (long b : fileBytes) {
                total += b;
            }
            CheckpointInfo info = new CheckpointInfo(frozen.id, frozen.atMillis, tag, keys, total, pageBytes);
            HybridLog log0 = shards[0].log();
            Pointer pointer = new Pointer(info, shards.length, shards[0].databases(), log0.pageSize(), log0.maxRecordSize(), fileBytes);
            pointer.write(root);
            Pointer previous = current;
            current = pointer;
            done = true;
            for (int i = 0; i < shards.length; i++) {
                retained[i] = LogicalAddress.segment(frozen.images[i].log().begin());
            }
            if (previous != null) {
                for (int i = 0; i < shards.length; i++) {
                    Files.deleteIfExists(ShardFile.path(root, i, previous.info().id()));
                }
            }
            LOG.log(System.Logger.Level.INFO, "checkpoint " + info.id() + " written: " + keys + " keys, "
                    + total / (1 << 20) + " MB (" + pageBytes / (1 << 20) + " MB of in-memory pages) in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
            return info;
        } finally {
            for (int i = 0; i < shards.length; i++) {
                shards[i].log().endCheckpointCopy();
                shards[i].log().tiers().cold().retainFrom(retained[i]);
                if (!done) {
                    Files.deleteIfExists(ShardFile.path(root, i, frozen.id));
                }
            }
            if (!frozen.forReading) {
                release(frozen); // otherwise the export that follows releases it
            }
        }
    }

    /** Receives the keys of a frozen checkpoint from {@link #export}. */
    public interface KeySink {
        /** Where the value of {@code key} (valid during the call) in {@code db} goes. */
        ValueExport begin(int db, MemorySegment key);

        /** The value begun last is complete; {@code expireAt} is its expiry in epoch ms, 0 for none. */
        void end(long expireAt);
    }

    /**
     * Hands every key of a checkpoint frozen {@link #freeze(boolean) for reading} to
     * {@code sink}, with its value and expiry as they were at the freeze, while writes go on:
     * no lock is taken and no write waits for it (the freeze made the records immutable). On the
     * caller's background thread, after {@link #write} if the checkpoint is to be written; it
     * releases the frozen checkpoint when it ends.
     *
     * @return false when it stopped early: {@code cancelled} said so, or the data was flushed
     *         meanwhile (FLUSHALL; the keys handed over so far were all there at the freeze)
     */
    public boolean export(Frozen frozen, KeySink sink, BooleanSupplier cancelled) throws IOException {
        if (!frozen.forReading) {
            // compaction was not held for it: its records may be gone
            throw new IllegalArgumentException("the checkpoint was not frozen for reading");
        }
        Shard[] shards = engine.shards();
        try {
            awaitSettled(frozen);
            for (int i = 0; i < shards.length; i++) {
                try (FrozenShard view = new FrozenShard(shards[i], frozen.images[i], engine.epoch())) {
                    Workspace w = new Workspace(shards[i], view.parts());
                    for (int db = 0; db < shards[i].databases(); db++) {
                        int database = db;
                        boolean whole = view.forEachKey(db, frozen.atMillis, cancelled, (key, root) -> {
                            CollectionTransfer.export(w, database, root, sink.begin(database, key));
                            sink.end(root.expireAt);
                        });
                        if (!whole) {
                            return false;
                        }
                    }
                }
            }
            return true;
        } finally {
            release(frozen);
        }
    }

    /** Gives up writing a frozen checkpoint (one frozen for reading stays for its {@link #export}). */
    public void abandon(Frozen frozen) {
        endCopy();
        if (!frozen.forReading) {
            release(frozen);
        }
    }

    /** Gives up a frozen checkpoint entirely: neither written (any more) nor exported. */
    public void drop(Frozen frozen) {
        endCopy();
        release(frozen);
    }

    private void endCopy() {
        Shard[] shards = engine.shards();
        for (int i = 0; i < shards.length; i++) {
            shards[i].log().endCheckpointCopy();
            shards[i].log().tiers().cold().retainFrom(retained[i]);
        }
    }

    /** Frees what a frozen checkpoint holds (once, whoever comes last), and lets the next one be taken. */
    private void release(Frozen frozen) {
        if (!frozen.released.compareAndSet(false, true)) {
            return;
        }
        for (Shard shard : engine.shards()) {
            shard.log().releaseBegin();
        }
        for (Shard.Image image : frozen.images) {
            image.close();
        }
        engine.budget().release(frozen.reserved);
        running.set(false);
    }

    /** Waits until no thread can still change a record below any frozen end (an epoch drain). */
    private void awaitSettled(Frozen frozen) throws IOException {
        Shard[] shards = engine.shards();
        LightEpoch epoch = engine.epoch();
        long deadline = System.nanoTime() + SETTLE_TIMEOUT_NANOS;
        for (int i = 0; i < shards.length; i++) {
            while (!shards[i].log().settled(frozen.images[i].log())) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the log of shard " + i + " did not settle within 30 s");
                }
                epoch.bumpCurrentEpoch(() -> { });
                epoch.tryDrain();
                Thread.onSpinWait();
            }
        }
    }
}
