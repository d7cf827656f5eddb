package io.ferrite.core.log;

import io.ferrite.core.address.LogicalAddress;
import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.tier.BlockDirectory;
import io.ferrite.core.tier.ColdLog;
import io.ferrite.core.tier.WarmRing;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One shard's log: records appended at the tail into pages, addressed by
 * {@link LogicalAddress}. FASTER's regions, low to high:
 * <ul>
 *   <li>{@code [begin, head)}: cold. The pages were cut into blocks, compressed and written to
 *       segment files ({@link ColdLog}); a record is read back by block.</li>
 *   <li>{@code [head, readOnly)}: read-only, in memory: off-heap pages waiting to move on, or
 *       page slots of the memory-mapped warm ring ({@link WarmRing}). Updates copy the record
 *       to the tail.</li>
 *   <li>{@code [readOnly, tail)}: mutable, off-heap pages, updated in place.</li>
 * </ul>
 * {@code safeReadOnly} trails {@code readOnly}: it moves up in an epoch drain action once no
 * thread can still be updating a record in place (or hold a record lock) below it. Pages leave
 * memory only from below {@code safeReadOnly}. Without tiers ({@link Tiers} null) the log is a
 * single in-memory mutable region, as {@code head == readOnly == begin}.
 *
 * <p>Threading: allocation, region moves and truncation happen under the owning shard's write
 * lock. {@link #page(long)} and {@link #offsetInPage(long, MemorySegment)} are lock-free for any
 * thread holding an epoch protection: memory below a moved boundary is freed (or its warm slot
 * reused) only from an epoch drain action. The page mover prepares its work without the lock
 * (on pages nobody writes any more) and commits it under the lock.
 *
 * <p>Records never cross a page boundary. A record larger than a page gets a run of pages of
 * its own (one off-heap allocation that the first frame of the run points to).
 */
public final class HybridLog implements AutoCloseable {
    private static final int POOLED_PAGES = 4;

    /** The tiers below memory, and how much of the log may stay mutable. */
    public record Tiers(ColdLog cold, WarmRing ring, MutablePages mutable, int blockSize, Runnable wakeMover) {}

    private final int pageBits;
    private final long pageSize;
    private final int pagesPerSegmentBits;
    private final MemoryBudget budget;
    private final LightEpoch epoch;
    private final Tiers tiers;

    /** Frames indexed by sequential page number modulo capacity; replaced whole when grown. */
    private volatile Frame[] frames;
    private volatile long beginAddress;
    private volatile long headAddress;
    private volatile long safeReadOnlyAddress;
    private volatile long readOnlyAddress;
    /** This log's pages in {@link Tiers#mutable()}'s count. */
    private long countedMutable;
    private volatile long tailAddress;
    /** Frames of pages below this sequence number have been freed by a drain action. */
    private volatile long framesFreedBelow;
    /** The page (or run) records are appended to; null before the first write and after clear. */
    private Frame tailFrame;
    private final ArrayDeque<Frame> pool = new ArrayDeque<>();
    private final AtomicLong memoryBytes = new AtomicLong();
    private final AtomicLong warmBytes = new AtomicLong();
    /** Bytes of frames in [head, tail) counted against the budget. */
    private final AtomicLong reservedBytes = new AtomicLong();
    /** Bytes of records between begin and tail, live and dead. */
    private final AtomicLong logBytes = new AtomicLong();
    private volatile boolean closed;
    /**
     * While a checkpoint copies the frozen pages: the start of the first page it has not copied
     * yet. Pages at or above it stay where they are (neither moved to the warm ring or the cold
     * region nor truncated) until it passed them. {@code Long.MAX_VALUE} when no copy runs.
     */
    private volatile long checkpointFloor = Long.MAX_VALUE;
    /**
     * While what a checkpoint froze is being read (an AOF rewrite's base): the frozen begin,
     * below which compaction may not truncate the log. {@code Long.MAX_VALUE} otherwise.
     */
    private volatile long beginHold = Long.MAX_VALUE;
    /** Set when the log was truncated past the floor or the hold anyway (FLUSHALL): the copy or read is void. */
    private volatile boolean checkpointBroken;

    /** A page (or run of pages) in memory: off-heap, or a slot of the warm ring. */
    private static final class Frame {
        final Arena arena;
        final MemorySegment memory;
        final long seq;
        final int pages;
        final int ringSlot;
        /** End (in-page offset) of the last record written, for log walkers. */
        volatile long end;

        Frame(Arena arena, MemorySegment memory, long seq, int pages, int ringSlot) {
            this.arena = arena;
            this.memory = memory;
            this.seq = seq;
            this.pages = pages;
            this.ringSlot = ringSlot;
        }

        Frame reuse(long newSeq) {
            return new Frame(arena, memory, newSeq, pages, -1);
        }

        boolean warm() {
            return ringSlot >= 0;
        }
    }

    public HybridLog(long pageSize, long segmentSize, MemoryBudget budget, LightEpoch epoch) {
        this(pageSize, segmentSize, budget, epoch, null);
    }

    public HybridLog(long pageSize, long segmentSize, MemoryBudget budget, LightEpoch epoch, Tiers tiers) {
        if (Long.bitCount(pageSize) != 1 || pageSize < 4096 || Long.bitCount(segmentSize) != 1
                || segmentSize < pageSize || segmentSize > (1L << LogicalAddress.OFFSET_BITS)) {
            throw new IllegalArgumentException("page size and segment size must be powers of two with 4 KiB <= page <= segment <= 64 GiB");
        }
        this.pageBits = Long.numberOfTrailingZeros(pageSize);
        this.pageSize = pageSize;
        this.pagesPerSegmentBits = Long.numberOfTrailingZeros(segmentSize) - pageBits;
        this.budget = budget;
        this.epoch = epoch;
        this.tiers = tiers;
        this.frames = new Frame[16];
        this.beginAddress = LogicalAddress.FIRST_VALID;
        this.headAddress = LogicalAddress.FIRST_VALID;
        this.safeReadOnlyAddress = LogicalAddress.FIRST_VALID;
        this.readOnlyAddress = LogicalAddress.FIRST_VALID;
        this.tailAddress = LogicalAddress.FIRST_VALID;
    }

    /** Largest record the log can hold (one segment). */
    public long maxRecordSize() {
        return 1L << (pagesPerSegmentBits + pageBits);
    }

    public long pageSize() {
        return pageSize;
    }

    public boolean tiered() {
        return tiers != null;
    }

    public Tiers tiers() {
        return tiers;
    }

    public long beginAddress() {
        return beginAddress;
    }

    /** Lowest address still in memory; below it (down to begin) records are cold. */
    public long headAddress() {
        return headAddress;
    }

    /** Lowest address of the mutable region: records below it are never changed in place. */
    public long readOnlyAddress() {
        return readOnlyAddress;
    }

    public long tailAddress() {
        return tailAddress;
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

    /** Start of the page holding {@code address}. */
    public long pageStart(long address) {
        return address & ~(pageSize - 1);
    }

    /**
     * The memory holding the record at {@code address}: its page, or for a cold record the
     * decompressed block holding it. Pass the result to {@link #offsetInPage(long, MemorySegment)}.
     *
     * @throws io.ferrite.core.api.DiskReadPending on a fail-fast thread, for a cold block not cached
     */
    public MemorySegment page(long address) {
        if (tiers == null || address >= headAddress) {
            return frameMemory(address);
        }
        MemorySegment block = tiers.cold().block(address);
        // No block: the page was truncated (by compaction) while in memory after the caller
        // found the address; its frame stays valid until the caller's epoch protection ends.
        return block != null ? block : frameMemory(address);
    }


    private MemorySegment frameMemory(long address) {
        Frame[] f = frames;
        Frame frame = f[(int) (seqOf(address) & (f.length - 1))];
        if (frame == null) {
            throw new IllegalStateException("no page for address " + LogicalAddress.toString(address)
                    + " (seq " + seqOf(address) + ", begin " + LogicalAddress.toString(beginAddress)
                    + ", head " + LogicalAddress.toString(headAddress)
                    + ", tail " + LogicalAddress.toString(tailAddress) + ")");
        }
        return frame.memory;
    }

    /**
     * Offset of {@code address} within {@code memory}, which {@link #page(long)} returned for it.
     * Pages are native memory (off-heap or mapped); cold blocks live on the heap. Deciding by the
     * memory actually returned keeps the pair consistent when head moves between the calls.
     */
    public long offsetInPage(long address, MemorySegment memory) {
        return memory.isNative() ? address & (pageSize - 1) : tiers.cold().offsetInBlock(address);
    }

    /** True when the record at {@code address} is in memory (no disk read needed to see it). */
    public boolean inMemory(long address) {
        return address >= headAddress;
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
            logBytes.addAndGet(size);
            return address;
        }
        // Seal the tail page (or run) and start a new one. With no tail frame (a new or cleared
        // log) the tail is a page start, except for the very first page, which skips NULL.
        long seq = current == null ? seqOf(tail) : current.seq + current.pages;
        long start = current == null ? tail & (pageSize - 1) : 0;
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
        logBytes.addAndGet(size);
        if (tiers != null) {
            keepMutableRegionBounded();
        }
        return address;
    }

    private Frame newFrame(long seq, int pages, boolean overdraft) {
        if (LogicalAddress.segment(addressOf(seq + pages, 0)) > LogicalAddress.MAX_SEGMENT) {
            return null;
        }
        long bytes = (long) pages << pageBits;
        if (!reserve(bytes, overdraft)) {
            return null;
        }
        reservedBytes.addAndGet(bytes);
        Frame pooled = null;
        if (pages == 1) {
            synchronized (pool) {
                pooled = pool.poll();
            }
        }
        Frame frame;
        if (pooled != null) {
            frame = pooled.reuse(seq);
        } else {
            Arena arena = Arena.ofShared();
            frame = new Frame(arena, arena.allocate(bytes, 64), seq, pages, -1);
            memoryBytes.addAndGet(bytes);
        }
        if (pages == 1 && tiers != null) {
            tiers.wakeMover().run(); // to put a spare page in the pool (keepSparePage)
        }
        ensureCapacity(seq + pages);
        Frame[] f = frames;
        for (int i = 0; i < pages; i++) {
            f[(int) ((seq + i) & (f.length - 1))] = frame;
        }
        return frame;
    }

    /**
     * Counts a new page against the budget. Without tiers a full budget means OOM. With tiers
     * the page mover makes room by moving pages to disk; until it catches up a writer may
     * overdraw the budget by a bounded slack, and only beyond that is the write refused.
     */
    private boolean reserve(long bytes, boolean overdraft) {
        if (overdraft) {
            budget.forceReserve(bytes);
            return true;
        }
        if (budget.tryReserve(bytes)) {
            if (tiers != null && budget.above(0.9)) {
                tiers.wakeMover().run();
            }
            return true;
        }
        if (tiers == null) {
            return false;
        }
        tiers.wakeMover().run();
        if (budget.used() + bytes > budget.hardLimit(8 * pageSize)) {
            return false;
        }
        budget.forceReserve(bytes);
        return true;
    }

    /**
     * Grows the frame table so that pages from the oldest not yet freed up to {@code upTo}
     * never share a slot. Retired frames are copied too: protected readers may still use them.
     */
    private void ensureCapacity(long upTo) {
        Frame[] f = frames;
        long oldest = Math.min(framesFreedBelow, seqOf(headAddress));
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

    /**
     * Puts a fresh page in the pool when it is empty, so that the writer that next needs one
     * takes it instead of zeroing a page (and taking its page faults) under the shard's lock:
     * that was 6-7% of a pipelined HSET's server time. The page mover calls it, without the lock.
     */
    public void keepSparePage() {
        synchronized (pool) {
            if (closed || !pool.isEmpty()) {
                return;
            }
        }
        Arena arena = Arena.ofShared();
        Frame spare = new Frame(arena, arena.allocate(pageSize, 64), -1, 1, -1);
        synchronized (pool) {
            if (closed || pool.size() >= POOLED_PAGES) {
                arena.close();
                return;
            }
            memoryBytes.addAndGet(pageSize);
            pool.push(spare);
        }
    }

    // ---- region moves ----

    /** Keeps at most the configured number of pages mutable: older ones become read-only. */
    private void keepMutableRegionBounded() {
        long tailSeq = tailFrame.seq;
        long mutable = tailSeq - seqOf(readOnlyAddress) + 1;
        long allowed = tiers.mutable().allowance(countedMutable);
        if (mutable > allowed) {
            shiftReadOnlyTo(addressOf(tailSeq - allowed + 1, 0));
        }
        countMutablePages();
    }

    /** Brings this log's share of the {@link MutablePages} in use up to date. */
    private void countMutablePages() {
        if (tiers == null) {
            return;
        }
        Frame tail = tailFrame;
        long now = closed || tail == null ? 0 : Math.max(0, tail.seq - seqOf(readOnlyAddress) + 1);
        tiers.mutable().changed(now - countedMutable);
        countedMutable = now;
    }

    /**
     * Makes every page but the tail page read-only (the page mover's answer to memory
     * pressure). Under the shard's write lock.
     */
    public void shiftReadOnlyToTailPage() {
        if (tailFrame != null) {
            shiftReadOnlyTo(addressOf(tailFrame.seq, 0));
        }
    }

    private void shiftReadOnlyTo(long address) {
        long target = Math.min(address, tailAddress);
        if (target <= readOnlyAddress) {
            return;
        }
        readOnlyAddress = target;
        countMutablePages();
        // In-place writers hold the shard lock, so none is running now; lock-free readers that
        // took a record's shared lock under the old boundary are gone once the epoch drains.
        epoch.bumpCurrentEpoch(() -> {
            if (target > safeReadOnlyAddress) {
                safeReadOnlyAddress = target;
            }
            tiers.wakeMover().run();
        });
    }

    // ---- the page mover's steps ----

    /** A page move the page mover prepared without the lock; opaque outside this class. */
    public static final class PageMove {
        private final long head;
        private final long next;
        private final Frame frame;
        private final int ringSlot;

        private PageMove(long head, long next, Frame frame, int ringSlot) {
            this.head = head;
            this.next = next;
            this.frame = frame;
            this.ringSlot = ringSlot;
        }
    }

    /** True when the page at head can leave memory now. */
    public boolean headPageMovable() {
        long head = headAddress;
        long next = nextPageStartInMemory(head);
        return head < tailAddress && next <= safeReadOnlyAddress && next <= checkpointFloor;
    }

    private long nextPageStartInMemory(long address) {
        Frame frame = headFrameAt(address);
        return frame == null ? addressOf(seqOf(address) + 1, 0) : addressOf(frame.seq + frame.pages, 0);
    }

    private Frame headFrameAt(long address) {
        Frame[] f = frames;
        long seq = seqOf(address);
        Frame frame = f[(int) (seq & (f.length - 1))];
        return frame == null || seq < frame.seq || seq >= frame.seq + frame.pages ? null : frame;
    }

    /**
     * Writes the page at head to the cold region (blocks of whole records, at most
     * {@code blockSize} bytes each unless one record is larger). Mover thread, epoch protected,
     * without the shard lock: the page is below safeReadOnly, so nothing writes it.
     *
     * @return the move to commit, or null when the head page cannot move yet
     */
    public PageMove stageHeadPageToCold() {
        long head = headAddress;
        if (!headPageMovable()) {
            return null;
        }
        Frame frame = headFrameAt(head);
        if (frame == null) {
            return new PageMove(head, addressOf(seqOf(head) + 1, 0), null, -1);
        }
        long pageStart = addressOf(frame.seq, 0);
        long at = head - pageStart;
        long end = frame.end;
        RecordLayout.Shape shape = new RecordLayout.Shape();
        ColdLog cold = tiers.cold();
        while (at < end) {
            long blockStart = at;
            while (at < end && (at == blockStart || at - blockStart < tiers.blockSize())) {
                long header = RecordLayout.header(frame.memory, at);
                long size = RecordLayout.allocatedSize(frame.memory, at, header, shape.parse(frame.memory, at, header));
                if (at > blockStart && at + size - blockStart > tiers.blockSize()) {
                    break;
                }
                at += size;
            }
            cold.stageBlock(pageStart + blockStart, frame.memory, blockStart, (int) (at - blockStart));
        }
        return new PageMove(head, addressOf(frame.seq + frame.pages, 0), frame, -1);
    }

    /**
     * Makes a staged cold page visible and moves head past it; its memory is freed once the
     * epoch drains. Under the shard's lock. Returns false (discarding the staged blocks) when
     * the log was truncated or cleared meanwhile.
     */
    public boolean commitColdMove(PageMove move) {
        ColdLog cold = tiers.cold();
        if (headAddress != move.head || beginAddress > move.head) {
            cold.discardStaged();
            return false;
        }
        cold.publishStaged();
        headAddress = move.next;
        Frame frame = move.frame;
        if (frame != null) {
            retire(List.of(frame), seqOf(move.next));
        }
        return true;
    }

    /**
     * Copies the oldest off-heap read-only page that is still in memory into a free warm
     * slot. Mover thread, epoch protected, without the lock.
     *
     * @return the move to commit, or null when there is no such page or no free slot
     */
    public PageMove stageWarmMove() {
        WarmRing ring = tiers.ring();
        if (ring == null) {
            return null;
        }
        long safe = safeReadOnlyAddress;
        for (long address = headAddress; address < safe; ) {
            Frame frame = headFrameAt(address);
            long next = frame == null ? addressOf(seqOf(address) + 1, 0) : addressOf(frame.seq + frame.pages, 0);
            if (next > safe || next > checkpointFloor) {
                return null;
            }
            if (frame != null && !frame.warm() && frame.pages == 1) {
                int slot = ring.take();
                if (slot < 0) {
                    return null;
                }
                MemorySegment.copy(frame.memory, 0, ring.slot(slot), 0, frame.end);
                return new PageMove(address, next, frame, slot);
            }
            address = next;
        }
        return null;
    }

    /** Swaps a copied page's frame for its warm slot. Under the shard's lock. */
    public boolean commitWarmMove(PageMove move) {
        Frame frame = move.frame;
        Frame[] f = frames;
        int index = (int) (frame.seq & (f.length - 1));
        if (f[index] != frame || move.head < headAddress) {
            tiers.ring().release(move.ringSlot);
            return false;
        }
        Frame warm = new Frame(null, tiers.ring().slot(move.ringSlot), frame.seq, 1, move.ringSlot);
        warm.end = frame.end;
        f[index] = warm;
        warmBytes.addAndGet(pageSize);
        // The off-heap copy is no longer reachable through the table; readers that got it
        // before the swap finish with it before the drain frees it.
        epoch.bumpCurrentEpoch(() -> release(List.of(frame)));
        return true;
    }

    /** True when the ring has no free slot (moving more read-only pages there needs a cold move first). */
    public boolean warmRingFull() {
        return tiers.ring() != null && tiers.ring().freeSlots() == 0;
    }

    /** True when some read-only page is still in an off-heap frame (waiting for a warm slot). */
    public boolean hasOffHeapReadOnlyPage() {
        long safe = safeReadOnlyAddress;
        for (long address = headAddress; address < safe; ) {
            Frame frame = headFrameAt(address);
            if (frame != null && !frame.warm()) {
                return true;
            }
            address = frame == null ? addressOf(seqOf(address) + 1, 0) : addressOf(frame.seq + frame.pages, 0);
        }
        return false;
    }

    /** Counts frames as no longer reserved and frees their memory once the epoch drains. */
    private void retire(List<Frame> retired, long freedBelowSeq) {
        long bytes = 0;
        for (Frame frame : retired) {
            bytes += (long) frame.pages << pageBits;
        }
        budget.release(bytes); // counted as free now; the memory itself goes after the drain
        reservedBytes.addAndGet(-bytes);
        epoch.bumpCurrentEpoch(() -> {
            release(retired);
            if (freedBelowSeq > framesFreedBelow) {
                framesFreedBelow = freedBelowSeq;
            }
        });
    }

    private void release(List<Frame> retired) {
        synchronized (pool) {
            for (Frame frame : retired) {
                if (frame.warm()) {
                    warmBytes.addAndGet(-pageSize);
                    tiers.ring().release(frame.ringSlot);
                } else if (frame.pages == 1 && pool.size() < POOLED_PAGES && !closed) {
                    pool.push(frame);
                } else {
                    memoryBytes.addAndGet(-((long) frame.pages << pageBits));
                    frame.arena.close();
                }
            }
        }
    }

    // ---- walking and truncation ----

    /** Address where the page (or run) after the one holding {@code address} starts. */
    public long nextPageStart(long address) {
        if (address >= headAddress) {
            return nextPageStartInMemory(address);
        }
        BlockDirectory.Block block = tiers.cold().blockAt(address);
        long last = block == null ? address : block.end() - 1;
        return addressOf(seqOf(last) + 1, 0);
    }

    /**
     * End of the records in the page (or run) holding {@code address}, as an address; equal to
     * the page's start when it holds none (a gap left where a run moved to the next segment).
     */
    public long pageEnd(long address) {
        if (address >= headAddress) {
            Frame frame = headFrameAt(address);
            return frame == null ? pageStart(address) : addressOf(frame.seq, 0) + frame.end;
        }
        return tiers.cold().recordsEnd(address, nextPageStart(address));
    }

    /**
     * Moves begin to {@code newBegin} (a page start, at most the tail) and frees what lies
     * below it once no reader can still see it. Under the shard's lock.
     */
    public void truncateTo(long newBegin) {
        long oldBegin = beginAddress;
        if (newBegin <= oldBegin) {
            return;
        }
        List<Frame> retired = new ArrayList<>();
        long toSeq = seqOf(newBegin);
        Frame[] f = frames;
        long bytes = 0;
        for (long seq = seqOf(Math.max(oldBegin, headAddress)); seq < toSeq; ) {
            Frame frame = f[(int) (seq & (f.length - 1))];
            if (frame == null || seq < frame.seq || seq >= frame.seq + frame.pages) {
                seq++; // a gap left where a run was moved to the next segment
                continue;
            }
            retired.add(frame);
            bytes += frame.end;
            seq = frame.seq + frame.pages;
        }
        boolean coldRange = tiers != null && oldBegin < headAddress;
        if (newBegin > Math.min(checkpointFloor, beginHold)) {
            checkpointBroken = true; // only FLUSHALL does this: compaction stops at the floor
        }
        beginAddress = newBegin;
        if (headAddress < newBegin) {
            headAddress = newBegin;
        }
        if (readOnlyAddress < newBegin) {
            readOnlyAddress = newBegin;
            countMutablePages();
        }
        if (safeReadOnlyAddress < newBegin) {
            safeReadOnlyAddress = newBegin;
        }
        logBytes.addAndGet(-bytes);
        if (!retired.isEmpty()) {
            retire(retired, toSeq);
        }
        if (coldRange) {
            ColdLog cold = tiers.cold();
            bytes = cold.rawBytesBetween(oldBegin, newBegin);
            logBytes.addAndGet(-bytes);
            // Readers that started before this point may still walk chains into the range.
            epoch.bumpCurrentEpoch(() -> cold.truncateBelow(newBegin));
        }
        if (logBytes.get() < 0) {
            logBytes.set(0);
        }
    }

    // ---- checkpoints ----

    /** Where a checkpoint froze the log: its records are those in {@code [begin, end)}, the ones from {@code head} up in memory. */
    public record Frozen(long begin, long head, long end, long logBytes) {}

    /** Receives the records of one frozen page (or run of pages) for a checkpoint. */
    @FunctionalInterface
    public interface PageSink {
        void page(long seq, int pages, MemorySegment memory, long length) throws java.io.IOException;
    }

    /**
     * Freezes the log for a checkpoint (FASTER's fold-over): the whole log becomes read-only, so
     * no record below the current tail changes again, and the pages in memory stay there until
     * {@link #copyFrozenPages} passed them. Under the shard's lock, tiered logs only.
     */
    public Frozen freeze() {
        long end = tailAddress;
        shiftReadOnlyTo(end);
        checkpointBroken = false;
        checkpointFloor = headAddress;
        return new Frozen(beginAddress, headAddress, end, logBytes.get());
    }

    /** True once no thread can still be changing a record below {@code frozen}'s end (after an epoch drain). */
    public boolean settled(Frozen frozen) {
        return safeReadOnlyAddress >= frozen.end() || beginAddress > frozen.head();
    }

    /** The first address compaction may not truncate yet: the checkpoint's floor or the frozen begin held. */
    public long compactionFloor() {
        return Math.min(checkpointFloor, beginHold);
    }

    /**
     * Keeps compaction from truncating the log below {@code frozen}'s begin until
     * {@link #releaseBegin}, so that every record the freeze left reachable stays readable.
     * Under the shard's lock, right after {@link #freeze}.
     */
    public void holdBegin(Frozen frozen) {
        beginHold = frozen.begin();
    }

    /** Ends {@link #holdBegin}. */
    public void releaseBegin() {
        beginHold = Long.MAX_VALUE;
    }

    /** True when the log was emptied (FLUSHALL) since the last {@link #freeze}: what it froze is gone. */
    public boolean frozenBroken() {
        return checkpointBroken;
    }

    /**
     * Hands every frozen in-memory page, from {@code frozen}'s head to its end, to {@code sink}
     * in address order, each under an epoch protection; the page mover may move a page once it
     * was handed over. Returns false when the log was emptied meanwhile (the copy is void).
     */
    public boolean copyFrozenPages(Frozen frozen, PageSink sink) throws java.io.IOException {
        long end = frozen.end();
        try {
            for (long address = frozen.head(); address < end; ) {
                long next;
                int slot = epoch.protect();
                try {
                    if (checkpointBroken) {
                        return false;
                    }
                    Frame frame = headFrameAt(address);
                    if (frame == null) {
                        next = addressOf(seqOf(address) + 1, 0);
                    } else {
                        long start = addressOf(frame.seq, 0);
                        sink.page(frame.seq, frame.pages, frame.memory, Math.min(frame.end, end - start));
                        next = addressOf(frame.seq + frame.pages, 0);
                    }
                } finally {
                    epoch.unprotect(slot);
                }
                checkpointFloor = next;
                address = next;
            }
            return !checkpointBroken;
        } finally {
            endCheckpointCopy();
        }
    }

    /** Lets the page mover and compaction go on everywhere (the copy ended or was given up). */
    public void endCheckpointCopy() {
        checkpointFloor = Long.MAX_VALUE;
        if (tiers != null) {
            tiers.wakeMover().run();
        }
    }

    /**
     * Gives a new, empty log the shape a checkpoint froze: {@code [begin, head)} is cold (the
     * cold log restores its blocks itself), {@code [head, end)} comes back as read-only pages
     * through {@link #restorePage}, and new records go after {@code end}, from the next page on
     * when {@code end} falls inside a page.
     */
    public void restore(Frozen frozen) {
        if (tailFrame != null || tiers == null) {
            throw new IllegalStateException("only a new tiered log can be restored");
        }
        long end = frozen.end();
        long tail = (end & (pageSize - 1)) == 0 || end == frozen.head() ? end : addressOf(seqOf(end) + 1, 0);
        beginAddress = frozen.begin();
        headAddress = frozen.head();
        readOnlyAddress = tail;
        safeReadOnlyAddress = tail;
        tailAddress = tail;
        framesFreedBelow = seqOf(frozen.head());
        logBytes.set(frozen.logBytes());
    }

    /** The memory of a restored page, {@code length} bytes of records, to fill before the log is used. */
    public MemorySegment restorePage(long seq, int pages, long length) {
        if (pages < 1 || length < 0 || length > ((long) pages << pageBits)
                || addressOf(seq + pages, 0) <= headAddress || addressOf(seq, 0) < pageStart(headAddress)
                || addressOf(seq + pages, 0) > addressOf(seqOf(tailAddress - 1) + 1, 0)) {
            throw new IllegalArgumentException("page " + seq + " (" + pages + " pages, " + length
                    + " bytes) lies outside the restored log");
        }
        Frame frame = newFrame(seq, pages, true);
        frame.end = length;
        return frame.memory;
    }

    // ---- accounting ----

    /** Bytes of records between begin and tail (live and dead), in every region. */
    public long logBytes() {
        return logBytes.get();
    }

    /** Bytes of off-heap memory the log holds (pages in use, retired and pooled; not warm slots). */
    public long memoryBytes() {
        return memoryBytes.get();
    }

    /** Bytes of pages in memory from head to the tail (off-heap or warm): what the mover could still move. */
    public long inMemoryBytes() {
        return reservedBytes.get();
    }

    /** Bytes of warm ring slots holding pages. */
    public long warmBytes() {
        return warmBytes.get();
    }

    /** Bytes of the mutable region (whole pages from readOnly to the tail page). */
    public long mutableBytes() {
        Frame tail = tailFrame;
        if (tail == null) {
            return 0;
        }
        return Math.max(0, (tail.seq + tail.pages - seqOf(readOnlyAddress)) << pageBits);
    }

    /** Frees every page immediately. Only when no reader can be active (store closed). */
    @Override
    public void close() {
        closed = true;
        countMutablePages();
        Frame[] f = frames;
        Frame last = null;
        synchronized (pool) {
            for (int i = 0; i < f.length; i++) {
                Frame frame = f[i];
                if (frame != null && frame != last && !frame.warm() && frame.arena.scope().isAlive()) {
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
            memoryBytes.set(0);
            budget.release(reservedBytes.getAndSet(0));
        }
        if (tiers != null) {
            tiers.cold().close();
            if (tiers.ring() != null) {
                tiers.ring().close();
            }
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
        logBytes.set(0);
        countMutablePages();
    }
}
