package io.ferrite.core.embedded;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.checkpoint.CheckpointAbandonedException;
import io.ferrite.core.checkpoint.CheckpointInfo;
import io.ferrite.core.checkpoint.Checkpoints;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An engine an embedded door opened itself (see {@link EmbeddedEngines}), and what keeps its
 * data across restarts of the application. With a data directory and checkpoints on (the
 * default there), a checkpoint of the log is taken every {@code ferrite.checkpoint-seconds}
 * while keys change and when the engine closes (its last user releases it); opening the
 * directory again restores the last one: indexes and in-memory pages read back, the disk tier's
 * files used as they are. A crash loses the writes since the last checkpoint, as Redis with RDB
 * snapshots only does.
 */
public final class EmbeddedEngine {
    private static final System.Logger LOG = System.getLogger("ferrite.embedded");
    /** What an embedded engine's checkpoints stand for: the log alone, no AOF or snapshot to go with. */
    public static final String TAG = "embedded";

    private final FerriteStore store;
    private final LongAdder changes = new LongAdder();
    private final ScheduledExecutorService timer;
    private long changesAtLastCheckpoint;

    private EmbeddedEngine(FerriteStore store, long checkpointSeconds) {
        this.store = store;
        if (store.checkpoints() == null) {
            timer = null;
            return;
        }
        store.subscribe((db, key, kind) -> {
            if (kind != ChangeKind.NEW) {
                changes.increment();
            }
        });
        if (checkpointSeconds > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ferrite-embedded-checkpoints").factory());
            timer.scheduleWithFixedDelay(this::checkpointIfChanged, checkpointSeconds, checkpointSeconds, TimeUnit.SECONDS);
        } else {
            timer = null;
        }
    }

    /**
     * Opens the engine of {@code config}, restoring its last checkpoint.
     *
     * @throws IllegalStateException when the directory's checkpoint is not an embedded engine's:
     *         a Ferrite server's data needs its snapshot or append-only file, which only the
     *         server reads (share the server's engine, or use it remotely); the directory is left as it was
     * @throws io.ferrite.core.api.StorageException when the directory cannot be opened (a damaged
     *         checkpoint, another geometry), with a message that names the file
     */
    static EmbeddedEngine open(StoreConfig config, long checkpointSeconds) {
        FerriteStore store = FerriteStore.open(config);
        CheckpointInfo restored = store.checkpoints() == null ? null : store.checkpoints().recovered();
        if (restored != null && !restored.tag().equals(TAG)) {
            store.close();
            throw new IllegalStateException(config.dataDir() + " holds a Ferrite server's data (its checkpoint stands for '"
                    + restored.tag() + "'), which needs the server's snapshot or append-only file to be complete:"
                    + " give the embedded engine a directory of its own, or reach that data through the server");
        }
        if (restored != null) {
            LOG.log(System.Logger.Level.INFO, "restored " + restored.keys() + " keys from " + config.dataDir());
        }
        return new EmbeddedEngine(store, checkpointSeconds);
    }

    public FerriteStore store() {
        return store;
    }

    boolean isClosed() {
        return store.isClosed();
    }

    /** Takes the last checkpoint (when there are changes since the previous one) and closes the engine. */
    void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (store.checkpoints() != null && !store.isClosed()) {
            checkpointIfChanged();
        }
        store.close();
    }

    private synchronized void checkpointIfChanged() {
        long now = changes.sum();
        if (now == changesAtLastCheckpoint && store.checkpoints().latest() != null) {
            return;
        }
        Checkpoints checkpoints = store.checkpoints();
        Checkpoints.Frozen[] frozen = {null};
        try {
            // At a barrier of the write gate, as every checkpoint is taken: no write is half-way.
            store.writeGate().atBarrier(() -> frozen[0] = checkpoints.freeze());
            if (frozen[0] == null) {
                return; // another one is being taken
            }
            checkpoints.write(frozen[0], TAG);
            changesAtLastCheckpoint = now;
        } catch (CheckpointAbandonedException e) {
            LOG.log(System.Logger.Level.INFO, "checkpoint given up: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "could not write a checkpoint of the engine in " + store.config().dataDir()
                    + " (the previous one stays): " + e.getMessage(), e);
        }
    }
}
