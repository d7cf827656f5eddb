package io.ferrite.core.tier;

import io.ferrite.core.api.Compression;
import io.ferrite.core.api.DiskReadPending;
import io.ferrite.core.api.DiskReads;
import io.ferrite.core.api.LogCorruptedException;
import io.ferrite.core.api.ReadRetention;
import io.ferrite.core.api.StorageException;
import io.ferrite.core.address.LogicalAddress;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The cold region of one shard's log: pages that left memory, cut into blocks of whole
 * records, compressed and checksummed ({@link BlockCodec}) and appended to one file per
 * logical segment ({@code segment-NNNNNN.cold}). Reading a cold record means finding its block
 * in the {@link BlockDirectory}, then the block in the {@link BlockCache}, else reading it:
 * synchronously on threads that may block, otherwise asynchronously on the I/O executor while
 * the caller gets a {@link DiskReadPending} to retry with.
 *
 * <p>Pins: while a thread holds its shard's write lock, every cold block it resolves stays
 * reachable until the lock is released, so an operation that located a record can come back
 * to it (to retire it, to copy it) without the cache having evicted it in between. That is
 * what lets write operations finish without a disk read after their first pass.
 *
 * <p>Threads: {@link #stageBlock}, {@link #publishStaged} and {@link #discardStaged} belong to
 * the one thread that moves pages to disk; truncation and clearing happen under the shard's
 * write lock; resolution is lock-free.
 */
public final class ColdLog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("ferrite.tier");
    private static final long FAILURE_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int FILE_SLOTS = 64;

    private final Path dir;
    private final BlockDirectory directory = new BlockDirectory();
    private final BlockCache cache;
    private final Executor io;
    private final BlockCodec codec;
    private final ConcurrentHashMap<Long, SegmentFile> files = new ConcurrentHashMap<>();
    /**
     * The files again, by segment number modulo {@link #FILE_SLOTS}: a cold read finds its file
     * without boxing the number and hashing into the map (which it did on every block read).
     */
    private final AtomicReferenceArray<SegmentFile> fileSlots = new AtomicReferenceArray<>(FILE_SLOTS);
    private final ConcurrentHashMap<Long, CompletableFuture<MemorySegment>> inflight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Failure> failures = new ConcurrentHashMap<>();
    private final List<BlockDirectory.Block> staged = new ArrayList<>();
    private volatile long rawBytes;
    private final java.util.concurrent.atomic.LongAdder reads = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder nowaitReads = new java.util.concurrent.atomic.LongAdder();
    private final boolean pageCacheReads;
    /** Told of changes of the directory's memory (it counts in maxmemory). */
    private final java.util.function.LongConsumer accounting;
    private long directoryBytes;

    /**
     * Segment files from this number up are kept even when truncation leaves them dead: a
     * checkpoint (the last one written, or one being written) still refers to their blocks.
     */
    private long retainFrom = Long.MAX_VALUE;
    /** The begin of the last truncation, for deletions put off by {@link #retainFrom}. */
    private long truncatedBelow;
    /** Keep the files at {@link #close} (a checkpoint refers to them). */
    private volatile boolean keepFiles;

    private volatile Thread pinOwner;
    private long[] pinAddresses = new long[16];
    private MemorySegment[] pinBlocks = new MemorySegment[16];
    private int pinCount;

    private record Failure(RuntimeException error, long atNanos) {}

    /**
     * The last block a thread resolved. A lookup resolves the same block several times (the
     * chain walk, the read, the offset), and cold data never changes once written (addresses
     * are never reused), so remembering it saves directory searches and cache lookups.
     */
    private static final class Memo {
        ColdLog owner;
        long start;
        long end;
        MemorySegment block;
    }

    private static final ThreadLocal<Memo> MEMO = ThreadLocal.withInitial(Memo::new);

    /**
     * @param pageCacheReads whether fail-fast threads read blocks the page cache holds themselves
     *                       (non-blocking, see NoWaitReads) instead of always using the I/O pool
     */
    public ColdLog(Path dir, Compression compression, BlockCache cache, Executor io, boolean pageCacheReads,
                   java.util.function.LongConsumer accounting) {
        this.dir = dir;
        this.accounting = accounting;
        this.pageCacheReads = pageCacheReads;
        this.codec = new BlockCodec(compression);
        this.cache = cache;
        this.io = io;
    }

    public BlockCache cache() {
        return cache;
    }

    // ---- writing (the page mover's thread) ----

    /** Encodes and writes one block of records; it becomes readable at {@link #publishStaged}. */
    public synchronized void stageBlock(long address, MemorySegment source, long offset, int length) {
        int n = codec.encode(source, offset, length, address);
        long segment = LogicalAddress.segment(address);
        SegmentFile file = files.computeIfAbsent(segment, s -> new SegmentFile(s, dir.resolve("segment-%06d.cold".formatted(s))));
        long at = file.append(codec.output(), n);
        staged.add(new BlockDirectory.Block(address, length, BlockDirectory.location(segment, at), n));
    }

    /** Makes the staged blocks readable. */
    public synchronized void publishStaged() {
        long raw = 0;
        for (BlockDirectory.Block b : staged) {
            directory.append(b.address(), b.rawLength(), b.location(), b.storedLength());
            raw += b.rawLength();
        }
        rawBytes += raw;
        staged.clear();
        accountDirectory();
    }

    /** Reports a change of the directory's memory to the budget. */
    private void accountDirectory() {
        long now = directory.memoryBytes();
        if (now != directoryBytes) {
            accounting.accept(now - directoryBytes);
            directoryBytes = now;
        }
    }

    /** Forgets staged blocks (their page was dropped meanwhile); their bytes stay as garbage in the file. */
    public synchronized void discardStaged() {
        staged.clear();
    }

    // ---- resolution (any thread) ----

    /** The block covering {@code address}, or null. */
    public BlockDirectory.Block blockAt(long address) {
        return directory.find(address);
    }

    /**
     * End of the records of the blocks from the one holding {@code address} up to (not
     * including) a block that starts at or after {@code limit}; {@code address} when no block
     * holds it.
     */
    public long recordsEnd(long address, long limit) {
        BlockDirectory.Block block = directory.find(address);
        if (block == null) {
            return address;
        }
        long end = block.end();
        for (BlockDirectory.Block next = directory.firstAtOrAbove(end); next != null && next.address() < limit;
                next = directory.firstAtOrAbove(next.end())) {
            end = next.end();
        }
        return end;
    }

    /** Raw bytes of the records of the blocks that start in {@code [from, to)}. */
    public long rawBytesBetween(long from, long to) {
        long bytes = 0;
        for (BlockDirectory.Block b = directory.firstAtOrAbove(from); b != null && b.address() < to;
                b = directory.firstAtOrAbove(b.end())) {
            bytes += b.rawLength();
        }
        return bytes;
    }

    /**
     * The decompressed block holding {@code address}. Record offsets within it come from
     * {@link #offsetInBlock}.
     *
     * @return the block, or null when no cold block covers {@code address}
     * @throws DiskReadPending on a fail-fast thread when the block must be read first
     * @throws LogCorruptedException when the block on disk fails its checks
     */
    public MemorySegment block(long address) {
        Memo memo = MEMO.get();
        boolean pinning = pinOwner == Thread.currentThread();
        if (memo.owner == this && address >= memo.start && address < memo.end) {
            if (pinning) {
                pin(memo.start, memo.block);
            }
            return memo.block;
        }
        BlockDirectory.Block b = directory.find(address);
        if (b == null) {
            return null;
        }
        if (pinning) {
            for (int i = 0; i < pinCount; i++) {
                if (pinAddresses[i] == b.address()) {
                    return pinBlocks[i];
                }
            }
        }
        MemorySegment block = cache.get(b.address());
        if (block == null) {
            rethrowRecentFailure(b.address());
            if (DiskReads.mayBlock()) {
                block = load(b);
            } else {
                ReadRetention retention = DiskReads.retention();
                block = retention == null ? null : retention.find(this, b.address());
                if (block == null) {
                    block = loadIfCached(b);
                }
                if (block == null) {
                    CompletableFuture<MemorySegment> read = fetch(b);
                    throw new DiskReadPending(retention == null ? read : read.whenComplete((fetched, error) -> {
                        if (fetched != null) {
                            retention.add(this, b.address(), fetched);
                        }
                    }));
                }
            }
        }
        if (pinning) {
            pin(b.address(), block);
        }
        memo.owner = this;
        memo.start = b.address();
        memo.end = b.end();
        memo.block = block;
        return block;
    }

    /** Offset of {@code address} within the block {@link #block} returns for it. */
    public long offsetInBlock(long address) {
        Memo memo = MEMO.get();
        if (memo.owner == this && address >= memo.start && address < memo.end) {
            return address - memo.start;
        }
        BlockDirectory.Block b = directory.find(address);
        if (b == null) {
            throw new IllegalStateException("no cold block holds address " + LogicalAddress.toString(address));
        }
        return address - b.address();
    }

    /** Reads a block on the calling thread and caches it. */
    private MemorySegment load(BlockDirectory.Block b) {
        try {
            return cache.put(b.address(), read(b));
        } catch (RuntimeException e) {
            remember(b.address(), e);
            throw e;
        }
    }

    /**
     * Reads a block on the calling thread if the page cache holds it (never waiting for the
     * disk); null otherwise. Runs under the caller's epoch protection, so the file stays open.
     */
    private MemorySegment loadIfCached(BlockDirectory.Block b) {
        if (!pageCacheReads) {
            return null;
        }
        SegmentFile file = file(b.segment());
        byte[] stored = file == null ? null : file.readIfCached(b.fileOffset(), b.storedLength());
        if (stored == null) {
            return null;
        }
        try {
            reads.increment();
            nowaitReads.increment();
            return cache.put(b.address(), MemorySegment.ofArray(
                    BlockCodec.decode(stored, b.storedLength(), b.address(), b.rawLength(), file.path(), b.fileOffset())));
        } catch (RuntimeException e) {
            remember(b.address(), e);
            throw e;
        }
    }

    /** The file of {@code segment}, or null when there is none (any more). */
    private SegmentFile file(long segment) {
        int slot = (int) segment & (FILE_SLOTS - 1);
        SegmentFile file = fileSlots.get(slot);
        if (file != null && file.segment() == segment && !file.deleted()) {
            return file;
        }
        file = files.get(segment);
        if (file != null) {
            fileSlots.set(slot, file);
        }
        return file;
    }

    /** Starts (or joins) the asynchronous read of a block. */
    private CompletableFuture<MemorySegment> fetch(BlockDirectory.Block b) {
        return inflight.computeIfAbsent(b.address(), address -> {
            CompletableFuture<MemorySegment> future = new CompletableFuture<>();
            io.execute(() -> {
                try {
                    future.complete(cache.put(address, read(b)));
                } catch (RuntimeException e) {
                    remember(address, e);
                    future.completeExceptionally(e);
                } finally {
                    inflight.remove(address, future);
                }
            });
            return future;
        });
    }

    private MemorySegment read(BlockDirectory.Block b) {
        SegmentFile file = file(b.segment());
        if (file == null) {
            throw new StorageException("segment file " + b.segment() + " of " + dir + " is gone (block at "
                    + LogicalAddress.toString(b.address()) + ")");
        }
        byte[] stored = file.read(b.fileOffset(), b.storedLength());
        reads.increment();
        return MemorySegment.ofArray(BlockCodec.decode(stored, b.address(), b.rawLength(), file.path(), b.fileOffset()));
    }

    private void remember(long address, RuntimeException e) {
        if (failures.put(address, new Failure(e, System.nanoTime())) == null) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
        }
    }

    /** A read that failed moments ago fails again at once, instead of being retried forever. */
    private void rethrowRecentFailure(long address) {
        if (failures.isEmpty()) {
            return; // the common case, without boxing the address for a map lookup
        }
        Failure f = failures.get(address);
        if (f == null) {
            return;
        }
        if (System.nanoTime() - f.atNanos > FAILURE_MEMORY_NANOS) {
            failures.remove(address, f);
            return;
        }
        if (f.error instanceof LogCorruptedException) {
            throw new LogCorruptedException(f.error.getMessage());
        }
        throw new StorageException(f.error.getMessage(), f.error);
    }

    // ---- pins (the shard's lock holder) ----

    /** From now until {@link #endPinning}, blocks resolved by {@code owner} stay pinned. */
    public void beginPinning(Thread owner) {
        pinOwner = owner;
    }

    public void endPinning() {
        pinOwner = null;
        for (int i = 0; i < pinCount; i++) {
            pinBlocks[i] = null;
        }
        pinCount = 0;
    }

    private void pin(long address, MemorySegment block) {
        if (pinCount > 0 && pinAddresses[pinCount - 1] == address) {
            return; // the same block again (the memo hands it out repeatedly)
        }
        if (pinCount == pinAddresses.length) {
            pinAddresses = java.util.Arrays.copyOf(pinAddresses, pinCount * 2);
            pinBlocks = java.util.Arrays.copyOf(pinBlocks, pinCount * 2);
        }
        pinAddresses[pinCount] = address;
        pinBlocks[pinCount++] = block;
    }

    // ---- truncation ----

    /**
     * Forgets blocks below {@code begin} and deletes the segment files that hold nothing at or
     * above it. Call only once no reader can still resolve those addresses (from an epoch drain).
     */
    public synchronized void truncateBelow(long begin) {
        rawBytes -= directory.trimBelow(begin);
        accountDirectory();
        cache.dropBelow(begin);
        truncatedBelow = Math.max(truncatedBelow, begin);
        deleteDeadFiles();
        failures.keySet().removeIf(address -> address < begin);
    }

    /** Deletes the files that hold nothing at or above the last truncation and that no checkpoint keeps. */
    private void deleteDeadFiles() {
        long firstLiveSegment = LogicalAddress.segment(truncatedBelow);
        for (SegmentFile file : files.values()) {
            if (file.segment() < Math.min(firstLiveSegment, retainFrom) && files.remove(file.segment(), file)) {
                file.delete();
            }
        }
        // The segment begin is in: its file holds only dead blocks when none is at or above
        // begin and none is being written (a later page of the segment starts a new file).
        SegmentFile current = files.get(firstLiveSegment);
        BlockDirectory.Block next = directory.firstAtOrAbove(truncatedBelow);
        if (current != null && firstLiveSegment < retainFrom && staged.isEmpty()
                && (next == null || next.segment() != firstLiveSegment) && files.remove(firstLiveSegment, current)) {
            current.delete();
        }
    }

    // ---- checkpoints ----

    /**
     * Keeps the segment files from {@code segment} up whatever truncation does (a checkpoint
     * refers to them), and deletes those below it that truncation already left dead.
     */
    public synchronized void retainFrom(long segment) {
        retainFrom = segment;
        keepFiles = segment != Long.MAX_VALUE;
        deleteDeadFiles();
    }

    /**
     * The published blocks that end above {@code from}, four numbers each (address, raw length,
     * location, stored length), for a checkpoint. Under the shard's lock (blocks are published under it).
     */
    public synchronized long[] exportBlocks(long from) {
        long[] out = new long[directory.size() * 4];
        int[] n = {0};
        directory.forEach(b -> {
            if (b.end() <= from) {
                return; // below the log's begin: its file may be deleted any moment
            }
            out[n[0]++] = b.address();
            out[n[0]++] = b.rawLength();
            out[n[0]++] = b.location();
            out[n[0]++] = b.storedLength();
        });
        return java.util.Arrays.copyOf(out, n[0]);
    }

    /** Forces the files of {@code segments} to the device. */
    public void force(java.util.Set<Long> segments) {
        for (long segment : segments) {
            SegmentFile file = files.get(segment);
            if (file == null) {
                throw new StorageException("segment file " + segment + " of " + dir + " is gone before the checkpoint was durable");
            }
            file.force();
        }
    }

    /**
     * Brings back the cold region a checkpoint described, in a new cold log: opens the segment
     * files it refers to, cuts each back to {@code lengths} (what was written after the
     * checkpoint belongs to no record the restored log knows), deletes the files of later
     * segments, and publishes the blocks.
     *
     * @throws LogCorruptedException when a file is missing or shorter than the checkpoint says
     */
    public synchronized void restore(long[] blocks, Map<Long, Long> lengths) {
        if (!files.isEmpty() || directory.size() > 0) {
            throw new IllegalStateException("only a new cold log can be restored");
        }
        try (java.util.stream.Stream<Path> listing = java.nio.file.Files.list(dir)) {
            for (Path p : listing.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith("segment-") && name.endsWith(".cold")) {
                    long segment = Long.parseLong(name.substring(8, name.length() - 5));
                    if (!lengths.containsKey(segment)) {
                        java.nio.file.Files.delete(p);
                    }
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            throw new StorageException("cannot list the segment files of " + dir + ": " + e.getMessage(), e);
        }
        for (Map.Entry<Long, Long> e : lengths.entrySet()) {
            Path path = dir.resolve("segment-%06d.cold".formatted(e.getKey()));
            files.put(e.getKey(), SegmentFile.reopen(e.getKey(), path, e.getValue()));
        }
        long raw = 0;
        for (int i = 0; i < blocks.length; i += 4) {
            directory.append(blocks[i], (int) blocks[i + 1], blocks[i + 2], (int) blocks[i + 3]);
            raw += blocks[i + 1];
        }
        rawBytes = raw;
        accountDirectory();
    }

    /** Forgets every block and deletes every segment file. */
    public synchronized void clear() {
        directory.clear();
        accountDirectory();
        cache.clear();
        for (SegmentFile file : files.values()) {
            if (files.remove(file.segment(), file)) {
                file.delete();
            }
        }
        failures.clear();
        rawBytes = 0;
    }

    // ---- statistics ----

    /** Bytes of the segment files, by segment number. */
    public Map<Long, Long> segmentBytes() {
        Map<Long, Long> sizes = new TreeMap<>();
        for (SegmentFile file : files.values()) {
            sizes.put(file.segment(), file.size());
        }
        return sizes;
    }

    /** Bytes of memory the block directory takes (counted in maxmemory). */
    public long directoryBytes() {
        return directory.memoryBytes();
    }

    /** Bytes on disk, all segment files together. */
    public long diskBytes() {
        long total = 0;
        for (SegmentFile file : files.values()) {
            total += file.size();
        }
        return total;
    }

    /** Bytes of records the published blocks hold, before compression. */
    public long rawBytes() {
        return rawBytes;
    }

    /** Blocks read from disk so far. */
    public long reads() {
        return reads.sum();
    }

    /** Of those, the blocks a fail-fast thread read straight from the page cache. */
    public long nowaitReads() {
        return nowaitReads.sum();
    }

    /** Closes the files, and deletes them unless a checkpoint refers to them. */
    @Override
    public void close() {
        for (SegmentFile file : files.values()) {
            if (keepFiles) {
                file.close();
            } else {
                file.delete();
            }
        }
        files.clear();
    }
}
