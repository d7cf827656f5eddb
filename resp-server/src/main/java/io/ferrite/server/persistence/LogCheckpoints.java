package io.ferrite.server.persistence;

import io.ferrite.core.aof.AofPosition;
import io.ferrite.core.aof.AppendOnlyFile;
import io.ferrite.core.checkpoint.CheckpointAbandonedException;
import io.ferrite.core.checkpoint.Checkpoints;
import io.ferrite.server.ServerContext;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The door's side of checkpoints of the log: what a checkpoint stands for and when one is
 * taken. One is frozen at the barrier of every RDB save, the snapshot's keys are read from it,
 * and it is written before the snapshot is renamed into place; with the AOF on it is tagged with the AOF's position at that barrier (a restart
 * replays only what follows), otherwise with the random id the snapshot carries in its
 * {@link #RDB_AUX} field (a restart restores it instead of loading the snapshot that names it).
 * An AOF rewrite, which retires the incremental file a checkpoint points into, freezes one where
 * its new incremental file begins, writes it, and reads its base from it; a rewrite that could not freeze one is followed by a checkpoint of its own,
 * taken at a barrier of the write gate.
 */
final class LogCheckpoints {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LogCheckpoints.class);
    /** The RDB auxiliary field naming the checkpoint of the log written with the snapshot. */
    static final String RDB_AUX = "ferrite-checkpoint";

    private final ServerContext server;
    private volatile boolean lastOk = true;

    LogCheckpoints(ServerContext server) {
        this.server = server;
    }

    /** A checkpoint frozen at a barrier, with what it will be tagged with. */
    record Pending(Checkpoints.Frozen frozen, String rdbId, CompletableFuture<AofPosition> aofPosition) {}

    /** The store's checkpoints, or null when they are off. */
    private Checkpoints checkpoints() {
        return server.store().checkpoints();
    }

    /** A new id for a snapshot's checkpoint (null when checkpoints are off). */
    String newRdbId() {
        return checkpoints() == null ? null : Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    /**
     * Freezes a checkpoint; call it at a write-gate barrier. Null when checkpoints are off,
     * another one is being taken or the freeze failed (logged: the caller goes on without).
     */
    Pending freeze(String rdbId) {
        return freeze(rdbId, false);
    }

    /** As {@link #freeze(String)}; with {@code forExport} the snapshot is then written from it ({@link #export}). */
    Pending freeze(String rdbId, boolean forExport) {
        Checkpoints checkpoints = checkpoints();
        if (checkpoints == null) {
            return null;
        }
        AppendOnlyFile aof = server.persistence().aof();
        try {
            CompletableFuture<AofPosition> position = aof == null ? null : aof.position();
            Checkpoints.Frozen frozen = checkpoints.freeze(forExport);
            return frozen == null ? null : new Pending(frozen, rdbId, position);
        } catch (RuntimeException e) {
            log.error("Could not freeze a checkpoint of the log: {}", e.getMessage(), e);
            return null;
        }
    }

    /**
     * Hands every key of a checkpoint frozen for export to {@code sink}, as it was at the
     * freeze; false when it stopped early ({@code cancelled}, or a FLUSHALL emptied the log).
     */
    boolean export(Pending pending, Checkpoints.KeySink sink, java.util.function.BooleanSupplier cancelled) throws IOException {
        return checkpoints().export(pending.frozen(), sink, cancelled);
    }

    /** Writes a frozen checkpoint (on the caller's background thread); a failure is logged and the previous one stays. */
    void write(Pending pending) {
        Checkpoints checkpoints = checkpoints();
        String tag;
        try {
            tag = pending.aofPosition() != null ? aofTag(pending.aofPosition().get(30, TimeUnit.SECONDS))
                    : pending.rdbId() != null ? rdbTag(pending.rdbId()) : null;
        } catch (Exception e) {
            tag = null;
        }
        if (tag == null) {
            checkpoints.abandon(pending.frozen());
            lastOk = false;
            log.error("Could not write the checkpoint of the log: neither an AOF position nor a snapshot to stand for");
            return;
        }
        try {
            checkpoints.write(pending.frozen(), tag);
            lastOk = true;
        } catch (CheckpointAbandonedException e) {
            log.info("Checkpoint given up: {}", e.getMessage()); // a flush: a save starts over too
        } catch (IOException | RuntimeException e) {
            lastOk = false;
            log.error("Could not write the checkpoint of the log: {}", e.getMessage(), e);
        }
    }

    /**
     * Takes a checkpoint of its own (no snapshot) at a barrier of the write gate, when the AOF
     * is on: after a rewrite. Waits for one being taken to end first. Not on an event loop.
     */
    void takeForAof() {
        Checkpoints checkpoints = checkpoints();
        if (checkpoints == null || server.persistence().aof() == null) {
            return;
        }
        checkpoints.awaitIdle(60_000);
        Pending[] pending = {null};
        server.store().writeGate().atBarrier(() -> pending[0] = freeze(null));
        if (pending[0] != null) {
            write(pending[0]);
        }
    }

    /**
     * Writes the checkpoint an AOF rewrite froze for its base (on the rewrite's thread, before
     * the base is read from it), tagged with {@code at}: the start of the incremental file that
     * follows the base. It stands for the data whether or not the rewrite then succeeds (that
     * file stays in the manifest either way).
     */
    void takeFromRewrite(Checkpoints.Frozen frozen, AofPosition at) {
        write(new Pending(frozen, null, CompletableFuture.completedFuture(at)));
    }

    /** Forgets the current checkpoint (FLUSHALL with save points saved the empty dataset). */
    void discard() {
        Checkpoints checkpoints = checkpoints();
        if (checkpoints == null) {
            return;
        }
        try {
            checkpoints.discard();
        } catch (IOException | RuntimeException e) {
            log.warn("Could not forget the checkpoint of the log: {}", e.getMessage());
        }
    }

    boolean lastOk() {
        return lastOk;
    }

    /** The tag of the checkpoint written with the snapshot whose {@link #RDB_AUX} field is {@code id}. */
    static String rdbTag(String id) {
        return "rdb " + id;
    }

    /** The tag of a checkpoint frozen at {@code at} in the AOF. */
    static String aofTag(AofPosition at) {
        return "aof " + at.format();
    }

    /** The AOF position of a checkpoint's tag, or null when it is not an AOF checkpoint's. */
    static AofPosition aofPositionOf(String tag) {
        return tag.startsWith("aof ") ? AofPosition.parse(tag.substring(4)) : null;
    }
}
