package io.ferrite.core.collection;

import io.ferrite.core.api.ValueUpdater;
import java.lang.foreign.MemorySegment;

/**
 * One element's change to a chunk, made by the engine's read-modify-write on the chunk record
 * itself: {@link #prepare} finds the element in the current chunk, {@link #write} edits in
 * place (a memmove of the rest, as Redis's listpack does) or writes the edited chunk into a new
 * record in one copy. So an update of a large collection reads its chunk once and copies
 * nothing when the chunk is in the mutable region and has room. Reused per table.
 */
final class ChunkEdit implements ValueUpdater {
    private enum Op { PUT, ADD, REMOVE }

    private Op op;
    private int arity;
    private MemorySegment element;
    private long elementOffset;
    private long elementLength;
    private MemorySegment value;
    private long valueOffset;
    private long valueLength;
    /** What {@link #prepare} found: where the change starts and ends in the current chunk (relative). */
    private long from;
    private long to;
    /** True when the element was there before the edit. */
    boolean found;

    /** Sets field {@code e} to value {@code v} (a hash entry; arity 2). */
    ChunkEdit put(MemorySegment e, long eo, long el, MemorySegment v, long vo, long vl) {
        return set(Op.PUT, 2, e, eo, el, v, vo, vl);
    }

    /** Adds member {@code e} when absent (a set; arity 1). */
    ChunkEdit add(MemorySegment e, long eo, long el) {
        return set(Op.ADD, 1, e, eo, el, null, 0, 0);
    }

    /** Removes the element whose first string is {@code e}. */
    ChunkEdit remove(int elementArity, MemorySegment e, long eo, long el) {
        return set(Op.REMOVE, elementArity, e, eo, el, null, 0, 0);
    }

    private ChunkEdit set(Op o, int a, MemorySegment e, long eo, long el, MemorySegment v, long vo, long vl) {
        op = o;
        arity = a;
        element = e;
        elementOffset = eo;
        elementLength = el;
        value = v;
        valueOffset = vo;
        valueLength = vl;
        return this;
    }

    @Override
    public long prepare(MemorySegment current, long offset, long length, boolean exists) {
        long at = exists ? Pack.find(current, offset, offset + length, arity, element, elementOffset, elementLength) : -1;
        found = at >= 0;
        switch (op) {
            case PUT -> {
                if (found) {
                    // replace the value string only
                    from = Pack.next(current, at) - offset;
                    to = Pack.next(current, offset + from) - offset;
                    return length - (to - from) + Pack.sizeOf(valueLength);
                }
                from = to = length;
                return length + Pack.sizeOf(elementLength) + Pack.sizeOf(valueLength);
            }
            case ADD -> {
                if (found) {
                    return NO_CHANGE;
                }
                from = to = length;
                return length + Pack.sizeOf(elementLength);
            }
            default -> {
                if (!found) {
                    return NO_CHANGE;
                }
                from = at - offset;
                to = Pack.nextEntry(current, at, arity) - offset;
                return length - (to - from);
            }
        }
    }

    @Override
    public void write(MemorySegment target, long targetOffset, long newLength, MemorySegment current, long offset, long length) {
        boolean inPlace = target == current && targetOffset == offset;
        long inserted = newLength - length + (to - from);
        if (!inPlace) {
            MemorySegment.copy(current, offset, target, targetOffset, from);
        }
        // the bytes after the change move (or are copied) to their new place; overlapping copies are safe
        MemorySegment.copy(current, offset + to, target, targetOffset + from + inserted, length - to);
        long at = targetOffset + from;
        switch (op) {
            case PUT -> {
                if (!found) {
                    at = Pack.write(target, at, element, elementOffset, elementLength);
                }
                Pack.write(target, at, value, valueOffset, valueLength);
            }
            case ADD -> Pack.write(target, at, element, elementOffset, elementLength);
            default -> { }
        }
    }

    @Override
    public long headroom(long newLength) {
        return op == Op.REMOVE ? 0 : 16 + newLength / 4;
    }
}
