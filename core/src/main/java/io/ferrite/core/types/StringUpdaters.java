package io.ferrite.core.types;

import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueUpdater;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;

/**
 * The reusable read-modify-write steps of the string commands, one set per shard, used only
 * under that shard's lock (so one instance of each is enough and nothing is allocated).
 */
final class StringUpdaters {
    final Set set = new Set();
    final Append append = new Append();
    final SetRange setRange = new SetRange();
    final long maxValueSize;

    StringUpdaters(long maxValueSize) {
        this.maxValueSize = maxValueSize;
    }

    /** SET value [NX|XX] [GET]. */
    static final class Set implements ValueUpdater {
        private MemorySegment value;
        private int flags;
        private ValueSink old;

        Set reset(MemorySegment value, int flags, ValueSink old) {
            this.value = value;
            this.flags = flags;
            this.old = old;
            return this;
        }

        @Override
        public long prepare(MemorySegment current, long offset, long length, boolean exists) {
            if (old != null && exists) {
                old.accept(current, offset, length);
            }
            if ((flags & StringCommands.NX) != 0 && exists || (flags & StringCommands.XX) != 0 && !exists) {
                return FAILED;
            }
            return value.byteSize();
        }

        @Override
        public void write(MemorySegment target, long targetOffset, long newLength, MemorySegment current, long offset, long length) {
            MemorySegment.copy(value, 0, target, targetOffset, newLength);
        }
    }

    /** APPEND value: grows with headroom so repeated appends update in place. */
    final class Append implements ValueUpdater {
        private MemorySegment value;
        private LongParse length;

        Append reset(MemorySegment value, LongParse length) {
            this.value = value;
            this.length = length;
            return this;
        }

        @Override
        public long prepare(MemorySegment current, long offset, long currentLength, boolean exists) {
            long newLength = currentLength + value.byteSize();
            length.value = newLength;
            return newLength;
        }

        @Override
        public void write(MemorySegment target, long targetOffset, long newLength, MemorySegment current, long offset, long currentLength) {
            if (target != current || targetOffset != offset) {
                MemorySegment.copy(current, offset, target, targetOffset, currentLength);
            }
            MemorySegment.copy(value, 0, target, targetOffset + currentLength, value.byteSize());
        }

        @Override
        public long headroom(long newLength) {
            // Like sds: double small strings, add 1 MB to large ones.
            return Math.min(newLength, 1L << 20);
        }
    }

    /** SETRANGE offset value: zero-pads up to offset. */
    final class SetRange implements ValueUpdater {
        private long offset;
        private MemorySegment value;
        private LongParse length;

        SetRange reset(long offset, MemorySegment value, LongParse length) {
            this.offset = offset;
            this.value = value;
            this.length = length;
            return this;
        }

        @Override
        public long prepare(MemorySegment current, long currentOffset, long currentLength, boolean exists) {
            length.value = currentLength;
            if (value.byteSize() == 0) {
                return NO_CHANGE; // Redis: an empty value changes nothing, not even a missing key
            }
            long newLength = Math.max(currentLength, offset + value.byteSize());
            length.value = newLength;
            return newLength;
        }

        @Override
        public void write(MemorySegment target, long targetOffset, long newLength, MemorySegment current, long currentOffset, long currentLength) {
            if (target != current || targetOffset != currentOffset) {
                MemorySegment.copy(current, currentOffset, target, targetOffset, currentLength);
            }
            if (offset > currentLength) {
                target.asSlice(targetOffset + currentLength, offset - currentLength).fill((byte) 0);
            }
            MemorySegment.copy(value, 0, target, targetOffset + offset, value.byteSize());
        }
    }
}
