package io.ferrite.core.aof;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * The append-only file's one writer thread. Event loops only queue entries (lock-free); this
 * thread takes everything queued, writes it in one go, and with {@link FsyncPolicy#ALWAYS}
 * fsyncs once for the whole batch before the commands in it are acknowledged (group commit:
 * many clients share one fsync). With {@code everysec} it fsyncs about once a second; with
 * {@code no}, never. A write or fsync that fails is retried every second, keeping every command
 * (nothing is dropped); until it succeeds {@link #lastWriteFailed()} is set and the doors
 * refuse writes, as Redis does.
 */
final class AofWriter implements Runnable {
    private static final System.Logger LOG = System.getLogger("ferrite.aof");
    private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long EVERYSEC_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int MAX_BATCH = 4096;

    /** A callback to run once an entry is on disk. */
    private record Waiter(AofEntry entry, Runnable action) {}

    private final MpscUnboundedXaddArrayQueue<AofEntry> queue = new MpscUnboundedXaddArrayQueue<>(4096);
    private final MpscUnboundedXaddArrayQueue<Waiter> waiters = new MpscUnboundedXaddArrayQueue<>(1024);
    private final List<Waiter> pending = new ArrayList<>();
    private final AofDirectory directory;
    private final Thread thread;
    private final AutoRewrite autoRewrite;
    private volatile FsyncPolicy policy;
    private volatile boolean stopping;
    /** Set once the writer has written, fsynced and closed everything: waiters registered later run at once. */
    private volatile boolean stopped;
    private volatile boolean lastWriteFailed;
    private volatile String lastError = "";
    private volatile long durable;
    private volatile long currentSize;
    /** Redis's aof_rewrite_base_size: the AOF's size at start or at the end of the last rewrite, which growth is measured from. */
    private volatile long baseSize;
    private AofOutput incr;
    /** Bytes of the files before the incremental file being appended to (base and older increments). */
    private long settledBytes;
    /** While a rewrite runs: the incremental file begun where its base was taken. */
    private Path rewriteIncr;
    /** While a rewrite whose images come through the queue runs: the file they go to. */
    private AofOutput rewrite;
    private IOException rewriteError;
    private long written;
    private long lastFsyncNanos = System.nanoTime();
    /** How long the last {@code always} fsync took: the longest a group is held for the clients it released. */
    private long lastFsyncTook;
    /** Waiters the last fsync released: the connections whose next commands a group is held for. */
    private int releasedLast;
    private long idleNanos = BUSY_NANOS;

    /** Decides when the incremental file has grown enough for a rewrite (auto-aof-rewrite-*). */
    interface AutoRewrite {
        void consider(long baseSize, long currentSize);
    }

    AofWriter(AofDirectory directory, FsyncPolicy policy, AutoRewrite autoRewrite) throws IOException {
        this.directory = directory;
        this.policy = policy;
        this.autoRewrite = autoRewrite;
        this.incr = AofOutput.append(directory.currentIncr());
        this.currentSize = directory.totalSize();
        this.baseSize = currentSize;
        this.settledBytes = currentSize - incr.size();
        this.thread = Thread.ofPlatform().daemon().name("ferrite-aof").unstarted(this);
    }

    void start() {
        thread.start();
    }

    void policy(FsyncPolicy policy) {
        this.policy = policy;
    }

    FsyncPolicy policy() {
        return policy;
    }

    /** Queues {@code entry}; its place in the file is its place in this queue. */
    void offer(AofEntry entry) {
        queue.offer(entry);
        if (entry.kind != AofEntry.Kind.COMMAND && entry.kind != AofEntry.Kind.REWRITE_IMAGE) {
            wake();
        }
    }

    /**
     * Runs {@code action} (on this thread: it should hand over to its own) once {@code entry}
     * and everything queued before it are fsynced. Does not wake the writer: see {@link #wake}.
     */
    void whenDurable(AofEntry entry, Runnable action) {
        waiters.offer(new Waiter(entry, action));
        if (stopped) {
            releaseAfterStop(); // the AOF was switched off meanwhile: nothing is left to wait for
        }
    }

    /** Runs the waiters registered after the writer stopped (its last fsync covered everything). */
    private synchronized void releaseAfterStop() {
        Waiter w;
        while ((w = waiters.relaxedPoll()) != null) {
            w.action.run();
        }
    }

    /** Starts a write and fsync of what is queued now (a group commit). */
    void commit() {
        LockSupport.unpark(thread);
    }

    /** Wakes the writer for a marker or a stop. */
    private void wake() {
        LockSupport.unpark(thread);
    }

    /** Entries queued and not written yet. */
    long backlog() {
        return queue.size();
    }

    boolean lastWriteFailed() {
        return lastWriteFailed;
    }

    String lastError() {
        return lastError;
    }

    long currentSize() {
        return currentSize;
    }

    long baseSize() {
        return baseSize;
    }

    /** Stops after writing and fsyncing everything queued so far. */
    void stop() {
        stopping = true;
        wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        AofEntry current = null;
        while (true) {
            try {
                int taken = 0;
                while (taken < MAX_BATCH) {
                    if (current == null) {
                        current = queue.relaxedPoll();
                        if (current == null) {
                            break;
                        }
                    }
                    awaitBytes(current);
                    process(current);
                    current = null;
                    taken++;
                }
                boolean wrote = taken > 0 || incr.hasBuffered();
                if (wrote) {
                    incr.writeBuffered();
                    if (rewrite != null) {
                        try {
                            rewrite.writeBuffered();
                        } catch (IOException e) {
                            rewriteError = e;
                            dropRewriteFile();
                        }
                    }
                }
                sync(wrote);
                lastWriteFailed = false;
                fireWaiters();
                if (wrote) {
                    currentSize = settledBytes + incr.size();
                    autoRewrite.consider(baseSize, currentSize);
                }
                if (stopping && queue.isEmpty()) {
                    finish();
                    return;
                }
                pause(wrote);
            } catch (IOException e) {
                if (!lastWriteFailed) {
                    LOG.log(System.Logger.Level.ERROR, "Error writing to the AOF file: " + e.getMessage()
                            + " (retrying every second; writes are refused until it succeeds)", e);
                }
                lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                lastWriteFailed = true;
                LockSupport.parkNanos(EVERYSEC_NANOS);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "The AOF writer failed", e);
                lastError = String.valueOf(e);
                lastWriteFailed = true;
                LockSupport.parkNanos(EVERYSEC_NANOS);
            }
        }
    }

    /**
     * Waits for the next cycle. With {@code always} the next cycle starts when a door commits
     * (once per event-loop pass) or at once if writes that someone waits for are queued; with
     * {@code everysec} and {@code no} after a millisecond, so that a busy server writes the file
     * in few large writes instead of a small one per command (Redis writes once per event-loop
     * pass), and an idle one wakes rarely.
     */
    private void pause(boolean wrote) {
        if (policy == FsyncPolicy.ALWAYS) {
            if (!pending.isEmpty() && !queue.isEmpty()) {
                holdForReleased();
                return;
            }
            // A commit unparks this thread whether or not it is parked yet (the permit stays).
            if (!stopping) {
                LockSupport.parkNanos(this, MAX_IDLE_NANOS);
            }
            return;
        }
        idleNanos = wrote ? BUSY_NANOS : Math.min(MAX_IDLE_NANOS, idleNanos * 2);
        long until = System.nanoTime() + idleNanos;
        long left;
        while (!stopping && (left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left); // a commit does not shorten it: nobody waits for an fsync here
        }
    }

    /**
     * With {@code always}, a group queued while the last fsync ran waits for the connections
     * that fsync released to send their next commands, so both share the next fsync; it waits
     * at most as long as the last fsync took (merging is worth no more than the fsync it saves)
     * and at most a millisecond. Without it, many unpipelined clients settle into two cohorts
     * that take turns, each waiting for the other's fsync as well as its own: half the
     * commands per fsync and a cycle of two fsyncs (docs/benchmarks.md, the {@code aof} section).
     * A lone client is never held: nobody else's group is queued behind its fsync.
     */
    private void holdForReleased() {
        int released = releasedLast;
        if (released == 0) {
            return;
        }
        long deadline = System.nanoTime() + Math.min(lastFsyncTook, MAX_HOLD_NANOS);
        // Each event-loop pass that queues a waiter commits, which unparks this thread to count again.
        while (waiters.size() < released && !stopping) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    private void awaitBytes(AofEntry entry) {
        // Filled a moment after it was queued, by the event loop that ran the command; if that
        // thread lost its core meanwhile, sleep rather than take the core it needs.
        int spins = 0;
        while (!entry.filled()) {
            if (++spins < 200) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    private void process(AofEntry entry) throws IOException {
        switch (entry.kind) {
            case COMMAND -> {
                byte[] bytes = entry.command();
                if (bytes.length > 0) {
                    incr.append(entry.db, bytes);
                }
                entry.position = ++written;
            }
            case REWRITE_IMAGE -> appendToRewrite(entry.db, entry.command());
            case REWRITE_START -> {
                try {
                    startRewrite(entry);
                    entry.done.complete(null);
                } catch (IOException e) {
                    entry.done.completeExceptionally(e);
                }
            }
            case REWRITE_END -> {
                if (rewriteError != null || rewriteIncr == null) {
                    entry.done.completeExceptionally(rewriteError != null ? rewriteError : new IOException("no rewrite in progress"));
                    abortRewrite();
                } else {
                    try {
                        endRewrite(entry.file);
                        entry.done.complete(null);
                    } catch (IOException e) {
                        // The old manifest still names complete files: the rewrite is lost, not the data.
                        abortRewrite();
                        entry.done.completeExceptionally(e);
                    }
                }
            }
            case POSITION -> {
                entry.at = new AofPosition(incr.path.getFileName().toString(), incr.size(), incr.db());
                entry.done.complete(null);
            }
            case REWRITE_ABORT -> {
                abortRewrite();
                entry.done.complete(null);
            }
            case SYNC -> {
                incr.writeBuffered();
                incr.force();
                durable = written;
                entry.done.complete(null);
            }
        }
    }

    /**
     * A failed write of the rewrite file gives up the rewrite (it is reported when it ends);
     * it never stops or repeats the incremental file's writes.
     */
    private void appendToRewrite(int db, byte[] bytes) {
        if (rewrite == null) {
            return;
        }
        try {
            rewrite.append(db, bytes);
        } catch (IOException e) {
            rewriteError = e;
            dropRewriteFile();
        }
    }

    /**
     * Where a rewrite's base is taken: everything before goes durably into the files the old
     * manifest names, and what follows into a new incremental file (Redis 7's layout while it
     * rewrites), which the new base will be followed by. The marker learns where that file
     * begins, for the checkpoint frozen at the same moment.
     */
    private void startRewrite(AofEntry marker) throws IOException {
        abortRewrite();
        incr.writeBuffered();
        incr.force();
        durable = written;
        Path next = directory.startIncr();
        settledBytes += incr.size();
        incr.close();
        incr = AofOutput.append(next);
        rewriteIncr = next;
        if (marker.imagesToWriter) {
            rewrite = AofOutput.append(directory.newRewriteFile());
        }
        marker.at = new AofPosition(next.getFileName().toString(), 0, -1);
    }

    /**
     * The new base is complete ({@code baseFile}, or the writer's own rewrite file): make it
     * durable and switch the manifest to it and the incremental files begun since it was taken.
     */
    private void endRewrite(Path baseFile) throws IOException {
        Path base = baseFile;
        if (rewrite != null) {
            rewrite.writeBuffered();
            rewrite.force();
            rewrite.close();
            base = rewrite.path;
            rewrite = null;
        }
        if (base == null) {
            throw new IOException("the rewrite wrote no base file");
        }
        directory.commitRewrite(base, rewriteIncr);
        rewriteIncr = null;
        currentSize = directory.totalSize();
        baseSize = currentSize;
        settledBytes = currentSize - incr.size();
    }

    /** Drops the rewrite file; one that cannot be deleted now is deleted at the next start. */
    private void abortRewrite() {
        dropRewriteFile();
        rewriteIncr = null;
        rewriteError = null;
    }

    /** Drops the writer's own rewrite file, if it has one. */
    private void dropRewriteFile() {
        if (rewrite != null) {
            try {
                rewrite.close();
                Files.deleteIfExists(rewrite.path);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not delete " + rewrite.path + ": " + e.getMessage());
            }
        }
        rewrite = null;
    }

    private void sync(boolean wrote) throws IOException {
        FsyncPolicy p = policy;
        long now = System.nanoTime();
        if (p == FsyncPolicy.ALWAYS) {
            if (wrote || durable != written) {
                incr.force();
                lastFsyncNanos = System.nanoTime();
                lastFsyncTook = lastFsyncNanos - now;
            }
            durable = written;
        } else if (p == FsyncPolicy.EVERYSEC) {
            if (durable != written && now - lastFsyncNanos >= EVERYSEC_NANOS) {
                long covered = written;
                incr.force();
                lastFsyncNanos = now;
                durable = covered;
            }
        }
    }

    private void fireWaiters() {
        Waiter w;
        while ((w = waiters.relaxedPoll()) != null) {
            pending.add(w);
        }
        if (pending.isEmpty()) {
            releasedLast = 0;
            return;
        }
        int before = pending.size();
        long covered = durable;
        boolean unconditional = policy != FsyncPolicy.ALWAYS;
        pending.removeIf(waiter -> {
            long position = waiter.entry.position;
            if (unconditional || (position != 0 && position <= covered)) {
                waiter.action.run();
                return true;
            }
            return false;
        });
        releasedLast = before - pending.size();
    }

    private void finish() {
        try {
            abortRewrite();
            incr.writeBuffered();
            incr.force();
            durable = written;
            fireWaiters();
            incr.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "Could not complete the AOF file at shutdown: " + e.getMessage(), e);
        } finally {
            pending.forEach(waiter -> waiter.action.run()); // nothing more will be written for them
            pending.clear();
            stopped = true;
            releaseAfterStop();
        }
    }
}
