package io.ferrite.server.persistence;

import io.ferrite.core.aof.AofFormatException;
import io.ferrite.core.aof.AppendOnlyFile;
import io.ferrite.core.aof.BaseFormat;
import io.ferrite.core.aof.FsyncPolicy;
import io.ferrite.server.ServerContext;
import io.ferrite.server.config.Directives;
import io.ferrite.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's persistence: the append-only file when {@code appendonly yes} (opened and
 * replayed at start, switched on and off by CONFIG SET), RDB snapshots (SAVE, BGSAVE, the
 * {@code save} points, SHUTDOWN's save, DEBUG RELOAD; loaded at start when appendonly is no),
 * the loading state, and the counters INFO persistence reports.
 */
public final class Persistence implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Persistence.class);
    private final ServerContext server;
    private final LoadingState loading = new LoadingState();
    private final LongAdder changes = new LongAdder();
    private final RdbSaver saver;
    private volatile AppendOnlyFile aof;
    private volatile java.util.concurrent.ScheduledExecutorService savePoints;
    private volatile boolean shutdownPrepared;
    private volatile long lastLoadKeys;
    private volatile long lastLoadExpired;
    private final LogCheckpoints checkpoints;
    /** Whether the data came from a checkpoint of the log at start. */
    private volatile boolean startedFromCheckpoint;

    public Persistence(ServerContext server) {
        this.server = server;
        this.checkpoints = new LogCheckpoints(server);
        this.saver = new RdbSaver(server, changes::sum, checkpoints);
    }

    /**
     * Called before the server listens: with appendonly yes, commands answer -LOADING from the
     * first connection on, until {@link #start} has loaded the data.
     */
    public void beforeListening() {
        if (server.config().get(Directives.APPENDONLY) || Files.exists(rdbFile())) {
            loading.expect();
        }
    }

    /**
     * Loads the data, blocking until it is in: with appendonly yes the AOF is replayed and then
     * logs every change; otherwise the RDB snapshot is loaded when there is one. Then the save
     * points start to be watched.
     */
    public void start() throws IOException, AofFormatException, Exception {
        ServerConfig config = server.config();
        bindConfig(config);
        removeTempSnapshots();
        AppendOnlyFile opened = config.get(Directives.APPENDONLY) ? open(config) : null;
        List<Path> aofTail;
        boolean restored;
        try {
            aofTail = opened == null ? null : aofAfterCheckpoint(opened);
            restored = opened == null ? keepRestoredCheckpoint() : aofTail != null;
        } catch (IOException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            throw e;
        }
        server.store().subscribe((db, key, kind) -> {
            if (kind != io.ferrite.core.api.ChangeKind.NEW) {
                changes.increment();
            }
        });
        try {
            if (opened != null) {
                startAof(config, opened, aofTail);
            } else if (!restored && Files.exists(rdbFile())) {
                loadRdb(false);
            }
            if (!restored && restoredCheckpoint() != null) {
                // Only once the data is loaded: a load that fails leaves the checkpoint as it was.
                server.store().checkpoints().discard();
            }
        } finally {
            loading.end(); // only now: no write may run unlogged between the load and the AOF
        }
        savePoints = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("ferrite-save-points").factory());
        savePoints.scheduleWithFixedDelay(this::checkSavePoints, 100, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** A save cut off by a crash leaves its temp-*.rdb behind (the snapshot itself is intact): remove them. */
    private void removeTempSnapshots() throws IOException {
        Path dir = rdbFile().getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.newDirectoryStream(dir, "temp-*.rdb")) {
            for (Path file : files) {
                log.info("Removing {}, left by a save that did not finish", file.getFileName());
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Decides about the checkpoint the store restored, if any: it is the data when it is the
     * one written with dump.rdb (the snapshot names it) and the AOF is off; otherwise it is
     * emptied and forgotten, and the snapshot or the AOF is loaded as usual.
     *
     * @return true when the restored checkpoint is the data (no snapshot to load)
     */
    private boolean keepRestoredCheckpoint() throws IOException {
        io.ferrite.core.checkpoint.CheckpointInfo restored = restoredCheckpoint();
        if (restored == null) {
            return false;
        }
        String why;
        if (!Files.exists(rdbFile())) {
            why = rdbFile().getFileName() + " is gone: the data starts empty, as without a snapshot";
        } else {
            String id = io.ferrite.server.rdb.RdbFile.auxFields(rdbFile()).get(LogCheckpoints.RDB_AUX);
            if (id != null && restored.tag().equals(LogCheckpoints.rdbTag(id))) {
                lastLoadKeys = restored.keys();
                saver.savedNow();
                startedFromCheckpoint = true;
                log.info("DB restored from checkpoint {} of the log, the one written with {}: {} keys; the snapshot is not loaded",
                        restored.id(), rdbFile().getFileName(), restored.keys());
                return true;
            }
            why = rdbFile().getFileName() + " is not the snapshot it was written with: the snapshot is loaded";
        }
        log.warn("Checkpoint {} of the log is not used ({})", restored.id(), why);
        server.store().keys().flushAll();
        return false;
    }

    private io.ferrite.core.checkpoint.CheckpointInfo restoredCheckpoint() {
        io.ferrite.core.checkpoint.Checkpoints checkpoints = server.store().checkpoints();
        return checkpoints == null ? null : checkpoints.recovered();
    }

    /**
     * With appendonly yes: the AOF files that complete the restored checkpoint (frozen at a
     * position of the AOF, which its tag names, and the AOF still holding that position), or
     * null, the store then emptied, when the AOF is loaded whole.
     */
    private List<Path> aofAfterCheckpoint(AppendOnlyFile opened) throws IOException {
        io.ferrite.core.checkpoint.CheckpointInfo restored = restoredCheckpoint();
        if (restored == null) {
            return null;
        }
        io.ferrite.core.aof.AofPosition at = LogCheckpoints.aofPositionOf(restored.tag());
        List<Path> files = at == null ? null : opened.filesToReplayFrom(at);
        if (files != null) {
            startedFromCheckpoint = true;
            lastLoadKeys = restored.keys();
            log.info("DB restored from checkpoint {} of the log ({} keys), frozen at offset {} of {}: replaying the AOF from there",
                    restored.id(), restored.keys(), at.offset(), at.file());
            return files;
        }
        log.warn("Checkpoint {} of the log is not used ({}): the append-only file is loaded whole", restored.id(),
                at == null ? "it was written with a snapshot, not at a position of the AOF"
                        : "the AOF no longer holds " + at.file() + " up to offset " + at.offset() + " (a rewrite replaced it)");
        server.store().keys().flushAll();
        return null;
    }

    private void startAof(ServerConfig config, AppendOnlyFile opened, List<Path> afterCheckpoint) throws Exception {
        try {
            AofLoader loader = new AofLoader(server, loading);
            boolean truncated = config.get(Directives.AOF_LOAD_TRUNCATED);
            AofLoader.Loaded loaded = afterCheckpoint == null ? loader.load(opened, truncated)
                    : loader.loadAfter(opened, afterCheckpoint, LogCheckpoints.aofPositionOf(restoredCheckpoint().tag()), truncated);
            log.info("DB loaded from append only file: {} commands, {} bytes in {} ms", loaded.commands(), loaded.bytes(), loaded.millis());
        } catch (Exception e) {
            opened.close();
            throw e;
        }
        opened.attach(server.store());
        opened.afterRewrite(checkpoints::takeForAof, checkpoints::takeFromRewrite);
        aof = opened;
    }

    private void loadRdb(boolean merge) throws IOException {
        Path file = rdbFile();
        RdbLoader.Loaded loaded = new RdbLoader(server.store(), loading).load(file, merge);
        lastLoadKeys = loaded.keys();
        lastLoadExpired = loaded.expiredSkipped();
        saver.savedNow();
        log.info("DB loaded from disk: {} keys ({} expired left out), {} bytes in {} ms", loaded.keys(), loaded.expiredSkipped(),
                loaded.bytes(), loaded.millis());
    }

    // ---- RDB snapshots ----

    /** The snapshot file: {@code dir/dbfilename}. */
    public Path rdbFile() {
        ServerConfig config = server.config();
        return Path.of(config.get(Directives.DIR)).toAbsolutePath().normalize().resolve(config.get(Directives.DBFILENAME));
    }

    /**
     * BGSAVE: starts a background save and returns once its image has begun (later writes are
     * not in the file); null when a save is in progress. Must not run inside a write command.
     */
    public java.util.concurrent.CompletableFuture<Void> startSave() {
        return saver.start(rdbFile());
    }

    /**
     * SAVE: saves and waits for it; null when done, else the failure (a save in progress, or
     * why it failed). Must not run inside a write command.
     */
    public String save() {
        java.util.concurrent.CompletableFuture<Void> save = startSave();
        if (save == null) {
            return "ERR Background save already in progress";
        }
        return waitFor(save);
    }

    private static String waitFor(java.util.concurrent.CompletableFuture<Void> save) {
        try {
            save.join();
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return "ERR " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
    }

    /**
     * Called by FLUSHDB and FLUSHALL before they flush: a save in progress starts over once the
     * flush is done, so that it shows the flushed dataset.
     */
    public void flushing() {
        saver.restartForFlush();
    }

    /** Called by FLUSHALL once it flushed: with save points set, the empty dataset is saved at once (as Redis does). */
    public void flushedAll() {
        if (!server.config().get(Directives.SAVE).isEmpty()) {
            saver.saveEmpty(rdbFile());
        }
    }

    /** True when writes must be refused: the last save failed, save points are set and stop-writes-on-bgsave-error is yes. */
    public boolean rdbWritesRefused() {
        return !saver.lastOk() && server.config().get(Directives.STOP_WRITES_ON_BGSAVE_ERROR)
                && !server.config().get(Directives.SAVE).isEmpty();
    }

    private void checkSavePoints() {
        try {
            if (saver.inProgress() || loading.loading()) {
                return;
            }
            long now = System.currentTimeMillis();
            long changed = saver.changesSinceLastSave();
            long elapsed = (now - saver.lastSaveMillis()) / 1000;
            // After a failure, Redis tries again only after 5 s (CONFIG_BGSAVE_RETRY_DELAY).
            if (!saver.lastOk() && now - saver.lastAttemptMillis() < 5000) {
                return;
            }
            for (io.ferrite.server.config.SavePoint point : server.config().get(Directives.SAVE)) {
                if (changed >= point.changes() && elapsed >= point.seconds()) {
                    log.info("{} changes in {} seconds. Saving...", point.changes(), point.seconds());
                    startSave();
                    return;
                }
            }
        } catch (RuntimeException e) {
            log.error("Checking the save points failed", e);
        }
    }

    /**
     * SHUTDOWN's save (and SIGTERM's): with SAVE, or with save points set and not NOSAVE, the
     * dataset is saved first (after any save in progress), except while it is still loading;
     * otherwise, with the AOF on, a checkpoint of the log is taken (the next start replays only
     * what follows it). The AOF is fsynced when the server closes. Returns false when the save
     * failed: the shutdown is then refused.
     */
    public boolean prepareShutdown(boolean save, boolean noSave) {
        if (loading.loading()) {
            // As Redis: no save while loading, it would replace the snapshot with part of it.
            log.warn("Shutting down while loading: not saving");
        } else if (save || (!noSave && !server.config().get(Directives.SAVE).isEmpty())) {
            java.util.concurrent.CompletableFuture<Void> running = saver.current();
            if (running != null) {
                waitFor(running);
            }
            log.info("Saving the final RDB snapshot before exiting.");
            String failure = save();
            if (failure != null) {
                log.error("Error trying to save the DB, can't exit: {}", failure);
                return false;
            }
        } else if (aof != null) {
            // No snapshot with its checkpoint: one of the log's own, so that the next start
            // replays only what the AOF gets after it.
            checkpoints.takeForAof();
        }
        shutdownPrepared = true;
        return true;
    }

    /** True once {@link #prepareShutdown} succeeded (SIGTERM then does not save again). */
    public boolean shutdownPrepared() {
        return shutdownPrepared;
    }

    /**
     * DEBUG RELOAD: saves the dataset (unless {@code !save}), empties it (unless
     * {@code !flush}) and loads the snapshot again, as Redis's does; with {@code merge} the
     * file's keys replace those in memory. Other clients' writes wait meanwhile, other commands
     * answer -LOADING, and the AOF logs none of it. Must not run on an event loop.
     */
    public synchronized void debugReload(boolean save, boolean flush, boolean merge) throws Exception {
        AppendOnlyFile current = aof;
        server.pause(System.currentTimeMillis() + java.util.concurrent.TimeUnit.MINUTES.toMillis(10), true);
        try {
            if (save) {
                String failure = save();
                if (failure != null) {
                    throw new IOException("Error trying to save the DB: " + failure);
                }
            }
            if (current != null) {
                current.sync();
                current.suspend();
            }
            loading.expect();
            try {
                if (flush) {
                    server.store().keys().flushAll();
                }
                loadRdb(merge);
            } finally {
                if (current != null) {
                    current.resume();
                }
                loading.end();
            }
        } finally {
            server.unpause();
        }
    }

    public boolean saveInProgress() {
        return saver.inProgress();
    }

    /** Unix time (s) of the last successful save (the start time before the first). */
    public long lastSaveSeconds() {
        return saver.lastSaveMillis() / 1000;
    }

    public boolean lastSaveOk() {
        return saver.lastOk();
    }

    /** Duration of the last save in s, -1 before the first. */
    public long lastSaveDurationSeconds() {
        long millis = saver.lastDurationMillis();
        return millis < 0 ? -1 : millis / 1000;
    }

    /** How long the save in progress has run, in s; -1 when none runs. */
    public long currentSaveSeconds() {
        long started = saver.currentStartMillis();
        return started < 0 ? -1 : (System.currentTimeMillis() - started) / 1000;
    }

    public long saves() {
        return saver.saves();
    }

    public long changesSinceLastSave() {
        return saver.changesSinceLastSave();
    }

    public long lastLoadKeys() {
        return lastLoadKeys;
    }

    /** False while the last checkpoint of the log written with a snapshot failed. */
    public boolean lastCheckpointOk() {
        return checkpoints.lastOk();
    }

    /** True when the data came from a checkpoint of the log at start, not from loading a file. */
    public boolean restoredFromCheckpoint() {
        return startedFromCheckpoint;
    }

    public long lastLoadExpired() {
        return lastLoadExpired;
    }

    // ---- the append-only file ----

    private AppendOnlyFile open(ServerConfig config) throws IOException, AofFormatException {
        AppendOnlyFile opened = AppendOnlyFile.open(aofDirectory(config), config.get(Directives.APPENDFILENAME),
                FsyncPolicy.parse(config.get(Directives.APPENDFSYNC)));
        opened.autoRewrite(config.get(Directives.AUTO_AOF_REWRITE_PERCENTAGE), config.get(Directives.AUTO_AOF_REWRITE_MIN_SIZE));
        opened.baseFormat(baseFormat(config));
        return opened;
    }

    /** RDB bases with {@code aof-use-rdb-preamble yes} (Redis 7's default), RESP commands otherwise. */
    private BaseFormat baseFormat(ServerConfig config) {
        return config.get(Directives.AOF_USE_RDB_PREAMBLE)
                ? RdbBase.format(() -> RdbSaver.aux(server.store()), config.get(Directives.RDBCHECKSUM))
                : BaseFormat.COMMANDS;
    }

    private static Path aofDirectory(ServerConfig config) {
        return Path.of(config.get(Directives.DIR)).toAbsolutePath().normalize().resolve(config.get(Directives.APPENDDIRNAME));
    }

    private void bindConfig(ServerConfig config) {
        config.addListener(Directives.APPENDFSYNC, (d, old, now) -> {
            AppendOnlyFile current = aof;
            if (current != null) {
                current.policy(FsyncPolicy.parse((String) now));
            }
        });
        config.addListener(Directives.AUTO_AOF_REWRITE_PERCENTAGE, (d, old, now) -> autoRewrite(config));
        config.addListener(Directives.AUTO_AOF_REWRITE_MIN_SIZE, (d, old, now) -> autoRewrite(config));
        config.addListener(Directives.APPENDONLY, (d, old, now) -> appendOnly((Boolean) now));
        config.addListener(Directives.AOF_USE_RDB_PREAMBLE, (d, old, now) -> {
            AppendOnlyFile current = aof;
            if (current != null) {
                current.baseFormat(baseFormat(config));
            }
        });
    }

    private void autoRewrite(ServerConfig config) {
        AppendOnlyFile current = aof;
        if (current != null) {
            current.autoRewrite(config.get(Directives.AUTO_AOF_REWRITE_PERCENTAGE), config.get(Directives.AUTO_AOF_REWRITE_MIN_SIZE));
        }
    }

    /**
     * CONFIG SET appendonly: on, the AOF starts with a rewrite that puts the whole current
     * dataset in a new base (as Redis's does); off, it is fsynced and closed.
     */
    private synchronized void appendOnly(boolean on) {
        try {
            if (on && aof == null) {
                AppendOnlyFile opened = open(server.config());
                opened.attach(server.store());
                opened.afterRewrite(checkpoints::takeForAof, checkpoints::takeFromRewrite);
                aof = opened;
                opened.startRewrite();
            } else if (!on && aof != null) {
                AppendOnlyFile closing = aof;
                aof = null;
                closing.close();
            }
        } catch (IOException | AofFormatException e) {
            log.error("Could not turn the append only file {}: {}", on ? "on" : "off", e.getMessage(), e);
        }
    }

    /**
     * DEBUG LOADAOF: writes and fsyncs what is queued, empties the dataset and loads it again
     * from the AOF files, as Redis's does. Writes of other clients wait meanwhile (as after
     * CLIENT PAUSE WRITE) and other commands answer -LOADING; neither the flush nor the reload
     * is logged. Must not run on an event loop (the load may wait for disk reads).
     */
    public synchronized void reloadAof() throws Exception {
        AppendOnlyFile current = aof;
        if (current == null) {
            throw new IllegalStateException("appendonly is off");
        }
        server.pause(System.currentTimeMillis() + java.util.concurrent.TimeUnit.MINUTES.toMillis(10), true);
        try {
            current.sync();
            current.suspend();
            loading.expect();
            try {
                server.store().keys().flushAll();
                AofLoader.Loaded loaded = new AofLoader(server, loading).load(current, server.config().get(Directives.AOF_LOAD_TRUNCATED));
                log.warn("Append Only File loaded by DEBUG LOADAOF: {} commands in {} ms", loaded.commands(), loaded.millis());
            } finally {
                current.resume();
                loading.end();
            }
        } finally {
            server.unpause();
        }
    }

    /** The append-only file, or null when appendonly is off. */
    public AppendOnlyFile aof() {
        return aof;
    }

    public LoadingState loading() {
        return loading;
    }

    /** Changes of the keyspace since start (Redis's dirty counter). */
    public long changes() {
        return changes.sum();
    }

    @Override
    public void close() {
        java.util.concurrent.ScheduledExecutorService points = savePoints;
        if (points != null) {
            points.shutdownNow();
        }
        AppendOnlyFile current = aof;
        aof = null;
        if (current != null) {
            current.close();
        }
    }
}
