package io.ferrite.core;

import java.util.Map;

/**
 * One shard's log, as INFO reports it: the region boundaries and how many bytes each tier
 * holds.
 *
 * @param shard          the shard
 * @param begin          lowest live address
 * @param head           lowest in-memory address (below it: cold)
 * @param readOnly       lowest mutable address
 * @param tail           next address to be written
 * @param logBytes       bytes of records between begin and tail, live and dead
 * @param deadBytes      of those, bytes no live key uses any more (what compaction reclaims)
 * @param mutableBytes   bytes of mutable pages (RAM)
 * @param offHeapBytes   bytes of off-heap pages, mutable and read-only
 * @param warmBytes      bytes of warm ring slots in use (memory-mapped)
 * @param coldCacheBytes bytes of decompressed cold blocks cached
 * @param directoryBytes bytes of the cold blocks' directory (where each block is on disk)
 * @param diskBytes      bytes of the cold segment files
 * @param diskRawBytes   bytes of records those files hold, before compression
 * @param segmentBytes   bytes of each cold segment file, by segment number
 * @param coldReads      cold blocks read from disk since start
 * @param pageCacheReads of those, read by a network thread straight from the page cache
 * @param reusedRecords  collection chunks written into the room of a superseded chunk in the
 *                       mutable region rather than at the tail, since start
 */
public record LogStats(int shard, long begin, long head, long readOnly, long tail, long logBytes, long deadBytes, long mutableBytes,
                       long offHeapBytes, long warmBytes, long coldCacheBytes, long directoryBytes, long diskBytes, long diskRawBytes,
                       Map<Long, Long> segmentBytes, long coldReads, long pageCacheReads, long reusedRecords) {}
