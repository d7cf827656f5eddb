package io.ferrite.core.tier;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongConsumer;

/**
 * Decompressed cold blocks, by block address: a two-way set-associative table sized to hold
 * {@code capacity} bytes of blocks of the usual size. A block goes to one of the two slots of
 * its set; when both are taken, the one not read since the last replacement there is replaced
 * (a CLOCK bit per slot). Lookups and inserts are lock-free and allocate one small entry per
 * insert: no map nodes, no boxed keys, no eviction scans on the read path.
 *
 * <p>Blocks are heap {@code byte[]} arrays: a reader that still holds a replaced block keeps it
 * alive, so replacement needs no epoch protection. Blocks larger than the usual size (a record
 * that fills more than a block) can push the total above {@code capacity}; then other slots
 * are emptied until it fits again.
 */
public final class BlockCache {
    private static final int MAX_SLOTS = 1 << 20;
    /** Slots when the capacity is unbounded (no maxmemory): 256 MiB of 4 KiB blocks. */
    private static final int UNBOUNDED_SLOTS = 1 << 16;

    private static final class Entry {
        final long address;
        final MemorySegment block;
        volatile boolean referenced;

        Entry(long address, MemorySegment block) {
            this.address = address;
            this.block = block;
        }
    }

    private final AtomicReferenceArray<Entry> slots;
    private final int setMask;
    private final AtomicLong bytes = new AtomicLong();
    private final LongConsumer accounting;
    private final long capacity;
    private int hand;

    /**
     * @param capacity   bytes of blocks kept at most ({@code Long.MAX_VALUE}: no bound)
     * @param blockSize  the usual size of a decompressed block
     * @param accounting told of every change of the cached bytes (positive: added)
     */
    public BlockCache(long capacity, int blockSize, LongConsumer accounting) {
        this.capacity = capacity;
        this.accounting = accounting;
        long wanted = capacity == Long.MAX_VALUE ? UNBOUNDED_SLOTS : Math.min(MAX_SLOTS, capacity / Math.max(1, blockSize));
        int count = wanted < 2 ? 0 : Integer.highestOneBit((int) wanted);
        this.slots = new AtomicReferenceArray<>(count);
        this.setMask = count / 2 - 1;
    }

    private int set(long address) {
        long mixed = address * 0x9E3779B97F4A7C15L;
        return ((int) (mixed >>> 32) & setMask) << 1;
    }

    /** The cached block starting at {@code address}, or null. */
    public MemorySegment get(long address) {
        if (slots.length() == 0) {
            return null;
        }
        int first = set(address);
        for (int i = first; i < first + 2; i++) {
            Entry e = slots.get(i);
            if (e != null && e.address == address) {
                if (!e.referenced) {
                    e.referenced = true;
                }
                return e.block;
            }
        }
        return null;
    }

    /** Adds a block (unless its set already holds it: then that copy is returned). */
    public MemorySegment put(long address, MemorySegment block) {
        if (slots.length() == 0) {
            return block;
        }
        int first = set(address);
        Entry a = slots.get(first);
        Entry b = slots.get(first + 1);
        if (a != null && a.address == address) {
            return a.block;
        }
        if (b != null && b.address == address) {
            return b.block;
        }
        int victim;
        if (a == null || (b != null && !a.referenced)) {
            victim = first;
        } else if (b == null || !b.referenced) {
            victim = first + 1;
        } else {
            // Both read lately: give both a second chance and take one by the address's bits.
            a.referenced = false;
            b.referenced = false;
            victim = first + (int) ((address >>> 12) & 1);
        }
        long size = block.byteSize();
        bytes.addAndGet(size);
        accounting.accept(size);
        release(slots.getAndSet(victim, new Entry(address, block)));
        if (bytes.get() > capacity) {
            shrink(victim);
        }
        return block;
    }

    private void release(Entry e) {
        if (e != null) {
            long size = e.block.byteSize();
            bytes.addAndGet(-size);
            accounting.accept(-size);
        }
    }

    /** Empties slots (other than {@code keep}) until the blocks fit the capacity again. */
    private void shrink(int keep) {
        int n = slots.length();
        for (int scanned = 0; scanned < n && bytes.get() > capacity; scanned++) {
            int i = hand = (hand + 1) & (n - 1);
            Entry e = slots.get(i);
            if (i != keep && e != null && slots.compareAndSet(i, e, null)) {
                release(e);
            }
        }
    }

    /** Drops every block whose address is below {@code address} (the log was truncated). */
    public void dropBelow(long address) {
        for (int i = 0; i < slots.length(); i++) {
            Entry e = slots.get(i);
            if (e != null && e.address < address && slots.compareAndSet(i, e, null)) {
                release(e);
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
