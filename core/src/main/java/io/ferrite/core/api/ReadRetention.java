package io.ferrite.core.api;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The cold blocks read for one command while it waits on {@link DiskReadPending}, kept until
 * the command completes. A command that needs many cold blocks (a SCAN step, an MGET of many
 * cold keys) is run again after each read; without this, blocks read for its earlier attempts
 * could be evicted from the shared cache before the attempt that needs them all, and the
 * command would never finish. A door keeps one per connection and installs it with
 * {@link DiskReads#retainInto} around each attempt; it holds at most what one command reads.
 */
public final class ReadRetention {
    /**
     * Bytes kept at most: a command that reads more than this (KEYS over a huge cold keyspace)
     * relies on the shared cache for the rest instead of holding everything on the heap.
     */
    static final long MAX_BYTES = 32L << 20;

    private record Kept(Object owner, long address, MemorySegment block) {}

    private final List<Kept> kept = new ArrayList<>();
    private long bytes;
    /**
     * Blocks kept, readable without the lock: almost every command finds none, and looks on
     * every cold block it misses. An add made by the I/O thread is seen by the re-run because
     * the re-run is scheduled after the add completes.
     */
    private volatile int count;
    private volatile boolean overflowed;

    /** Keeps {@code block} (the block at {@code address} of {@code owner}, a cold log), within the cap. */
    public synchronized void add(Object owner, long address, MemorySegment block) {
        if (bytes + block.byteSize() <= MAX_BYTES) {
            kept.add(new Kept(owner, address, block));
            bytes += block.byteSize();
            count = kept.size();
        } else {
            overflowed = true;
        }
    }

    /**
     * True when a block was refused for lack of room since the last {@link #clear()}: the
     * command needs more cold data at once than is kept, so retrying it fail-fast may never
     * finish, and the caller should run it once with waiting allowed instead.
     */
    public boolean overflowed() {
        return overflowed;
    }

    /** The kept block at {@code address} of {@code owner}, or null. */
    public MemorySegment find(Object owner, long address) {
        if (count == 0) {
            return null;
        }
        synchronized (this) {
            for (Kept k : kept) {
                if (k.address == address && k.owner == owner) {
                    return k.block;
                }
            }
            return null;
        }
    }

    /** Forgets every block (the command completed). */
    public synchronized void clear() {
        overflowed = false;
        if (!kept.isEmpty()) {
            kept.clear();
            bytes = 0;
            count = 0;
        }
    }
}
