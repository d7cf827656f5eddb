package io.ferrite.core.aof;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.ChangeListener;
import io.ferrite.core.api.WriteJournal;
import io.ferrite.core.checkpoint.Checkpoints;
import io.ferrite.core.snapshot.PointInTimeImage;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's append-only file: every change of the keyspace, from every door and from the
 * engine itself, reaches it in the order the changes happened to each key.
 *
 * <p><b>How a change gets in.</b> The AOF subscribes to the store's change events, which fire
 * under the changed key's shard lock. Removals the engine makes itself (DEL, expiry, eviction,
 * FLUSHDB/FLUSHALL) are logged by it directly, one {@code DEL} per key. Any other change is
 * logged in the form of the command that made it: a door opens a scope around each write
 * command ({@link #beginCommand}); the first change inside claims the command's slot in the
 * file (under the lock, which fixes its order), and when the command returns the door
 * {@link #publish publishes} the form to log (with relative expiries made absolute, SPOP as
 * SREM, and so on). A door that writes through the engine's API instead of commands uses the
 * same scope through {@link WriteJournal} ({@link FerriteStore#write}), giving the RESP command
 * that replays its change. A change made outside any scope cannot be logged and is counted in
 * {@link #unjournaledChanges}.
 *
 * <p><b>Durability.</b> See {@link AofWriter}: with {@code always} a door acknowledges a write
 * only from {@link #whenDurable}.
 */
public final class AppendOnlyFile implements ChangeListener, WriteJournal, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("ferrite.aof");
    private static final byte[] DEL = "DEL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** The command a thread is running, and the slot its first change claimed. */
    private static final class Scope {
        volatile boolean open;
        AofEntry claimed;
        /** The last entry the command queued, claimed or not: its reply waits for it (always). */
        AofEntry last;
    }

    private final AofDirectory directory;
    private final AofWriter writer;
    private final ThreadLocal<Scope> scopes;
    private final LongAdder unjournaled = new LongAdder();
    private final AtomicBoolean rewriteRunning = new AtomicBoolean();
    private volatile PointInTimeImage rewrite;
    private volatile FerriteStore store;
    private volatile long autoRewritePercent = 100;
    private volatile long autoRewriteMinSize = 64L * 1024 * 1024;
    private volatile long rewritesDone;
    private volatile boolean lastRewriteFailed;
    private volatile long lastRewriteMillis = -1;
    private volatile long rewriteStartedMillis;
    /** Where the last successful rewrite's base came from: "checkpoint", "image", or "none" before the first. */
    private volatile String lastRewriteBase = "none";

    private AppendOnlyFile(AofDirectory directory, FsyncPolicy policy) throws IOException {
        this.directory = directory;
        this.writer = new AofWriter(directory, policy, this::considerAutoRewrite);
        this.scopes = ThreadLocal.withInitial(Scope::new);
    }

    /**
     * Opens the AOF in {@code dir} (created when missing, with an empty incremental file)
     * whose files are named after {@code prefix} ({@code appendfilename}). Nothing is written
     * until {@link #attach}; first replay {@link #filesToReplay()}.
     */
    public static AppendOnlyFile open(Path dir, String prefix, FsyncPolicy policy) throws IOException, AofFormatException {
        return new AppendOnlyFile(AofDirectory.open(dir, prefix), policy);
    }

    /** The files to load, base first, then the incremental files in order. */
    public List<Path> filesToReplay() {
        return directory.replayFiles();
    }

    /**
     * Where the incremental file will be once every change logged so far is in it: call it at
     * a write-gate barrier, where a checkpoint of the log is frozen, and the position says from
     * where the AOF completes that checkpoint.
     */
    public CompletableFuture<AofPosition> position() {
        AofEntry marker = AofEntry.marker(AofEntry.Kind.POSITION);
        writer.offer(marker);
        return marker.done.thenApply(ignored -> marker.at);
    }

    /**
     * The files to replay after a checkpoint frozen at {@code from}: that incremental file, to
     * be read from its offset, and the later ones; null when the AOF no longer has it (a
     * rewrite replaced it) or it is shorter than the offset.
     */
    public List<Path> filesToReplayFrom(AofPosition from) throws IOException {
        List<Path> files = directory.incrFiles();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            if (file.getFileName().toString().equals(from.file())) {
                return java.nio.file.Files.size(file) >= from.offset() ? files.subList(i, files.size()) : null;
            }
        }
        return null;
    }

    public Path manifestFile() {
        return directory.manifestFile();
    }

    /** Cuts a file whose last command a crash left incomplete after its last complete one. */
    public void truncate(Path file, long validUpTo) throws IOException {
        AofDirectory.truncate(file, validUpTo);
    }

    /** Starts logging the changes of {@code store} (after its AOF was replayed). */
    public void attach(FerriteStore store) {
        this.store = store;
        writer.start();
        store.subscribe(this);
        store.attachJournal(this);
    }

    /**
     * Stops logging the store's changes for a while, the writer staying up (DEBUG LOADAOF: the
     * flush and the reload it makes are not changes to log). {@link #resume} undoes it.
     */
    public void suspend() {
        FerriteStore target = store;
        if (target != null) {
            target.unsubscribe(this);
        }
    }

    /** Logs the store's changes again after {@link #suspend}. */
    public void resume() {
        FerriteStore target = store;
        if (target != null) {
            target.subscribe(this);
        }
    }

    // ---- the scope a door opens around a write command ----

    /**
     * Opens this thread's scope for one write command (inside the store's
     * {@link io.ferrite.core.snapshot.WriteGate}, which also makes the command image its keys
     * while a rewrite runs).
     */
    public void beginCommand() {
        Scope scope = scopes.get();
        scope.open = true;
        scope.claimed = null;
        scope.last = null;
    }

    /**
     * Closes this thread's scope; returns the slot its command claimed (to {@link #publish}),
     * or null when it claimed none. {@link #lastOfCommand} then tells what to wait for.
     */
    public AofEntry endCommand() {
        Scope scope = scopes.get();
        AofEntry claimed = scope.claimed;
        scope.claimed = null;
        scope.open = false;
        return claimed;
    }

    /**
     * The last entry the command of the scope just closed queued (its claimed slot or a DEL
     * it caused), or null when it changed nothing: with {@code always} its reply waits for it.
     */
    public AofEntry lastOfCommand() {
        return scopes.get().last;
    }

    @Override
    public void beginWrite() {
        beginCommand();
    }

    @Override
    public CompletableFuture<Void> endWrite(int db, java.util.function.Supplier<byte[]> loggedForm) {
        AofEntry claimed = endCommand();
        AofEntry last = lastOfCommand();
        if (claimed != null) {
            byte[] form = EMPTY;
            try {
                form = loggedForm.get();
            } finally {
                publish(claimed, db, form); // always: the writer waits for every claimed slot
            }
        }
        if (last == null || policy() != FsyncPolicy.ALWAYS) {
            return DONE;
        }
        CompletableFuture<Void> durable = new CompletableFuture<>();
        whenDurable(last, () -> durable.complete(null));
        commit();
        return durable;
    }

    @Override
    public String failure() {
        return lastWriteFailed() ? lastWriteError() : null;
    }

    /** Gives a claimed slot the command to log (in RESP form) and the database it runs in; empty logs nothing. */
    public void publish(AofEntry entry, int db, byte[] command) {
        entry.db = db;
        entry.fill(command);
    }

    /**
     * Runs {@code action} on the writer thread once {@code entry} is fsynced (hand over to your
     * own thread). The fsync starts at the next {@link #commit}: a door registers the waits of
     * everything it read in one pass, then commits once, so that one fsync covers them all
     * (Redis fsyncs once per event-loop pass for the same reason).
     */
    public void whenDurable(AofEntry entry, Runnable action) {
        writer.whenDurable(entry, action);
    }

    /** Writes and fsyncs what is queued, now (with {@code always}: the group commit). */
    public void commit() {
        writer.commit();
    }

    @Override
    public void onChange(int db, MemorySegment key, ChangeKind kind) {
        Scope scope = scopes.get();
        switch (kind) {
            case DEL, EXPIRED, EVICTED -> queued(scope, new AofEntry(AofEntry.Kind.COMMAND, db,
                    RespCommand.of(DEL, key.toArray(ValueLayout.JAVA_BYTE))));
            case FLUSH -> queued(scope, new AofEntry(AofEntry.Kind.COMMAND, db,
                    db < 0 ? RespCommand.ofWords("FLUSHALL") : RespCommand.ofWords("FLUSHDB")));
            case NEW -> { } // the write that created the key has its own event
            default -> {
                if (!scope.open) {
                    unjournaled.increment();
                } else if (scope.claimed == null) {
                    scope.claimed = new AofEntry(AofEntry.Kind.COMMAND, db, null);
                    queued(scope, scope.claimed);
                }
            }
        }
    }

    private void queued(Scope scope, AofEntry entry) {
        writer.offer(entry);
        if (scope.open) {
            scope.last = entry;
        }
    }

    // ---- rewrite ----

    /**
     * What the door does with the checkpoint a rewrite froze to write its base from, before the
     * base is read from it: write it with {@link Checkpoints#write} (tagged with {@code at},
     * where the AOF continues it), or nothing; on the calling thread.
     */
    @FunctionalInterface
    public interface RewriteCheckpoint {
        void take(Checkpoints.Frozen frozen, AofPosition at);
    }

    /** Run after each successful rewrite that did not leave a checkpoint (see {@link #afterRewrite}). */
    private volatile Runnable afterRewrite;
    private volatile RewriteCheckpoint rewriteCheckpoint;
    private volatile boolean cancelled;
    private volatile BaseFormat baseFormat = BaseFormat.COMMANDS;

    /**
     * Starts BGREWRITEAOF on a thread of its own; false when one is already running. The
     * returned future completes when the new base is in place.
     */
    public CompletableFuture<Void> startRewrite() {
        FerriteStore target = store;
        if (target == null || !rewriteRunning.compareAndSet(false, true)) {
            return null;
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("ferrite-aof-rewrite").start(() -> {
            long started = System.currentTimeMillis();
            rewriteStartedMillis = started;
            Runnable then = null;
            try {
                then = runRewrite(target);
                rewritesDone++;
                lastRewriteFailed = false;
                LOG.log(System.Logger.Level.INFO, "Background AOF rewrite finished successfully");
                result.complete(null);
            } catch (Throwable e) {
                lastRewriteFailed = true;
                LOG.log(System.Logger.Level.ERROR, "Background AOF rewrite failed: " + e.getMessage(), e);
                result.completeExceptionally(e);
            } finally {
                lastRewriteMillis = System.currentTimeMillis() - started;
                rewrite = null;
                rewriteRunning.set(false);
            }
            if (then != null) {
                then.run();
            }
        });
        return result;
    }

    /**
     * Rewrites the AOF as Redis 7 does: at a moment when no write command is half-way, later
     * commands start going to a new incremental file, and a new base is written with every key
     * as it was at that moment; once it is durable the manifest names it and the new
     * incremental file, and the older files go. The base comes from a checkpoint frozen at that
     * moment when the store takes checkpoints (no write waits for it or copies anything for
     * it), otherwise from a point-in-time image. Returns what to run once the rewrite is
     * reported done.
     */
    private Runnable runRewrite(FerriteStore target) throws Exception {
        Checkpoints checkpoints = target.checkpoints();
        if (checkpoints != null) {
            checkpoints.awaitIdle(60_000);
            Checkpoints.Frozen[] frozen = {null};
            AofEntry start = AofEntry.marker(AofEntry.Kind.REWRITE_START);
            target.writeGate().atBarrier(() -> {
                frozen[0] = checkpoints.freeze(true);
                if (frozen[0] != null) {
                    writer.offer(start);
                }
            });
            if (frozen[0] != null) {
                rewriteFromCheckpoint(checkpoints, frozen[0], start);
                lastRewriteBase = "checkpoint";
                return null; // its checkpoint is written already
            }
        }
        rewriteFromImage(target);
        lastRewriteBase = "image";
        return afterRewrite;
    }

    /**
     * The base from the checkpoint frozen where the new incremental file begins: the checkpoint
     * is written first (the door's hook; that lets the page mover go on), then the rewrite's
     * thread reads every key from it into the new base.
     */
    private void rewriteFromCheckpoint(Checkpoints checkpoints, Checkpoints.Frozen frozen, AofEntry start) throws Exception {
        Path file = null;
        boolean exporting = false;
        try {
            start.done.get();
            RewriteCheckpoint hook = rewriteCheckpoint;
            if (hook != null) {
                hook.take(frozen, start.at);
            }
            file = directory.newRewriteFile();
            try (BaseFormat.Base base = baseFormat.open(file)) {
                exporting = true; // the export releases the frozen checkpoint, whatever happens
                checkpoints.export(frozen, base, () -> cancelled);
                if (cancelled) {
                    throw new IOException("the AOF was closed during the rewrite");
                }
                base.finish();
            }
            AofEntry end = AofEntry.marker(AofEntry.Kind.REWRITE_END);
            end.file = file;
            writer.offer(end);
            end.done.get();
        } catch (Exception e) {
            if (!exporting) {
                checkpoints.drop(frozen);
            }
            AofEntry abort = AofEntry.marker(AofEntry.Kind.REWRITE_ABORT);
            writer.offer(abort);
            abort.done.get();
            if (file != null) {
                java.nio.file.Files.deleteIfExists(file);
            }
            throw e;
        }
    }

    /**
     * The base from a point-in-time image: a write images the keys it touches before it
     * changes them (the store's write gate), and the rewrite's own pass images the rest; the
     * writer puts the images into the new base.
     */
    private void rewriteFromImage(FerriteStore target) throws Exception {
        PointInTimeImage next = new PointInTimeImage(target,
                (db, key) -> new KeyImage(key, bytes -> writer.offer(new AofEntry(AofEntry.Kind.REWRITE_IMAGE, db, bytes))));
        AofEntry start = AofEntry.marker(AofEntry.Kind.REWRITE_START);
        start.imagesToWriter = true;
        // No command may be half-way while the rewrite starts: one that began before must not
        // change a key after the image began without imaging it first.
        target.writeGate().install(next, () -> writer.offer(start));
        rewrite = next;
        try {
            start.done.get();
            next.imageAll();
            if (next.cancelled()) {
                throw new IOException("the AOF was closed during the rewrite");
            }
        } catch (Exception e) {
            target.writeGate().remove(next);
            AofEntry abort = AofEntry.marker(AofEntry.Kind.REWRITE_ABORT);
            writer.offer(abort);
            abort.done.get();
            throw e;
        }
        target.writeGate().remove(next);
        rewrite = null;
        AofEntry end = AofEntry.marker(AofEntry.Kind.REWRITE_END);
        writer.offer(end);
        end.done.get();
    }

    /**
     * Runs {@code action} on the rewrite's thread after each rewrite that succeeded without a
     * checkpoint of its own, and hands the checkpoint of one that froze it to {@code checkpoint}.
     */
    public void afterRewrite(Runnable action, RewriteCheckpoint checkpoint) {
        this.afterRewrite = action;
        this.rewriteCheckpoint = checkpoint;
    }

    /**
     * The form of the bases the next rewrites write from a checkpoint (a rewrite from a
     * point-in-time image always writes commands).
     */
    public void baseFormat(BaseFormat format) {
        this.baseFormat = format;
    }

    public boolean rewriteInProgress() {
        return rewriteRunning.get();
    }

    /** auto-aof-rewrite-percentage and auto-aof-rewrite-min-size (0 percent: never). */
    public void autoRewrite(long percent, long minSize) {
        this.autoRewritePercent = percent;
        this.autoRewriteMinSize = minSize;
    }

    private void considerAutoRewrite(long baseSize, long currentSize) {
        long percent = autoRewritePercent;
        if (percent <= 0 || currentSize < autoRewriteMinSize || rewriteRunning.get()) {
            return;
        }
        long base = Math.max(1, baseSize);
        if ((currentSize - base) * 100 / base >= percent) {
            LOG.log(System.Logger.Level.INFO, "Starting automatic rewriting of AOF on " + (currentSize - base) * 100 / base + "% growth");
            startRewrite();
        }
    }

    // ---- policy, state and statistics ----

    public FsyncPolicy policy() {
        return writer.policy();
    }

    public void policy(FsyncPolicy policy) {
        writer.policy(policy);
    }

    /** True while the last write or fsync failed (the doors refuse writes, as Redis does). */
    public boolean lastWriteFailed() {
        return writer.lastWriteFailed();
    }

    public String lastWriteError() {
        return writer.lastError();
    }

    /** Changes queued for the file and not written yet. */
    public long backlog() {
        return writer.backlog();
    }

    public long currentSize() {
        return writer.currentSize();
    }

    /** The AOF's size at start or after the last rewrite (Redis's {@code aof_base_size}): auto-rewrite growth is measured from it. */
    public long baseSize() {
        return writer.baseSize();
    }

    public long rewrites() {
        return rewritesDone;
    }

    public boolean lastRewriteFailed() {
        return lastRewriteFailed;
    }

    /** Seconds the rewrite running now has taken so far, -1 when none runs. */
    public long currentRewriteSeconds() {
        return rewriteRunning.get() ? (System.currentTimeMillis() - rewriteStartedMillis) / 1000 : -1;
    }

    /** Where the last successful rewrite took its base from: {@code checkpoint}, {@code image}, or {@code none}. */
    public String lastRewriteBase() {
        return lastRewriteBase;
    }

    /** Duration of the last rewrite in ms, -1 before the first. */
    public long lastRewriteMillis() {
        return lastRewriteMillis;
    }

    /** Changes made outside a door's scope, which could not be logged. */
    public long unjournaledChanges() {
        return unjournaled.sum();
    }

    /** Writes and fsyncs everything queued so far. */
    public void sync() throws Exception {
        AofEntry marker = AofEntry.marker(AofEntry.Kind.SYNC);
        writer.offer(marker);
        marker.done.get();
    }

    /** Stops logging, after writing and fsyncing everything queued. */
    @Override
    public void close() {
        FerriteStore target = store;
        if (target != null) {
            target.unsubscribe(this);
            target.detachJournal(this);
        }
        cancelled = true;
        PointInTimeImage current = rewrite;
        if (current != null) {
            current.cancel();
        }
        writer.stop();
    }
}
