package io.ferrite.core.tier;

import java.util.Arrays;

/**
 * Where each cold block lives: for block {@code i}, the logical address of its first record,
 * its raw length, and its file location (segment number and byte offset) and stored length.
 * Blocks are appended in address order, so lookups are binary searches.
 *
 * <p>Readers are lock-free: they read an immutable {@link View} (arrays plus the range in use)
 * published through a volatile field. Appends write past the end of the current view's range
 * and then publish a new view; trimming copies to new arrays. Writers synchronize on this.
 */
public final class BlockDirectory {
    /** One consistent state of the directory. Entries {@code [first, count)} are valid. */
    private record View(long[] address, long[] location, int[] stored, int[] raw, int first, int count) {}

    private volatile View view = new View(new long[64], new long[64], new int[64], new int[64], 0, 0);

    /** Packs a segment number and a file offset. */
    public static long location(long segment, long fileOffset) {
        return segment << 40 | fileOffset;
    }

    public static long segmentOf(long location) {
        return location >>> 40;
    }

    public static long fileOffsetOf(long location) {
        return location & ((1L << 40) - 1);
    }

    /** Appends a block whose address is above every block already present. */
    public synchronized void append(long address, int rawLength, long location, int storedLength) {
        View v = view;
        if (v.count > v.first && address < v.address[v.count - 1] + v.raw[v.count - 1]) {
            throw new IllegalArgumentException("block at " + address + " overlaps the previous block");
        }
        if (v.count == v.address.length) {
            int live = v.count - v.first;
            int capacity = Math.max(64, live * 2);
            v = new View(copy(v.address, v.first, live, capacity), copy(v.location, v.first, live, capacity),
                    copy(v.stored, v.first, live, capacity), copy(v.raw, v.first, live, capacity), 0, live);
        }
        v.address[v.count] = address;
        v.location[v.count] = location;
        v.stored[v.count] = storedLength;
        v.raw[v.count] = rawLength;
        view = new View(v.address, v.location, v.stored, v.raw, v.first, v.count + 1);
    }

    /**
     * Forgets every block that ends at or below {@code address}.
     *
     * @return the raw bytes of the blocks forgotten
     */
    public synchronized long trimBelow(long address) {
        View v = view;
        int first = v.first;
        long raw = 0;
        while (first < v.count && v.address[first] + v.raw[first] <= address) {
            raw += v.raw[first];
            first++;
        }
        if (first == v.first) {
            return 0;
        }
        int live = v.count - first;
        if (first > v.address.length / 2) {
            int capacity = Math.max(64, live * 2);
            view = new View(copy(v.address, first, live, capacity), copy(v.location, first, live, capacity),
                    copy(v.stored, first, live, capacity), copy(v.raw, first, live, capacity), 0, live);
        } else {
            view = new View(v.address, v.location, v.stored, v.raw, first, v.count);
        }
        return raw;
    }

    /** Forgets every block. */
    public synchronized void clear() {
        view = new View(new long[64], new long[64], new int[64], new int[64], 0, 0);
    }

    private static long[] copy(long[] a, int from, int length, int capacity) {
        return Arrays.copyOf(Arrays.copyOfRange(a, from, from + length), capacity);
    }

    private static int[] copy(int[] a, int from, int length, int capacity) {
        return Arrays.copyOf(Arrays.copyOfRange(a, from, from + length), capacity);
    }

    /**
     * The block holding {@code address}, as a {@link Block}, or null when no block covers it.
     * Allocates one small object: cold lookups only.
     */
    public Block find(long address) {
        View v = view;
        int lo = v.first;
        int hi = v.count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (v.address[mid] <= address) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (hi < v.first || address >= v.address[hi] + v.raw[hi]) {
            return null;
        }
        return new Block(v.address[hi], v.raw[hi], v.location[hi], v.stored[hi]);
    }

    /** The first block at or above {@code address}, or null. */
    public Block firstAtOrAbove(long address) {
        View v = view;
        int lo = v.first;
        int hi = v.count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (v.address[mid] + v.raw[mid] <= address) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < v.count ? new Block(v.address[lo], v.raw[lo], v.location[lo], v.stored[lo]) : null;
    }

    /** Bytes of heap the directory's arrays take (24 per block slot). */
    public long memoryBytes() {
        return (long) view.address.length * ENTRY_BYTES;
    }

    private static final int ENTRY_BYTES = 2 * Long.BYTES + 2 * Integer.BYTES;

    /** Number of blocks known. */
    public int size() {
        View v = view;
        return v.count - v.first;
    }

    /** One block's entry. */
    public record Block(long address, int rawLength, long location, int storedLength) {
        public long end() {
            return address + rawLength;
        }

        public long segment() {
            return segmentOf(location);
        }

        public long fileOffset() {
            return fileOffsetOf(location);
        }
    }
}
