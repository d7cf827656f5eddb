package io.ferrite.core.api;

import java.util.Objects;

/**
 * A whole collection to write under a key (RESTORE, DEBUG RELOAD), decoded beforehand: its type,
 * the encoding it must get, and its elements in order as ranges of one byte array (a set member
 * per element; a hash field, then its value). The caller has checked it (no duplicates, not
 * empty); the engine writes it as it is.
 *
 * @param type        HASH or SET
 * @param encoding    the encoding it gets: {@link Encoding#PACKED} (Redis's listpack hash or
 *                    intset) or {@link Encoding#TABLE} (Redis's hashtable)
 * @param intsetWidth for a packed set of integers, its width in bytes (2, 4 or 8); 0 otherwise,
 *                    and then a packed set holds strings
 * @param data        the elements' bytes
 * @param starts      where each element starts in {@code data}
 * @param ends        where each element ends
 * @param count       number of elements used ({@code starts} and {@code ends} may be longer)
 */
public record CollectionImage(ValueType type, Encoding encoding, int intsetWidth, byte[] data, int[] starts, int[] ends,
                              int count) {
    /** How an image is to be stored. */
    public enum Encoding { PACKED, TABLE }

    public CollectionImage {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(encoding, "encoding");
        if (type != ValueType.HASH && type != ValueType.SET) {
            throw new IllegalArgumentException("a collection image is a hash or a set, not " + type);
        }
        if (count <= 0 || (type == ValueType.HASH && count % 2 != 0)) {
            throw new IllegalArgumentException("a collection image needs elements (and pairs for a hash)");
        }
    }
}
