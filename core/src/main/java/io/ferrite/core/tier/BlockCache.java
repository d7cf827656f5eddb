package io.ferrite.core.tier;

import java.lang.foreign.MemorySegment;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * Decompressed cold blocks, by block address, bounded in bytes, with CLOCK eviction (a block
 * read since the hand last passed it gets a second chance). Blocks are heap {@code byte[]}
 * arrays: a reader that still holds an evicted block keeps it alive, so eviction needs no
 * epoch protection. Lookups are lock-free; one thread at a time evicts.
 */
public final class BlockCache {
    private static final class Entry {
        final MemorySegment block;
        volatile boolean referenced = true;

        Entry(MemorySegment block) {
            this.block = block;
        }
    }

    private final ConcurrentHashMap<Long, Entry> blocks = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final ReentrantLock evicting = new ReentrantLock();
    private final LongConsumer accounting;
    private final long capacity;
    private Iterator<Map.Entry<Long, Entry>> hand;

    /**
     * @param capacity   bytes of blocks kept at most (approximately: one insert may overshoot)
     * @param accounting told of every change of the cached bytes (positive: added)
     */
    public BlockCache(long capacity, LongConsumer accounting) {
        this.capacity = capacity;
        this.accounting = accounting;
    }

    /** The cached block starting at {@code address}, or null. */
    public MemorySegment get(long address) {
        Entry e = blocks.get(address);
        if (e == null) {
            return null;
        }
        if (!e.referenced) {
            e.referenced = true;
        }
        return e.block;
    }

    /** Adds a block (replacing none: the first copy read wins), evicting others as needed. */
    public MemorySegment put(long address, MemorySegment block) {
        Entry fresh = new Entry(block);
        Entry existing = blocks.putIfAbsent(address, fresh);
        if (existing != null) {
            return existing.block;
        }
        long size = block.byteSize();
        bytes.addAndGet(size);
        accounting.accept(size);
        if (bytes.get() > capacity) {
            evict();
        }
        return block;
    }

    private void evict() {
        if (!evicting.tryLock()) {
            return; // someone else is making room
        }
        try {
            int scanned = 0;
            int limit = 2 * blocks.size() + 2;
            while (bytes.get() > capacity && scanned++ < limit) {
                if (hand == null || !hand.hasNext()) {
                    hand = blocks.entrySet().iterator();
                    if (!hand.hasNext()) {
                        return;
                    }
                }
                Map.Entry<Long, Entry> candidate = hand.next();
                Entry e = candidate.getValue();
                if (e.referenced) {
                    e.referenced = false;
                } else if (blocks.remove(candidate.getKey(), e)) {
                    release(e);
                }
            }
        } finally {
            evicting.unlock();
        }
    }

    private void release(Entry e) {
        long size = e.block.byteSize();
        bytes.addAndGet(-size);
        accounting.accept(-size);
    }

    /** Drops every block whose address is below {@code address} (the log was truncated). */
    public void dropBelow(long address) {
        for (Map.Entry<Long, Entry> e : blocks.entrySet()) {
            if (e.getKey() < address && blocks.remove(e.getKey(), e.getValue())) {
                release(e.getValue());
            }
        }
    }

    /** Drops every block. */
    public void clear() {
        dropBelow(Long.MAX_VALUE);
    }

    /** Bytes of blocks held. */
    public long bytes() {
        return bytes.get();
    }

}
