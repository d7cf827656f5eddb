package io.ferrite.core.api;

import java.lang.foreign.MemorySegment;

/**
 * Receives a key's whole value as it is stored, for DUMP and DEBUG RELOAD: either a string, or
 * a collection announced by {@link #collection} and then its elements in storage order
 * (insertion order for a packed hash, ascending for an intset, head to tail for a list, by score
 * for a sorted set). Views are valid only during each call.
 */
public interface ValueExport {
    /** The value is a string. */
    void string(MemorySegment source, long offset, long length);

    /**
     * The value is a collection of {@code type}, which Redis's OBJECT ENCODING calls
     * {@code encoding}, with {@code count} elements; for an intset, {@code intsetWidth} is its
     * width in bytes (2, 4 or 8), otherwise 0.
     */
    void collection(ValueType type, String encoding, long count, int intsetWidth);

    /** A set member or a list element. */
    void member(MemorySegment source, long offset, long length);

    /** A hash field and its value, or a sorted-set member and its score as Redis 7.0 prints it ("%.17g"). */
    void entry(MemorySegment field, long fieldOffset, long fieldLength, MemorySegment value, long valueOffset, long valueLength);
}
