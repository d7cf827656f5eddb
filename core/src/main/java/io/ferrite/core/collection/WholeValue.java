package io.ferrite.core.collection;

import io.ferrite.core.api.ValueUpdater;
import java.lang.foreign.MemorySegment;

/**
 * An update that writes a value made beforehand (a {@link PackBuffer}, a table root) as the
 * record's new value, whole: in place when it fits, else into a new record with the chosen
 * headroom, so a collection that keeps growing is copied only now and then.
 */
final class WholeValue implements ValueUpdater {
    private MemorySegment source;
    private long offset;
    private long length;
    private boolean headroom;

    /** Writes {@code source[offset, +length)}; with {@code headroom}, a new record gets a quarter more room. */
    WholeValue of(MemorySegment source, long offset, long length, boolean headroom) {
        this.source = source;
        this.offset = offset;
        this.length = length;
        this.headroom = headroom;
        return this;
    }

    WholeValue of(PackBuffer buffer, boolean headroom) {
        return of(buffer.segment(), 0, buffer.length(), headroom);
    }

    @Override
    public long prepare(MemorySegment current, long currentOffset, long currentLength, boolean exists) {
        return length;
    }

    @Override
    public void write(MemorySegment target, long targetOffset, long newLength, MemorySegment current, long currentOffset, long currentLength) {
        MemorySegment.copy(source, offset, target, targetOffset, length);
    }

    @Override
    public long headroom(long newLength) {
        return headroom ? 16 + newLength / 4 : 0;
    }
}
