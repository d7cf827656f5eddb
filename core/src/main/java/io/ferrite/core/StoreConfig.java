package io.ferrite.core;

/**
 * Configuration of a {@link FerriteStore}. Immutable; build with {@link #builder()}.
 *
 * @param shards          partitions of the keyspace (default: one per core)
 * @param databases       logical databases, 1..16 (Redis's SELECT)
 * @param maxMemory       bytes of log pages and index the store may use; 0 = unlimited
 * @param pageSize        log page size, a power of two
 * @param segmentSize     log segment size, a power of two (the disk tier's file size)
 * @param mutableSize     bytes of the in-memory mutable region, all shards together (0: bounded by
 *                        maxmemory only); older pages become read-only
 * @param maxKeySize      largest key accepted
 * @param maxValueSize    largest value accepted (Redis's proto-max-bulk-len for strings)
 * @param indexBuckets    initial primary buckets per shard and database
 * @param indexLoad       average entries per primary bucket (15 slots) above which the index
 *                        splits one more bucket
 * @param activeExpiry    whether a background thread deletes expired keys and compacts logs
 * @param hz              background cycles per second (Redis's hz)
 * @param compactionRatio dead fraction of a shard's log that triggers background compaction (0: never)
 * @param dataDir         directory of the disk tiers; null keeps the whole log in memory (a full
 *                        budget then fails writes with OUT_OF_MEMORY)
 * @param readOnlySize    bytes of the memory-mapped warm region, all shards together (0: none;
 *                        read-only pages go straight to the cold region)
 * @param compression     how cold blocks are compressed
 * @param coldBlockSize   target size of a cold block (the unit read back from disk)
 * @param coldCacheSize   bytes of decompressed cold blocks kept in memory, all shards together
 * @param promoteColdReads whether a record read from the cold region is copied to the tail
 * @param pageCacheReads  whether threads that must not block read cold blocks the OS page cache
 *                        holds themselves (Linux preadv2 with RWF_NOWAIT), rather than always
 *                        handing the read to the I/O threads
 * @param diskReadExecutor runs the cold-block reads of callers that must not block (null: the
 *                        store's own pool of two threads)
 * @param checkpoints     whether the store takes checkpoints of its log and restores the last one
 *                        at start (needs {@code dataDir}); without, the files of an earlier run are
 *                        deleted at start
 */
public record StoreConfig(int shards, int databases, long maxMemory, long pageSize, long segmentSize,
                          long mutableSize, long maxKeySize, long maxValueSize, int indexBuckets,
                          double indexLoad, boolean activeExpiry, int hz, double compactionRatio,
                          java.nio.file.Path dataDir, long readOnlySize, io.ferrite.core.api.Compression compression,
                          int coldBlockSize, long coldCacheSize, boolean promoteColdReads, boolean pageCacheReads,
                          java.util.concurrent.Executor diskReadExecutor, boolean checkpoints) {

    public StoreConfig {
        if (shards < 1 || shards > 256) {
            throw new IllegalArgumentException("shards must be 1..256, got " + shards);
        }
        if (databases < 1 || databases > 16) {
            throw new IllegalArgumentException("databases must be 1..16, got " + databases);
        }
        if (maxMemory < 0) {
            throw new IllegalArgumentException("maxmemory must not be negative");
        }
        if (maxKeySize < 1 || maxValueSize < 1 || maxValueSize > (1L << 31) - 64) {
            throw new IllegalArgumentException("max key and value sizes must be 1 byte .. 2 GB");
        }
        if (maxValueSize + 64 > segmentSize) {
            throw new IllegalArgumentException("segment-size must hold the largest value (max-value-size)");
        }
        if (hz < 1 || hz > 500) {
            throw new IllegalArgumentException("hz must be 1..500");
        }
        if (mutableSize < 0 || readOnlySize < 0 || coldCacheSize < 0) {
            throw new IllegalArgumentException("mutable-size, readonly-size and cold-cache-size must not be negative");
        }
        if (coldBlockSize < 512) {
            throw new IllegalArgumentException("cold-block-size must be at least 512 bytes");
        }
        java.util.Objects.requireNonNull(compression, "compression");
        if (checkpoints && dataDir == null) {
            throw new IllegalArgumentException("checkpoints need a data directory");
        }
    }

    /** True when the log has disk tiers. */
    public boolean tiered() {
        return dataDir != null;
    }

    /**
     * Pages each shard keeps mutable whatever the others do: {@code mutable-size}, capped at
     * half of maxmemory, split over the shards; at least two pages. A shard may use more while
     * the others leave theirs unused ({@link #mutablePagesTotal()}).
     */
    public long mutablePagesPerShard() {
        long bytes = capped(mutableSize, 2);
        return bytes == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(2, bytes / shards / pageSize);
    }

    /** Pages all shards together keep mutable: {@code mutable-size}, capped at half of maxmemory. */
    public long mutablePagesTotal() {
        long perShard = mutablePagesPerShard();
        return perShard == Long.MAX_VALUE ? Long.MAX_VALUE : perShard * shards;
    }

    /** Warm ring slots per shard: {@code readonly-size}, capped at a quarter of maxmemory. */
    public int warmSlotsPerShard() {
        if (readOnlySize == 0) {
            return 0; // no warm region: read-only pages go straight to the cold region
        }
        return (int) Math.min(Integer.MAX_VALUE, capped(readOnlySize, 4) / shards / pageSize);
    }

    /** Cold block cache bytes per shard: {@code cold-cache-size}, capped at a sixteenth of maxmemory. */
    public long coldCachePerShard() {
        return capped(coldCacheSize, 16) / shards;
    }

    /** {@code bytes} (0 meaning unbounded) capped at {@code maxMemory / divisor} when maxmemory is set. */
    private long capped(long bytes, int divisor) {
        long value = bytes == 0 ? Long.MAX_VALUE : bytes;
        return maxMemory > 0 ? Math.min(value, maxMemory / divisor) : value;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with Redis-like defaults. */
    public static final class Builder {
        private int shards = Runtime.getRuntime().availableProcessors();
        private int databases = 16;
        private long maxMemory = 0;
        private long pageSize = 1L << 20;
        private long segmentSize = 1L << 30;
        private long mutableSize = 0;
        private long maxKeySize = 512L << 20;
        private long maxValueSize = 512L << 20;
        private int indexBuckets = 512;
        private double indexLoad = 16.0;
        private boolean activeExpiry = true;
        private int hz = 10;
        private double compactionRatio = 0.5;
        private java.nio.file.Path dataDir;
        private long readOnlySize = 0;
        private io.ferrite.core.api.Compression compression = io.ferrite.core.api.Compression.LZ4;
        private int coldBlockSize = 2 * 1024;
        private long coldCacheSize = 256L << 10;
        private boolean promoteColdReads = true;
        private boolean pageCacheReads = true;
        private java.util.concurrent.Executor diskReadExecutor;
        private boolean checkpoints;

        public Builder shards(int v) { shards = v; return this; }
        public Builder databases(int v) { databases = v; return this; }
        public Builder maxMemory(long v) { maxMemory = v; return this; }
        public Builder pageSize(long v) { pageSize = v; return this; }
        public Builder segmentSize(long v) { segmentSize = v; return this; }
        public Builder mutableSize(long v) { mutableSize = v; return this; }
        public Builder maxKeySize(long v) { maxKeySize = v; return this; }
        public Builder maxValueSize(long v) { maxValueSize = v; return this; }
        public Builder indexBuckets(int v) { indexBuckets = v; return this; }
        public Builder indexLoad(double v) { indexLoad = v; return this; }
        public Builder activeExpiry(boolean v) { activeExpiry = v; return this; }
        public Builder hz(int v) { hz = v; return this; }
        public Builder compactionRatio(double v) { compactionRatio = v; return this; }
        public Builder dataDir(java.nio.file.Path v) { dataDir = v; return this; }
        public Builder readOnlySize(long v) { readOnlySize = v; return this; }
        public Builder compression(io.ferrite.core.api.Compression v) { compression = v; return this; }
        public Builder coldBlockSize(int v) { coldBlockSize = v; return this; }
        public Builder coldCacheSize(long v) { coldCacheSize = v; return this; }
        public Builder promoteColdReads(boolean v) { promoteColdReads = v; return this; }
        public Builder pageCacheReads(boolean v) { pageCacheReads = v; return this; }
        /** Runs the cold-block reads of callers that must not block (null: a pool of two threads of the store's own). */
        public Builder diskReadExecutor(java.util.concurrent.Executor v) { diskReadExecutor = v; return this; }

        /** Takes checkpoints and restores the last one at start (needs a data directory). */
        public Builder checkpoints(boolean v) { checkpoints = v; return this; }

        public StoreConfig build() {
            return new StoreConfig(shards, databases, maxMemory, pageSize, segmentSize, mutableSize,
                    maxKeySize, maxValueSize, indexBuckets, indexLoad, activeExpiry, hz, compactionRatio,
                    dataDir, readOnlySize, compression, coldBlockSize, coldCacheSize, promoteColdReads, pageCacheReads,
                    diskReadExecutor, checkpoints);
        }
    }
}
