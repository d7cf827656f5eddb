package io.ferrite.core.engine;

import io.ferrite.core.StoreConfig;
import io.ferrite.core.api.StorageException;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.log.MemoryBudget;
import io.ferrite.core.log.MutablePages;
import io.ferrite.core.tier.BlockCache;
import io.ferrite.core.tier.ColdLog;
import io.ferrite.core.tier.WarmRing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The files of the disk tiers under the data directory ({@code <dir>/hybridlog/shard-N/}: a
 * warm ring and cold segment files per shard) and the small thread pool that reads cold
 * blocks for callers that must not block.
 *
 * <p>Files left by an earlier run are kept when the engine's {@link Recovery} has a checkpoint
 * to restore from them, and deleted otherwise, at start and at a clean close.
 */
final class TierFiles implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("ferrite.tier");
    private static final int IO_THREADS = 2;

    private final Path root;
    /** Decides at close whether the files are kept (a checkpoint refers to them). */
    private final Recovery recovery;
    /** The pool this class made (null when the configuration supplied the executor). */
    private final ExecutorService ownPool;
    private final Executor io;
    /** The mutable region's pages, shared by every shard's log. */
    private MutablePages mutablePages;

    private TierFiles(Path root, Executor supplied, Recovery recovery) {
        this.root = root;
        this.recovery = recovery;
        if (supplied != null) {
            this.ownPool = null;
            this.io = supplied;
        } else {
            AtomicInteger n = new AtomicInteger();
            this.ownPool = Executors.newFixedThreadPool(IO_THREADS,
                    r -> Thread.ofPlatform().daemon().name("ferrite-disk-read-" + n.incrementAndGet()).unstarted(r));
            this.io = ownPool;
        }
    }

    static TierFiles create(Path dataDir, Executor diskReadExecutor, Recovery recovery) {
        Path root = dataDir.resolve("hybridlog");
        try {
            if (Files.exists(root) && !recovery.restorable(root)) {
                LOG.log(System.Logger.Level.INFO, "removing the log files of an earlier run in " + root);
                deleteTree(root);
            }
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new StorageException("cannot prepare the log directory " + root + ": " + e.getMessage(), e);
        }
        return new TierFiles(root, diskReadExecutor, recovery);
    }

    /** The log directory ({@code <dir>/hybridlog}). */
    Path root() {
        return root;
    }

    /** Creates shard {@code shard}'s tiers as {@code config} sizes them. */
    HybridLog.Tiers forShard(int shard, StoreConfig config, MemoryBudget budget, Runnable wakeMover) {
        Path dir = root.resolve("shard-" + shard);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        int slots = config.warmSlotsPerShard();
        WarmRing ring = slots > 0 ? new WarmRing(dir.resolve("warm.ring"), config.pageSize(), slots) : null;
        int blockSize = (int) Math.min(config.coldBlockSize(), config.pageSize());
        java.util.function.LongConsumer accounting = delta -> {
            if (delta > 0) {
                budget.forceReserve(delta);
            } else {
                budget.release(-delta);
            }
        };
        BlockCache cache = new BlockCache(config.coldCachePerShard(), blockSize, accounting);
        ColdLog cold = new ColdLog(dir, config.compression(), cache, io, config.pageCacheReads(), accounting);
        if (mutablePages == null) {
            mutablePages = new MutablePages(config.mutablePagesTotal(), config.shards());
        }
        return new HybridLog.Tiers(cold, ring, mutablePages, blockSize, wakeMover);
    }

    /** Stops the read pool and leaves the files as they are (a start that failed). */
    void abandon() {
        if (ownPool != null) {
            ownPool.shutdownNow();
        }
    }

    @Override
    public void close() {
        try {
            if (ownPool != null) {
                ownPool.shutdownNow();
                ownPool.awaitTermination(5, TimeUnit.SECONDS);
            }
            if (!recovery.restorable(root)) {
                deleteTree(root);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove " + root + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
