package io.ferrite.core;

/**
 * Configuration of a {@link FerriteStore}. Immutable; build with {@link #builder()}.
 *
 * @param shards          partitions of the keyspace (default: one per core)
 * @param databases       logical databases, 1..16 (Redis's SELECT)
 * @param maxMemory       bytes of log pages and index the store may use; 0 = unlimited
 * @param pageSize        log page size, a power of two
 * @param segmentSize     log segment size, a power of two (the disk tier's file size)
 * @param mutableSize     bytes of the in-memory mutable region (the read-only tier starts below it)
 * @param maxKeySize      largest key accepted
 * @param maxValueSize    largest value accepted (Redis's proto-max-bulk-len for strings)
 * @param indexBuckets    initial primary buckets per shard and database
 * @param indexLoad       average entries per bucket that doubles the index
 * @param activeExpiry    whether a background thread deletes expired keys and compacts logs
 * @param hz              background cycles per second (Redis's hz)
 * @param compactionRatio dead fraction of a shard's log that triggers background compaction
 */
public record StoreConfig(int shards, int databases, long maxMemory, long pageSize, long segmentSize,
                          long mutableSize, long maxKeySize, long maxValueSize, int indexBuckets,
                          double indexLoad, boolean activeExpiry, int hz, double compactionRatio) {

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
        private int indexBuckets = 1024;
        private double indexLoad = 8.0;
        private boolean activeExpiry = true;
        private int hz = 10;
        private double compactionRatio = 0.5;

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

        public StoreConfig build() {
            return new StoreConfig(shards, databases, maxMemory, pageSize, segmentSize, mutableSize,
                    maxKeySize, maxValueSize, indexBuckets, indexLoad, activeExpiry, hz, compactionRatio);
        }
    }
}
