package io.ferrite.core.collection;

/**
 * Linear hashing over a table's chunks: with {@code n} chunks and {@code h} the largest power
 * of two not above {@code n}, an element with hash {@code e} lives in chunk {@code e & (2h-1)},
 * or in that minus {@code h} when the result is not below {@code n}. Growing to {@code n + 1}
 * splits exactly one chunk ({@code n - h}): the elements of it whose {@code e & (2h-1)} is
 * {@code n} move to the new chunk. So a split costs one chunk's rewrite whatever the table's
 * size, and no step ever touches more.
 *
 * <p>Scans run over a virtual power-of-two table ({@link #scanMask}), in which a virtual chunk
 * not split off yet is read from its parent, keeping only its own elements: as in Redis's
 * {@code dictScan}, the virtual table only ever doubles, so a reverse-binary cursor visits
 * every element present for the whole scan.
 */
public final class Chunks {
    private Chunks() {}

    /** The chunk of an element with hash {@code e} in a table of {@code n} chunks. */
    public static int of(long e, int n) {
        long high = Integer.highestOneBit(n);
        long c = e & ((high << 1) - 1);
        return (int) (c < n ? c : c - high);
    }

    /** The chunk split when a table of {@code n} chunks grows to {@code n + 1}. */
    public static int splitSource(int n) {
        return n - Integer.highestOneBit(n);
    }

    /** The mask an element's hash is compared under when a table of {@code n} chunks splits. */
    public static long splitMask(int n) {
        return ((long) Integer.highestOneBit(n) << 1) - 1;
    }

    /** Mask of the virtual table scans iterate: the next power of two at or above {@code n}, minus one. */
    public static long scanMask(int n) {
        return n <= 1 ? 0 : (Long.highestOneBit(n - 1) << 1) - 1;
    }

    /** The chunk holding virtual chunk {@code v} (of a table of {@code n} chunks). */
    public static int physical(long v, int n) {
        long high = Integer.highestOneBit(n);
        return (int) (v < n ? v : v - high);
    }

    /** Reverse-binary increment of a scan cursor over a virtual table of {@code mask + 1} chunks. */
    public static long nextCursor(long cursor, long mask) {
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }
}
