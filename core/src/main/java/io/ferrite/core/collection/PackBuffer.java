package io.ferrite.core.collection;

import io.ferrite.core.log.RecordLayout;
import java.lang.foreign.MemorySegment;

/**
 * A writer's scratch value: a pack or an intset being built or edited on the heap before it is
 * written to the log whole (by {@link WholeValue}). One per shard, used under its lock, reused:
 * it grows to the largest small collection or chunk seen and stays, so an edit allocates
 * nothing. Edits are memmoves, like Redis's listpack.
 */
final class PackBuffer {
    private byte[] bytes = new byte[256];
    private MemorySegment segment = MemorySegment.ofArray(bytes);
    private long length;

    MemorySegment segment() {
        return segment;
    }

    long length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    /** Makes room for {@code capacity} bytes in all, keeping the content. */
    void ensure(long capacity) {
        if (capacity > bytes.length) {
            if (capacity > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("collection value of " + capacity + " bytes");
            }
            byte[] grown = new byte[(int) Math.max(capacity, Math.min(Integer.MAX_VALUE - 16, (long) bytes.length * 2))];
            System.arraycopy(bytes, 0, grown, 0, (int) length);
            bytes = grown;
            segment = MemorySegment.ofArray(bytes);
        }
    }

    /** Replaces the content with {@code src[offset, +len)}. */
    void load(MemorySegment src, long offset, long len) {
        length = 0;
        ensure(len);
        MemorySegment.copy(src, offset, segment, 0, len);
        length = len;
    }

    /** The entry (of {@code arity} strings) whose first string equals the key, or -1. */
    long find(int arity, MemorySegment key, long keyOffset, long keyLength) {
        return Pack.find(segment, 0, length, arity, key, keyOffset, keyLength);
    }

    /** Appends one string. */
    void append(MemorySegment src, long offset, long len) {
        ensure(length + Pack.sizeOf(len));
        length = Pack.write(segment, length, src, offset, len);
    }

    /** Appends raw bytes. */
    void appendRaw(MemorySegment src, long offset, long len) {
        ensure(length + len);
        MemorySegment.copy(src, offset, segment, length, len);
        length += len;
    }

    /** Replaces the string starting at {@code at} with {@code src[offset, +len)}. */
    void replace(long at, MemorySegment src, long offset, long len) {
        long oldEnd = Pack.next(segment, at);
        long newSize = Pack.sizeOf(len);
        long delta = newSize - (oldEnd - at);
        ensure(length + delta);
        MemorySegment.copy(segment, oldEnd, segment, oldEnd + delta, length - oldEnd);
        Pack.write(segment, at, src, offset, len);
        length += delta;
    }

    /** Removes {@code [at, end)}. */
    void remove(long at, long end) {
        MemorySegment.copy(segment, end, segment, at, length - end);
        length -= end - at;
    }

    /** Inserts {@code size} zero bytes at {@code at} (for an intset member). */
    void openGap(long at, long size) {
        ensure(length + size);
        MemorySegment.copy(segment, at, segment, at + size, length - at);
        length += size;
    }

    /** Sets the length (after writing fixed-size content directly). */
    void length(long value) {
        ensure(value);
        length = value;
    }

    /** Varint helper kept here so pack code reads in one place. */
    static int varintSize(long value) {
        return RecordLayout.varintSize(value);
    }
}
