package io.ferrite.core.log;

import io.ferrite.core.epoch.LightEpoch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * One shard's log: records appended at the tail into off-heap pages, addressed by
 * {@link LogicalAddress}. Regions, low to high: {@code [begin, readOnly)} is immutable (in this
 * version of the engine it is empty: every in-memory page is mutable; the read-only and disk
 * tiers move {@code readOnly} and {@code head} up), {@code [readOnly, tail)} is the mutable
 * region where records are updated in place.
 *
 * <p>Threading: {@link #allocate}, {@link #truncateTo} and the page bookkeeping run under the
 * owning shard's write lock. {@link #page(long)} and {@link #offsetInPage(long)} are lock-free
 * and safe for any thread that holds an epoch protection: a retired page is freed (or pooled)
 * only from an epoch drain action.
 *
 * <p>Records never cross a page boundary. A record larger than a page gets a run of pages of
 * its own (one off-heap allocation that the first frame of the run points to).
 */
public final class HybridLog implements AutoCloseable {
    private static final int POOLED_PAGES = 4;

    private final int pageBits;
    private final long pageSize;
    private final int pagesPerSegmentBits;
    private final MemoryBudget budget;
    private final LightEpoch epoch;

    /** Frames indexed by sequential page number modulo capacity; replaced whole when grown. */
    private volatile Frame[] frames;
    private volatile long beginAddress;
    private volatile long tailAddress;
    /** Pages with a sequence number below this have been freed by a drain action. */
    private volatile long freedBelowPage;
    /** The page (or run) records are appended to; null before the first write and after clear. */
    private Frame tailFrame;
    private final ArrayDeque<Frame> pool = new ArrayDeque<>();
    private volatile long memoryBytes;
    /** Bytes of pages in [begin, tail) counted against the budget. */
    private long reservedBytes;
    private long liveBytes;
    private volatile long deadBytes;
    private boolean closed;

    /** An off-heap page (or run of pages) and how far records fill it. */
    private static final class Frame {
        final Arena arena;
        final MemorySegment memory;
        final long seq;
        final int pages;
        /** End (in-page offset) of the last record written, for log walkers. */
        volatile long end;

        Frame(Arena arena, MemorySegment memory, long seq, int pages) {
            this.arena = arena;
            this.memory = memory;
            this.seq = seq;
            this.pages = pages;
        }

        Frame reuse(long newSeq) {
            return new Frame(arena, memory, newSeq, pages);
        }
    }

    public HybridLog(long pageSize, long segmentSize, MemoryBudget budget, LightEpoch epoch) {
        if (Long.bitCount(pageSize) != 1 || pageSize < 4096 || Long.bitCount(segmentSize) != 1
                || segmentSize < pageSize || segmentSize > (1L << LogicalAddress.OFFSET_BITS)) {
            throw new IllegalArgumentException("page size and segment size must be powers of two with 4 KiB <= page <= segment <= 64 GiB");
        }
        this.pageBits = Long.numberOfTrailingZeros(pageSize);
        this.pageSize = pageSize;
        this.pagesPerSegmentBits = Long.numberOfTrailingZeros(segmentSize) - pageBits;
        this.budget = budget;
        this.epoch = epoch;
        this.frames = new Frame[16];
        this.beginAddress = LogicalAddress.FIRST_VALID;
        this.tailAddress = LogicalAddress.FIRST_VALID;
        this.freedBelowPage = 0;
    }

    /** Largest record the log can hold (one segment). */
    public long maxRecordSize() {
        return 1L << (pagesPerSegmentBits + pageBits);
    }

    public long pageSize() {
        return pageSize;
    }

    public long beginAddress() {
        return beginAddress;
    }

    public long tailAddress() {
        return tailAddress;
    }

    /** Start of the mutable region; equal to begin until the read-only tier exists. */
    public long readOnlyAddress() {
        return beginAddress;
    }

    // ---- address translation (lock-free under epoch protection) ----

    private long seqOf(long address) {
        long a = LogicalAddress.position(address);
        return (LogicalAddress.segment(a) << pagesPerSegmentBits) | (LogicalAddress.offset(a) >>> pageBits);
    }

    private long addressOf(long seq, long inPage) {
        long segment = seq >>> pagesPerSegmentBits;
        long pageInSegment = seq & ((1L << pagesPerSegmentBits) - 1);
        return LogicalAddress.of(segment, (pageInSegment << pageBits) | inPage, 0);
    }

    /** The memory of the page holding the record at {@code address}. */
    public MemorySegment page(long address) {
        Frame[] f = frames;
        Frame frame = f[(int) (seqOf(address) & (f.length - 1))];
        if (frame == null) {
            throw new IllegalStateException("no page for address " + LogicalAddress.toString(address)
                    + " (seq " + seqOf(address) + ", begin " + LogicalAddress.toString(beginAddress)
                    + ", tail " + LogicalAddress.toString(tailAddress) + ", freed below " + freedBelowPage + ")");
        }
        return frame.memory;
    }

    /** Offset of {@code address} within {@link #page(long)}. */
    public long offsetInPage(long address) {
        return address & (pageSize - 1);
    }

    /** True when {@code address} is in memory and may be read. */
    public boolean isLive(long address) {
        return address >= beginAddress && address < tailAddress;
    }

    // ---- allocation (under the shard's write lock) ----

    /**
     * Reserves {@code size} bytes (a multiple of 8) at the tail.
     *
     * @return the record's address, or {@link LogicalAddress#NULL} if the memory budget is exhausted
     */
    public long allocate(long size, boolean overdraft) {
        if (closed) {
            throw new IllegalStateException("log is closed");
        }
        long tail = tailAddress;
        Frame current = tailFrame;
        if (current != null && current.pages == 1 && current.end + size <= pageSize) {
            long address = addressOf(current.seq, current.end);
            current.end += size;
            tailAddress = address + size;
            liveBytes += size;
            return address;
        }
        // Seal the tail page (or run) and start a new one. With no tail frame (a new or cleared
        // log) the tail is a page start, except for the very first page, which skips NULL.
        long seq = current == null ? seqOf(tail) : current.seq + current.pages;
        long start = current == null ? offsetInPage(tail) : 0;
        int pages = (int) Math.max(1, (start + size + pageSize - 1) >>> pageBits);
        long perSegment = 1L << pagesPerSegmentBits;
        if (pages > perSegment) {
            throw new IllegalArgumentException("record of " + size + " bytes is larger than a segment");
        }
        if ((seq & (perSegment - 1)) + pages > perSegment) {
            seq = (seq | (perSegment - 1)) + 1; // a run stays inside one segment
            start = 0;
        }
        Frame fresh = newFrame(seq, pages, overdraft);
        if (fresh == null) {
            return LogicalAddress.NULL;
        }
        fresh.end = start + size;
        tailFrame = fresh;
        long address = addressOf(seq, start);
        // After a multi-page run nothing shares its pages: the tail moves past the run.
        tailAddress = pages == 1 ? address + size : addressOf(seq + pages, 0);
        liveBytes += size;
        return address;
    }

    private Frame newFrame(long seq, int pages, boolean overdraft) {
        if (LogicalAddress.segment(addressOf(seq + pages, 0)) > LogicalAddress.MAX_SEGMENT) {
            return null;
        }
        long bytes = (long) pages << pageBits;
        Frame pooled = null;
        if (pages == 1) {
            synchronized (pool) {
                pooled = pool.poll();
            }
        }
        if (overdraft) {
            budget.forceReserve(bytes);
        } else if (!budget.tryReserve(bytes)) {
            if (pooled != null) {
                synchronized (pool) {
                    pool.push(pooled);
                }
            }
            return null;
        }
        reservedBytes += bytes;
        Frame frame;
        if (pooled != null) {
            frame = pooled.reuse(seq);
        } else {
            Arena arena = Arena.ofShared();
            frame = new Frame(arena, arena.allocate(bytes, 64), seq, pages);
            memoryBytes += bytes;
        }
        ensureCapacity(seq + pages);
        Frame[] f = frames;
        for (int i = 0; i < pages; i++) {
            f[(int) ((seq + i) & (f.length - 1))] = frame;
        }
        return frame;
    }

    /**
     * Grows the frame table so that pages from the oldest not yet freed up to {@code upTo}
     * never share a slot. Retired frames are copied too: protected readers may still use them.
     */
    private void ensureCapacity(long upTo) {
        Frame[] f = frames;
        long oldest = Math.min(freedBelowPage, seqOf(beginAddress));
        if (upTo - oldest <= f.length) {
            return;
        }
        int capacity = f.length;
        while (upTo - oldest > capacity) {
            capacity <<= 1;
        }
        Frame[] grown = new Frame[capacity];
        for (Frame frame : f) {
            if (frame != null && frame.seq + frame.pages > oldest) {
                for (int i = 0; i < frame.pages; i++) {
                    grown[(int) ((frame.seq + i) & (capacity - 1))] = frame;
                }
            }
        }
        frames = grown;
    }

    // ---- walking and truncation (under the shard's write lock) ----

    /** Address where the page (or run) after the one holding {@code address} starts. */
    public long nextPageStart(long address) {
        Frame frame = frameOf(address);
        return addressOf(frame.seq + frame.pages, 0);
    }

    /** End of the records written in the page holding {@code address}, as an address. */
    public long pageEnd(long address) {
        Frame frame = frameOf(address);
        return addressOf(frame.seq, 0) + frame.end;
    }

    private Frame frameOf(long address) {
        Frame[] f = frames;
        return f[(int) (seqOf(address) & (f.length - 1))];
    }

    /**
     * Moves begin to {@code newBegin} (a page start, at most the tail) and frees the pages
     * below it once no reader can still see them.
     */
    public void truncateTo(long newBegin) {
        long oldBegin = beginAddress;
        if (newBegin <= oldBegin) {
            return;
        }
        java.util.List<Frame> retired = new java.util.ArrayList<>();
        long toSeq = seqOf(newBegin);
        Frame[] f = frames;
        for (long seq = seqOf(oldBegin); seq < toSeq; ) {
            Frame frame = f[(int) (seq & (f.length - 1))];
            if (frame == null || seq < frame.seq || seq >= frame.seq + frame.pages) {
                seq++; // a gap left where a run was moved to the next segment
                continue;
            }
            retired.add(frame);
            liveBytes -= frame.end;
            long bytes = (long) frame.pages << pageBits;
            budget.release(bytes); // counted as free now; the memory itself goes after the drain
            reservedBytes -= bytes;
            seq = frame.seq + frame.pages;
        }
        if (liveBytes < 0) {
            liveBytes = 0;
        }
        beginAddress = newBegin;
        if (!retired.isEmpty()) {
            epoch.bumpCurrentEpoch(() -> release(retired, toSeq));
        }
    }

    private void release(java.util.List<Frame> retired, long belowSeq) {
        synchronized (pool) {
            // Slots are not cleared: a later page overwrites them, and nobody reads below begin.
            for (Frame frame : retired) {
                if (frame.pages == 1 && pool.size() < POOLED_PAGES && !closed) {
                    pool.push(frame);
                } else {
                    memoryBytes -= (long) frame.pages << pageBits;
                    frame.arena.close();
                }
            }
            if (belowSeq > freedBelowPage) {
                freedBelowPage = belowSeq;
            }
        }
    }

    // ---- accounting ----

    /** Bytes of records between begin and tail (live and dead). */
    public long logBytes() {
        return liveBytes;
    }

    /** Bytes of records known to be dead (superseded, deleted, expired). */
    public long deadBytes() {
        return deadBytes;
    }

    public void addDead(long bytes) {
        deadBytes += bytes;
    }

    /** Bytes of off-heap memory the log holds (pages in use, retired and pooled). */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** Frees every page immediately. Only when no reader can be active (store closed). */
    @Override
    public void close() {
        closed = true;
        Frame[] f = frames;
        Frame last = null;
        synchronized (pool) {
            for (int i = 0; i < f.length; i++) {
                Frame frame = f[i];
                if (frame != null && frame != last && frame.arena.scope().isAlive()) {
                    frame.arena.close();
                }
                last = frame;
                f[i] = null;
            }
            while (!pool.isEmpty()) {
                Frame frame = pool.pop();
                if (frame.arena.scope().isAlive()) {
                    frame.arena.close();
                }
            }
            memoryBytes = 0;
            budget.release(reservedBytes);
            reservedBytes = 0;
        }
    }

    /** Drops every record: begin and tail jump to the next page start (FLUSHALL). */
    public void clear() {
        if (tailFrame == null) {
            return; // nothing written since the last clear
        }
        long newBegin = addressOf(tailFrame.seq + tailFrame.pages, 0);
        tailAddress = newBegin;
        truncateTo(newBegin);
        tailFrame = null;
        liveBytes = 0;
        deadBytes = 0;
    }
}
