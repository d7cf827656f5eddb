package io.ferrite.core.types;

import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueUpdater;
import io.ferrite.core.strings.BitOps;
import io.ferrite.core.strings.LongParse;
import io.ferrite.core.strings.RedisNumbers;
import java.lang.foreign.MemorySegment;

/**
 * The reusable read-modify-write steps of the string commands, one set per shard, used only
 * under that shard's lock (so one instance of each is enough and nothing is allocated).
 */
final class StringUpdaters {
    final Set set = new Set();
    final Append append = new Append();
    final SetRange setRange = new SetRange();
    final IncrBy incrBy = new IncrBy();
    final IncrByFloat incrByFloat = new IncrByFloat();
    final SetBit setBit = new SetBit();
    final Bitfield bitfield = new Bitfield();
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

    /** INCRBY delta (INCR, DECR, DECRBY too): Redis's integer parsing and overflow rules. */
    static final class IncrBy implements ValueUpdater {
        private final LongParse parsed = new LongParse();
        private long delta;
        private LongParse result;
        private Status failure;

        IncrBy reset(long delta, LongParse result) {
            this.delta = delta;
            this.result = result;
            return this;
        }

        @Override
        public long prepare(MemorySegment current, long offset, long length, boolean exists) {
            long value = 0;
            if (exists) {
                if (length > RedisNumbers.MAX_LONG_CHARS || !RedisNumbers.tryParseLong(current, offset, length, parsed)) {
                    failure = Status.NOT_AN_INTEGER;
                    return FAILED;
                }
                value = parsed.value;
            }
            long sum = value + delta;
            if (((value ^ sum) & (delta ^ sum)) < 0) {
                failure = Status.OVERFLOW;
                return FAILED;
            }
            result.value = sum;
            return RedisNumbers.longLength(sum);
        }

        @Override
        public void write(MemorySegment target, long targetOffset, long newLength, MemorySegment current, long offset, long length) {
            RedisNumbers.formatLong(result.value, target, targetOffset);
        }

        @Override
        public Status failure() {
            return failure;
        }
    }

    /** INCRBYFLOAT increment: Redis's long double arithmetic and formatting. */
    static final class IncrByFloat implements ValueUpdater {
        final byte[] formatted = new byte[RedisNumbers.MAX_LONG_DOUBLE_CHARS];
        int length;
        private MemorySegment increment;
        private Status failure;

        IncrByFloat reset(MemorySegment increment) {
            this.increment = increment;
            return this;
        }

        @Override
        public long prepare(MemorySegment current, long offset, long currentLength, boolean exists) {
            int n = RedisNumbers.incrByFloat(exists ? current : null, offset, currentLength,
                    increment, 0, increment.byteSize(), formatted, 0);
            switch (n) {
                case RedisNumbers.FLOAT_VALUE_INVALID, RedisNumbers.FLOAT_INCREMENT_INVALID -> {
                    failure = Status.NOT_A_FLOAT;
                    return FAILED;
                }
                case RedisNumbers.FLOAT_NAN_OR_INFINITY -> {
                    failure = Status.NAN_OR_INFINITY;
                    return FAILED;
                }
                default -> {
                    length = n;
                    return n;
                }
            }
        }

        @Override
        public void write(MemorySegment target, long targetOffset, long newLength, MemorySegment current, long offset, long currentLength) {
            MemorySegment.copy(formatted, 0, target, java.lang.foreign.ValueLayout.JAVA_BYTE, targetOffset, length);
        }

        @Override
        public Status failure() {
            return failure;
        }
    }

    /** SETBIT offset bit: zero-extends as needed, remembers the old bit. */
    static final class SetBit implements ValueUpdater {
        private long bitOffset;
        private int bit;
        private LongParse old;

        SetBit reset(long bitOffset, int bit, LongParse old) {
            this.bitOffset = bitOffset;
            this.bit = bit;
            this.old = old;
            return this;
        }

        @Override
        public long prepare(MemorySegment current, long offset, long length, boolean exists) {
            return Math.max(length, BitOps.requiredLength(bitOffset));
        }

        @Override
        public void write(MemorySegment target, long targetOffset, long newLength, MemorySegment current, long offset, long length) {
            copyAndPad(target, targetOffset, newLength, current, offset, length);
            old.value = BitOps.setbit(target, targetOffset, newLength, bitOffset, bit);
        }
    }

    /** BITFIELD with at least one write: all operations in order, under one lock. */
    static final class Bitfield implements ValueUpdater {
        private BitfieldOps ops;

        Bitfield reset(BitfieldOps ops) {
            this.ops = ops;
            return this;
        }

        @Override
        public long prepare(MemorySegment current, long offset, long length, boolean exists) {
            return Math.max(length, ops.requiredLength());
        }

        @Override
        public void write(MemorySegment target, long targetOffset, long newLength, MemorySegment current, long offset, long length) {
            copyAndPad(target, targetOffset, newLength, current, offset, length);
            for (int i = 0; i < ops.count(); i++) {
                int bits = ops.bits(i);
                boolean signed = ops.signed(i);
                long at = ops.offset(i);
                switch (ops.kind(i)) {
                    case GET -> ops.result(i, BitOps.bitfieldGet(target, targetOffset, newLength, at, bits, signed), false);
                    case SET -> {
                        boolean ok = BitOps.bitfieldSet(target, targetOffset, newLength, at, bits, signed, ops.value(i), ops.overflow(i), ops.scratch);
                        ops.result(i, ops.scratch.value, !ok);
                    }
                    case INCRBY -> {
                        boolean ok = BitOps.bitfieldIncrBy(target, targetOffset, newLength, at, bits, signed, ops.value(i), ops.overflow(i), ops.scratch);
                        ops.result(i, ops.scratch.value, !ok);
                    }
                }
            }
        }
    }

    /** Copies the old value to a new record (unless updating in place) and zero-fills the rest. */
    static void copyAndPad(MemorySegment target, long targetOffset, long newLength, MemorySegment current, long offset, long length) {
        if (target != current || targetOffset != offset) {
            MemorySegment.copy(current, offset, target, targetOffset, length);
        }
        if (newLength > length) {
            target.asSlice(targetOffset + length, newLength - length).fill((byte) 0);
        }
    }
}
