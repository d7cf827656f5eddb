package io.ferrite.core.collection;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Copies of elements a command has picked and will act on after it read them (SPOP's victims):
 * their bytes in one growing array and their bounds in another, no object per element.
 */
final class ElementList {
    private byte[] bytes = new byte[256];
    private MemorySegment segment = MemorySegment.ofArray(bytes);
    private long[] ends = new long[16];
    private int count;

    void clear() {
        count = 0;
    }

    void add(MemorySegment src, long offset, long length) {
        long start = count == 0 ? 0 : ends[count - 1];
        if (start + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.max(start + length, bytes.length * 2L));
            segment = MemorySegment.ofArray(bytes);
        }
        MemorySegment.copy(src, offset, segment, start, length);
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, count * 2);
        }
        ends[count++] = start + length;
    }

    int size() {
        return count;
    }

    MemorySegment segment() {
        return segment;
    }

    long offset(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    long length(int i) {
        return ends[i] - offset(i);
    }
}
