package io.ferrite.core.tier;

import java.util.Arrays;

/**
 * Where each cold block lives: for each block, the logical address of its first record, its
 * raw length, and its file location (segment number and byte offset) and stored length.
 * Blocks are appended in address order. A lookup binary-searches the chunks' first addresses
 * (one small array), then guesses the block's position in its chunk by interpolation (blocks
 * have about the configured block size, so the guess is a few blocks off at most) and gallops
 * from there: a handful of probes in one chunk instead of a dozen cache-missing halvings.
 *
 * <p>Blocks are kept in chunks of up to 4096; a chunk stores its first block's address and
 * file location in full and every block as four 32-bit numbers (address and file offset
 * relative to those, raw and stored length): 16 bytes a block, and memory grows a chunk at a
 * time, never by doubling. A chunk ends early when a block lies in another segment file or too
 * far for a 32-bit offset.
 *
 * <p>Readers are lock-free: they read an immutable {@link View} (the chunks plus the range in
 * use) published through a volatile field. Appends write past the end of the current view's
 * range and then publish a new view; trimming drops whole chunks. Writers synchronize on this.
 */
public final class BlockDirectory {
    private static final int MAX_CHUNK = 4096;
    private static final int FIRST_CHUNK = 64;
    private static final long MAX_OFFSET = 0xFFFF_FFFFL;

    /**
     * Up to {@code capacity} blocks sharing a base address and a base file location. The
     * blocks' addresses are one array (what a search probes, sixteen to a cache line); each
     * block's file offset and lengths sit side by side in another, so the block found is
     * read from one more cache line.
     */
    private static final class Chunk {
        private static final int STRIDE = 3;
        private static final int FILE_OFFSET = 0;
        private static final int RAW = 1;
        private static final int STORED = 2;

        final long baseAddress;
        final long baseLocation;
        private final int[] addressOffset;
        private final int[] details;
        /** Blocks written (by the writer); readers use it only once the chunk is not the last. */
        int count;

        Chunk(long baseAddress, long baseLocation, int capacity) {
            this.baseAddress = baseAddress;
            this.baseLocation = baseLocation;
            this.addressOffset = new int[capacity];
            this.details = new int[capacity * STRIDE];
        }

        int capacity() {
            return addressOffset.length;
        }

        void set(int i, long address, long location, int rawLength, int storedLength) {
            addressOffset[i] = (int) (address - baseAddress);
            int at = i * STRIDE;
            details[at + FILE_OFFSET] = (int) (location - baseLocation);
            details[at + RAW] = rawLength;
            details[at + STORED] = storedLength;
        }

        long address(int i) {
            return baseAddress + (addressOffset[i] & MAX_OFFSET);
        }

        int raw(int i) {
            return details[i * STRIDE + RAW];
        }

        long end(int i) {
            return address(i) + raw(i);
        }

        long location(int i) {
            return baseLocation + (details[i * STRIDE + FILE_OFFSET] & MAX_OFFSET);
        }

        Block block(int i) {
            return new Block(address(i), raw(i), location(i), details[i * STRIDE + STORED]);
        }

        long bytes() {
            return (long) (addressOffset.length + details.length) * Integer.BYTES;
        }
    }

    /**
     * One consistent state: the chunks, the address of each chunk's first block (in use or not;
     * shared between views until the chunks change), the first block in use in the first chunk,
     * and the number of blocks in use in the last chunk.
     */
    private record View(Chunk[] chunks, long[] starts, int first, int lastCount) {
        int from(int chunk) {
            return chunk == 0 ? first : 0;
        }

        int to(int chunk) {
            return chunk == chunks.length - 1 ? lastCount : chunks[chunk].count;
        }
    }

    private static final View EMPTY = new View(new Chunk[0], new long[0], 0, 0);

    private volatile View view = EMPTY;
    private long bytes;
    private int chunksMade;

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
        Chunk[] chunks = v.chunks;
        long[] starts = v.starts;
        int last = chunks.length - 1;
        Chunk chunk = last < 0 ? null : chunks[last];
        int n = v.lastCount;
        if (chunk != null && address < chunk.end(n - 1)) {
            throw new IllegalArgumentException("block at " + address + " overlaps the previous block");
        }
        if (chunk == null || n == chunk.capacity() || segmentOf(location) != segmentOf(chunk.baseLocation)
                || address - chunk.baseAddress > MAX_OFFSET || location - chunk.baseLocation > MAX_OFFSET
                || location < chunk.baseLocation) {
            if (chunk != null) {
                chunk.count = n;
            }
            chunk = new Chunk(address, location, Math.min(MAX_CHUNK, FIRST_CHUNK << Math.min(chunksMade++, 6)));
            bytes += chunk.bytes();
            chunks = Arrays.copyOf(chunks, chunks.length + 1);
            chunks[chunks.length - 1] = chunk;
            starts = Arrays.copyOf(starts, starts.length + 1);
            starts[starts.length - 1] = address;
            n = 0;
        }
        chunk.set(n, address, location, rawLength, storedLength);
        chunk.count = n + 1;
        view = new View(chunks, starts, v.first, n + 1);
    }

    /**
     * Forgets every block that ends at or below {@code address}.
     *
     * @return the raw bytes of the blocks forgotten
     */
    public synchronized long trimBelow(long address) {
        View v = view;
        Chunk[] chunks = v.chunks;
        int c = 0;
        int i = v.first;
        long raw = 0;
        while (c < chunks.length) {
            int to = v.to(c);
            while (i < to && chunks[c].end(i) <= address) {
                raw += chunks[c].raw(i);
                i++;
            }
            if (i < to) {
                break;
            }
            c++;
            i = 0;
        }
        if (raw == 0) {
            return 0;
        }
        if (c == chunks.length) {
            view = EMPTY;
        } else {
            int lastCount = v.lastCount;
            view = new View(Arrays.copyOfRange(chunks, c, chunks.length), Arrays.copyOfRange(v.starts, c, chunks.length), i, lastCount);
        }
        for (int k = 0; k < c; k++) {
            bytes -= chunks[k].bytes();
        }
        return raw;
    }

    /** Forgets every block. */
    public synchronized void clear() {
        view = EMPTY;
        bytes = 0;
        chunksMade = 0;
    }

    /**
     * The block holding {@code address}, as a {@link Block}, or null when no block covers it.
     * Allocates one small object: cold lookups only.
     */
    public Block find(long address) {
        View v = view;
        // The last chunk whose first block starts at or below the address (a block of the
        // first chunk already trimmed is caught below: it is before the first in use)...
        int c = Arrays.binarySearch(v.starts, address);
        if (c < 0) {
            c = -c - 2;
        }
        if (c < 0) {
            return null;
        }
        // ...and in it the last block that starts at or below it.
        Chunk chunk = v.chunks[c];
        int from = v.from(c);
        int to = v.to(c) - 1;
        if (to < from) {
            return null;
        }
        int i = floorIndex(chunk, from, to, address);
        if (i < from || address >= chunk.end(i)) {
            return null;
        }
        return chunk.block(i);
    }

    /**
     * The last index in {@code [from, to]} whose block starts at or below {@code address}, or
     * {@code from - 1}: an interpolated guess, then galloping to bracket the answer, then a
     * binary search inside the bracket. Block sizes vary (a big record makes a big block), so the
     * guess may be far off; galloping keeps that case logarithmic.
     */
    private static int floorIndex(Chunk chunk, int from, int to, long address) {
        long first = chunk.address(from);
        long last = chunk.address(to);
        if (address < first) {
            return from - 1;
        }
        if (address >= last) {
            return to;
        }
        // first <= address < last, so from < to and the guess lands in [from, to - 1].
        int guess = from + (int) ((address - first) * (to - from) / (last - first));
        int low;
        int high;
        if (chunk.address(guess) <= address) {
            // The answer is in [guess, to - 1]: gallop up until a block starts above the address.
            low = guess;
            int step = 1;
            high = guess + 1;
            while (high < to && chunk.address(high) <= address) {
                low = high;
                step <<= 1;
                high = Math.min(to, low + step);
            }
            high--; // chunk.address(high + 1) > address, and the answer is in [low, high]
        } else {
            // The answer is in [from, guess - 1]: gallop down until a block starts at or below it.
            high = guess - 1;
            int step = 1;
            low = guess - 1;
            while (low > from && chunk.address(low) > address) {
                high = low - 1;
                step <<= 1;
                low = Math.max(from, low - step);
            }
        }
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (chunk.address(mid) <= address) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /** The first block that ends above {@code address}, or null. */
    public Block firstAtOrAbove(long address) {
        View v = view;
        Chunk[] chunks = v.chunks;
        // The first chunk whose last block ends above the address...
        int lo = 0;
        int hi = chunks.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (chunks[mid].end(v.to(mid) - 1) <= address) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == chunks.length) {
            return null;
        }
        // ...and in it the first such block.
        Chunk chunk = chunks[lo];
        int low = v.from(lo);
        int high = v.to(lo);
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (chunk.end(mid) <= address) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return chunk.block(low);
    }

    /** Calls {@code action} with every block, in address order. */
    public void forEach(java.util.function.Consumer<Block> action) {
        View v = view;
        for (int c = 0; c < v.chunks.length; c++) {
            for (int i = v.from(c); i < v.to(c); i++) {
                action.accept(v.chunks[c].block(i));
            }
        }
    }

    /** Bytes of heap the directory takes (16 per block slot of its chunks). */
    public synchronized long memoryBytes() {
        return bytes;
    }

    /** Number of blocks known. */
    public int size() {
        View v = view;
        int total = 0;
        for (int c = 0; c < v.chunks.length; c++) {
            total += v.to(c) - v.from(c);
        }
        return total;
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
