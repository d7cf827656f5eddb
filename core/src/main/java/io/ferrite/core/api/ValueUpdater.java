package io.ferrite.core.api;

import java.lang.foreign.MemorySegment;

/**
 * A read-modify-write of one value, run by the engine under the key's shard lock: first
 * {@link #prepare} looks at the current value and decides the new length, then {@link #write}
 * produces the new bytes, either in place (when they fit in the record, then {@code target} is
 * the same memory as {@code current}) or into a new record at the log's tail.
 * Implementations keep their own state between the two calls and are reused, so string
 * commands (APPEND, SETRANGE, INCR, SETBIT, BITFIELD...) allocate nothing.
 */
public interface ValueUpdater {
    /** {@link #prepare} result: leave the value unchanged; the operation succeeds. */
    long NO_CHANGE = -1;
    /** {@link #prepare} result: refuse; the engine returns {@link #failure()}. */
    long FAILED = -2;

    /**
     * @param current value memory (an empty segment when the key does not exist)
     * @param exists  whether the key exists (as a string)
     * @return the new value length, {@link #NO_CHANGE} or {@link #FAILED}
     */
    long prepare(MemorySegment current, long offset, long length, boolean exists);

    /**
     * Writes the new value of {@code newLength} bytes at {@code target[targetOffset..]}. When
     * updating in place, {@code target == current} and {@code targetOffset == offset}: the
     * old bytes are already there and only the changes need writing.
     */
    void write(MemorySegment target, long targetOffset, long newLength, MemorySegment current, long offset, long length);

    /** The status to return when {@link #prepare} answered {@link #FAILED}. */
    default Status failure() {
        return Status.NOT_PERFORMED;
    }

    /**
     * Extra room to leave after the value when a new record is written (e.g. APPEND doubles,
     * like Redis's sds strings, so repeated appends update in place).
     */
    default long headroom(long newLength) {
        return 0;
    }
}
