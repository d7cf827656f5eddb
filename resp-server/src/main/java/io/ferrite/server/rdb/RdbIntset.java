package io.ferrite.server.rdb;

/**
 * Redis's intset (intset.c), the blob inside a SET_INTSET payload: the width of every element
 * in bytes (2, 4 or 8) as u32 LE, the element count as u32 LE, then the elements as
 * little-endian signed integers of that width, strictly ascending.
 */
final class RdbIntset {
    private static final int HEADER = 8;

    private RdbIntset() {}

    /** The narrowest intset width that holds {@code v} ({@code _intsetValueEncoding}). */
    static int widthFor(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 2;
        }
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 4 : 8;
    }

    /**
     * The intset of {@code values[0, count)}, which must be strictly ascending and fit
     * {@code width}. The width is kept as given even when the values need less: Redis never
     * narrows an intset, and a DUMP must show the width it has.
     */
    static byte[] encode(int width, long[] values, int count) {
        if (width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("intset width " + width);
        }
        byte[] blob = new byte[HEADER + count * width];
        Listpack.putLittleEndian(blob, 0, width, 4);
        Listpack.putLittleEndian(blob, 4, count, 4);
        for (int i = 0; i < count; i++) {
            if (i > 0 && values[i] <= values[i - 1]) {
                throw new IllegalArgumentException("intset values must be strictly ascending");
            }
            if (widthFor(values[i]) > width) {
                throw new IllegalArgumentException(values[i] + " does not fit an intset of width " + width);
            }
            Listpack.putLittleEndian(blob, HEADER + i * width, values[i], width);
        }
        return blob;
    }

    /**
     * Validates {@code blob} as {@code intsetValidateIntegrity} does with deep checking (a known
     * width, a count that matches the size, not empty, strictly ascending), appends its
     * elements to {@code out} as decimal text and returns its width. Redis skips the ordering
     * check unless sanitize-dump-payload is on; Ferrite always makes it, because a disordered
     * intset breaks every lookup afterwards.
     */
    static int decode(byte[] blob, RdbCollections.Elements out) throws RdbFormatException {
        if (blob.length < HEADER) {
            throw new RdbFormatException("intset shorter than its header");
        }
        long width = Listpack.littleEndian(blob, 0, 4);
        if (width != 2 && width != 4 && width != 8) {
            throw new RdbFormatException("intset width " + width);
        }
        long count = Listpack.littleEndian(blob, 4, 4);
        if (HEADER + count * width != blob.length) {
            throw new RdbFormatException("intset of " + count + " elements in " + blob.length + " bytes");
        }
        if (count == 0) {
            throw new RdbFormatException("empty intset");
        }
        int w = (int) width;
        long previous = 0;
        for (int i = 0; i < count; i++) {
            // Sign-extend the little-endian value from its width.
            long v = Listpack.littleEndian(blob, HEADER + i * w, w) << (64 - 8 * w) >> (64 - 8 * w);
            if (i > 0 && v <= previous) {
                throw new RdbFormatException("intset not strictly ascending");
            }
            out.addInteger(v);
            previous = v;
        }
        return w;
    }
}
