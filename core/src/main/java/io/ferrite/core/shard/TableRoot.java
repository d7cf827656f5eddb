package io.ferrite.core.shard;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The value of a key whose collection is table-encoded: which collection it is and how big.
 * The elements live in chunk records of the shard's {@link PartStore}; this root is all the
 * key's own record holds, so an update touches the root and one chunk, DEL touches the root
 * and the collection's marker, and RENAME within the shard copies 32 bytes.
 *
 * <pre>
 * offset 0   long  collection id (unique in the shard, never reused)
 * offset 8   long  element count
 * offset 16  int   chunks (linear hashing: elements are spread over chunks 0..chunks-1)
 * offset 20  int   reserved (0)
 * offset 24  long  bytes of the collection's part records (chunks and marker), allocated
 * </pre>
 */
public final class TableRoot {
    public static final int SIZE = 32;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private TableRoot() {}

    public static long collectionId(MemorySegment value, long offset) {
        return value.get(LONG, offset);
    }

    public static long count(MemorySegment value, long offset) {
        return value.get(LONG, offset + 8);
    }

    public static int chunks(MemorySegment value, long offset) {
        return value.get(INT, offset + 16);
    }

    public static long partBytes(MemorySegment value, long offset) {
        return value.get(LONG, offset + 24);
    }

    /** Writes a root value at {@code value[offset]}. */
    public static void write(MemorySegment value, long offset, long collectionId, long count, int chunks, long partBytes) {
        value.set(LONG, offset, collectionId);
        value.set(LONG, offset + 8, count);
        value.set(INT, offset + 16, chunks);
        value.set(INT, offset + 20, 0);
        value.set(LONG, offset + 24, partBytes);
    }
}
