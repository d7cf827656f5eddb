package io.ferrite.server.persistence;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.ValueExport;
import io.ferrite.core.snapshot.KeyImageWriter;
import io.ferrite.core.snapshot.PointInTimeImage;
import io.ferrite.server.ServerContext;
import io.ferrite.server.rdb.RdbFileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * SAVE and BGSAVE without fork: an RDB file (Redis 7.0's format, which redis-server loads too)
 * of the dataset as it was when the save began, written on a thread of its own while writes
 * go on. The keys come from a {@link PointInTimeImage}; the file is written as
 * {@code temp-<pid>-<n>.rdb}, fsynced, renamed over {@code dbfilename} and the directory
 * fsynced, so a crash at any moment leaves the previous snapshot or the new one, never part of
 * one. A flush while a save runs restarts it (as Redis's FLUSHALL kills its saving child): the
 * file then shows the dataset just after the flush.
 */
final class RdbSaver {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RdbSaver.class);
    private static final AtomicLong TEMP_FILES = new AtomicLong();

    private final ServerContext server;
    private final LongSupplier changes;
    private final LogCheckpoints checkpoints;
    private CompletableFuture<Void> running; // guarded by this
    private volatile PointInTimeImage image;
    private volatile boolean restart;
    private volatile long lastSaveMillis;
    private volatile long lastAttemptMillis;
    private volatile boolean lastOk = true;
    private volatile long lastDurationMillis = -1;
    private volatile long currentStartMillis = -1;
    private volatile long changesAtLastSave;
    private volatile long saves;
    private volatile long lastKeys;
    /** What the last save read the keys from: "a checkpoint" or "an image". */
    private volatile String lastSource = "";

    RdbSaver(ServerContext server, LongSupplier changes, LogCheckpoints checkpoints) {
        this.server = server;
        this.changes = changes;
        this.checkpoints = checkpoints;
        this.lastSaveMillis = server.startedAtMillis();
    }

    /**
     * Starts a background save; null when one is running already. The future completes when it
     * ends. Returns once the image has begun, so that the file shows the dataset as it was
     * before the caller's next command, as after Redis's fork; so it must not be called inside
     * a write command (the image begins only once no write command is half-way).
     */
    CompletableFuture<Void> start(Path target) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        java.util.concurrent.CountDownLatch begun = new java.util.concurrent.CountDownLatch(1);
        synchronized (this) {
            if (running != null) {
                return null;
            }
            running = done;
            currentStartMillis = System.currentTimeMillis();
            lastAttemptMillis = currentStartMillis;
        }
        Thread.ofPlatform().daemon().name("ferrite-bgsave").start(() -> {
            Throwable failure = null;
            try {
                save(target, begun);
            } catch (Throwable e) {
                failure = e;
            } finally {
                begun.countDown();
                synchronized (this) {
                    running = null;
                }
            }
            // Only now: a SAVE that waited for this one may start the next at once.
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        });
        try {
            begun.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return done;
    }

    private void save(Path target, java.util.concurrent.CountDownLatch begun) throws IOException {
        long started = currentStartMillis;
        try {
            long changesAtStart;
            do {
                restart = false;
                changesAtStart = attempt(target, begun);
            } while (changesAtStart < 0);
            changesAtLastSave = changesAtStart;
            lastSaveMillis = System.currentTimeMillis();
            lastOk = true;
            saves++;
            log.info("DB saved on disk: {} keys in {} ms ({}, from {})", lastKeys, lastSaveMillis - started, target.getFileName(),
                    lastSource);
        } catch (IOException | RuntimeException e) {
            lastOk = false;
            log.error("Background saving error: {}", e.getMessage(), e);
            throw e;
        } finally {
            lastDurationMillis = System.currentTimeMillis() - started;
            currentStartMillis = -1;
        }
    }

    /** One try at the file; returns the change count it covers, or -1 when a flush cancelled it. */
    private long attempt(Path target, java.util.concurrent.CountDownLatch begun) throws IOException {
        FerriteStore store = server.store();
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = tempFile(dir);
        long[] changesAtStart = {0};
        String checkpointId = checkpoints.newRdbId();
        Map<String, String> aux = aux(store);
        if (checkpointId != null) {
            aux.put(LogCheckpoints.RDB_AUX, checkpointId);
        }
        LogCheckpoints.Pending[] checkpoint = {null};
        try (RdbFileWriter file = new RdbFileWriter(temp, aux, server.config().get(
                io.ferrite.server.config.Directives.RDBCHECKSUM))) {
            if (checkpointId != null) {
                store.writeGate().atBarrier(() -> {
                    changesAtStart[0] = changes.getAsLong();
                    checkpoint[0] = checkpoints.freeze(checkpointId, true);
                });
            }
            lastSource = checkpoint[0] != null ? "a checkpoint" : "an image";
            boolean whole = checkpoint[0] != null
                    ? saveFromCheckpoint(checkpoint[0], file, begun)
                    : saveFromImage(store, file, changesAtStart, begun);
            if (!whole) {
                if (restart) {
                    return -1;
                }
                throw new IOException("the save was cancelled");
            }
            file.finish();
            lastKeys = file.keys();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (restart) { // a flush came after the last key was imaged
            Files.deleteIfExists(temp);
            return -1;
        }
        publish(temp, target);
        return changesAtStart[0];
    }

    /**
     * The file from the checkpoint frozen at the save's moment: the checkpoint is written first
     * (it stands for this snapshot, whose file names it; writing it lets the page mover go on),
     * then this thread reads every key from what the freeze made immutable, so no write waits or
     * copies anything for the save. The export releases the frozen checkpoint.
     */
    private boolean saveFromCheckpoint(LogCheckpoints.Pending pending, RdbFileWriter file,
                                       java.util.concurrent.CountDownLatch begun) throws IOException {
        begun.countDown();
        checkpoints.write(pending);
        try {
            return checkpoints.export(pending, new RdbKeys(file), () -> restart);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The file from a point-in-time image (checkpoints off, or one being taken already). */
    private boolean saveFromImage(FerriteStore store, RdbFileWriter file, long[] changesAtStart,
                                  java.util.concurrent.CountDownLatch begun) throws IOException {
        AtomicReference<IOException> failure = new AtomicReference<>();
        PointInTimeImage[] self = {null};
        PointInTimeImage next = new PointInTimeImage(store, (db, key) -> new KeyImage(db, key, file, e -> {
            failure.compareAndSet(null, e);
            self[0].cancel();
        }));
        self[0] = next;
        image = next;
        store.writeGate().install(next, () -> changesAtStart[0] = changes.getAsLong());
        begun.countDown();
        try {
            next.imageAll();
        } finally {
            store.writeGate().remove(next);
            image = null;
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return !next.cancelled();
    }

    private static Path tempFile(Path dir) {
        return dir.resolve("temp-" + ProcessHandle.current().pid() + "-" + TEMP_FILES.incrementAndGet() + ".rdb");
    }

    /** Renames the complete, fsynced {@code temp} over {@code target} and fsyncs the directory. */
    private static void publish(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new IOException("could not rename " + temp.getFileName() + " to " + target + ": " + e, e);
        }
        try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    /**
     * FLUSHALL with save points, as Redis's foreground save after it: the dataset just after
     * the flush is empty, so its snapshot is written at once, without an image. False (nothing
     * written) when a save runs: it starts over and shows the flushed dataset itself.
     */
    boolean saveEmpty(Path target) {
        synchronized (this) {
            if (running != null) {
                return false;
            }
            lastAttemptMillis = System.currentTimeMillis();
        }
        long changesNow = changes.getAsLong();
        Path dir = target.toAbsolutePath().getParent();
        Path temp = tempFile(dir);
        try {
            Files.createDirectories(dir);
            try (RdbFileWriter file = new RdbFileWriter(temp, aux(server.store()),
                    server.config().get(io.ferrite.server.config.Directives.RDBCHECKSUM))) {
                file.finish();
            }
            publish(temp, target.toAbsolutePath());
            checkpoints.discard(); // it shows the data before the flush: it stands for no snapshot now
            changesAtLastSave = changesNow;
            lastSaveMillis = System.currentTimeMillis();
            lastOk = true;
            saves++;
            return true;
        } catch (IOException | RuntimeException e) {
            lastOk = false;
            log.error("Saving the empty dataset after FLUSHALL failed: {}", e.getMessage(), e);
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the next start removes it
            }
            return false;
        }
    }

    /** The auxiliary fields of an RDB file Ferrite writes (Redis's, with its version as the one Ferrite implements). */
    static Map<String, String> aux(FerriteStore store) {
        Map<String, String> aux = new LinkedHashMap<>();
        aux.put("redis-ver", ServerContext.REDIS_VERSION);
        aux.put("redis-bits", "64");
        aux.put("ctime", Long.toString(System.currentTimeMillis() / 1000));
        aux.put("used-mem", Long.toString(store.usedMemory()));
        aux.put("aof-base", "0");
        aux.put("ferrite-ver", ServerContext.FERRITE_VERSION);
        return aux;
    }

    /**
     * A flush is about to run inside a write command: a running save starts over once it is
     * done, so the file shows the dataset after it. Returns false when no save runs.
     */
    boolean restartForFlush() {
        PointInTimeImage current;
        synchronized (this) {
            if (running == null) {
                return false;
            }
            restart = true;
            current = image;
        }
        if (current != null) {
            current.cancel();
        }
        return true;
    }

    synchronized boolean inProgress() {
        return running != null;
    }

    /** The running save, or null. */
    synchronized CompletableFuture<Void> current() {
        return running;
    }

    long lastSaveMillis() {
        return lastSaveMillis;
    }

    long lastAttemptMillis() {
        return lastAttemptMillis;
    }

    boolean lastOk() {
        return lastOk;
    }

    long lastDurationMillis() {
        return lastDurationMillis;
    }

    long currentStartMillis() {
        return currentStartMillis;
    }

    long changesSinceLastSave() {
        return changes.getAsLong() - changesAtLastSave;
    }

    long saves() {
        return saves;
    }

    /** Marks the dataset as saved as it is now (after loading it from the file). */
    void savedNow() {
        changesAtLastSave = changes.getAsLong();
    }

    /** One key's RDB object, built under the key's lock and handed to the file at once ({@link RdbKeys}). */
    private static final class KeyImage implements KeyImageWriter {
        private final int db;
        private final MemorySegment key;
        private final RdbKeys keys;
        private final java.util.function.Consumer<IOException> failed;
        private ValueExport object;

        KeyImage(int db, byte[] key, RdbFileWriter file, java.util.function.Consumer<IOException> failed) {
            this.db = db;
            this.key = MemorySegment.ofArray(key);
            this.keys = new RdbKeys(file);
            this.failed = failed;
            reset();
        }

        @Override
        public void reset() {
            object = keys.begin(db, key);
        }

        @Override
        public ValueExport export() {
            return object;
        }

        @Override
        public void complete(long expireAt) {
            try {
                keys.end(expireAt);
            } catch (UncheckedIOException e) {
                failed.accept(e.getCause());
            }
        }
    }
}
