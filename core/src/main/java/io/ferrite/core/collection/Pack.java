package io.ferrite.core.collection;

import io.ferrite.core.log.RecordLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Packed elements: a run of strings, each a LEB128 length followed by its bytes, with no
 * header and no per-element object. A set member is one string, a hash entry two (field,
 * value). Small collections keep their whole value this way (Redis's listpack: insertion order,
 * one byte of overhead per short string), and so does every chunk of a large one.
 *
 * <p>All offsets are absolute within the segment; a pack is the range {@code [from, end)}.
 */
public final class Pack {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private Pack() {}

    /** Length of the string at {@code at}. */
    public static long length(MemorySegment pack, long at) {
        return RecordLayout.readVarint(pack, at) >>> 4;
    }

    /** Offset of the bytes of the string at {@code at}. */
    public static long data(MemorySegment pack, long at) {
        return at + (RecordLayout.readVarint(pack, at) & 0xF);
    }

    /** Offset just after the string at {@code at}. */
    public static long next(MemorySegment pack, long at) {
        long v = RecordLayout.readVarint(pack, at);
        return at + (v & 0xF) + (v >>> 4);
    }

    /** Offset just after the entry of {@code arity} strings at {@code at}. */
    public static long nextEntry(MemorySegment pack, long at, int arity) {
        long p = next(pack, at);
        return arity == 2 ? next(pack, p) : p;
    }

    /** Bytes a string of {@code length} bytes takes in a pack. */
    public static long sizeOf(long length) {
        return RecordLayout.varintSize(length) + length;
    }

    /** Writes {@code length} bytes of {@code src[offset]} as a string at {@code at}; returns the offset after it. */
    public static long write(MemorySegment pack, long at, MemorySegment src, long offset, long length) {
        int width = RecordLayout.varintSize(length);
        RecordLayout.writeVarint(pack, at, length, width);
        MemorySegment.copy(src, offset, pack, at + width, length);
        return at + width + length;
    }

    /** True when the string at {@code at} equals {@code key[keyOffset, +keyLength)}. */
    public static boolean equals(MemorySegment pack, long at, MemorySegment key, long keyOffset, long keyLength) {
        long v = RecordLayout.readVarint(pack, at);
        if ((v >>> 4) != keyLength) {
            return false;
        }
        long data = at + (v & 0xF);
        if (keyLength < Long.BYTES) {
            for (long i = 0; i < keyLength; i++) {
                if (pack.get(ValueLayout.JAVA_BYTE, data + i) != key.get(ValueLayout.JAVA_BYTE, keyOffset + i)) {
                    return false;
                }
            }
            return true;
        }
        // Fields often share a prefix ("user:1234"), so the last word rejects first; up to 16
        // bytes the first and last words cover the whole string, and a bulk compare costs more.
        long last = keyLength - Long.BYTES;
        if (pack.get(LONG, data + last) != key.get(LONG, keyOffset + last)) {
            return false;
        }
        if (keyLength <= 2 * Long.BYTES) {
            return pack.get(LONG, data) == key.get(LONG, keyOffset);
        }
        return MemorySegment.mismatch(pack, data, data + last, key, keyOffset, keyOffset + last) == -1;
    }

    /** The entry whose first string equals the key, or -1. */
    public static long find(MemorySegment pack, long from, long end, int arity,
                            MemorySegment key, long keyOffset, long keyLength) {
        for (long at = from; at < end; at = nextEntry(pack, at, arity)) {
            if (equals(pack, at, key, keyOffset, keyLength)) {
                return at;
            }
        }
        return -1;
    }

    /** Number of entries of {@code arity} strings in {@code [from, end)}. */
    public static long count(MemorySegment pack, long from, long end, int arity) {
        long n = 0;
        for (long at = from; at < end; at = nextEntry(pack, at, arity)) {
            n++;
        }
        return n;
    }

    /** The offset of entry {@code index} (0-based), walking from {@code from}. */
    public static long entryAt(MemorySegment pack, long from, int arity, long index) {
        long at = from;
        for (long i = 0; i < index; i++) {
            at = nextEntry(pack, at, arity);
        }
        return at;
    }
}
