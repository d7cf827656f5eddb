package io.ferrite.core.collection;

import io.ferrite.core.EncodingLimits;
import io.ferrite.core.api.Status;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;

/**
 * Builds a new set member by member the way Redis builds a temporary one (SINTERSTORE and
 * friends, SPOP's rebuild, RESTORE): it starts as an intset, turns into a pack at the first
 * member that is not an integer or past the intset limit, and into a table of chunks past the
 * pack's limits. A table is built in the shard of the workspace given, as a collection nobody
 * points at until {@link #publish}ed; until then nothing is visible, and {@link #abandon}
 * drops it. Uses that workspace's buffers, under its shard's lock.
 */
final class SetBuilder {
    private static final int INTSET = 0;
    private static final int PACK = 1;
    private static final int TABLE = 2;
    /** The set outgrew the small encodings and no table was allowed. */
    private static final int OVERFLOW = 3;

    private final LongParse number = new LongParse();
    private Workspace w;
    private EncodingLimits limits;
    private int db;
    private boolean allowTable;
    private int stage;
    private long size;

    /** Starts an empty set for database {@code database}; without {@code tableAllowed} it stays small or overflows. */
    SetBuilder start(Workspace workspace, int database, EncodingLimits encodingLimits, boolean tableAllowed) {
        w = workspace;
        limits = encodingLimits;
        db = database;
        allowTable = tableAllowed;
        stage = INTSET;
        size = 0;
        SetValues.emptyIntset(w.buffer);
        return this;
    }

    /** Adds a member (ignored when present); false when the set overflowed the small encodings. */
    boolean add(MemorySegment member, long offset, long length) {
        if (stage == INTSET) {
            if (SetValues.isInteger(member, offset, length, number)) {
                if (SetValues.intsetAdd(w.buffer, number.value)) {
                    size++;
                    if (size > limits.intsetLimit()) {
                        SetValues.intsetToPack(w.buffer, w.spare);
                        stage = PACK;
                        checkPack(0);
                    }
                }
                return stage != OVERFLOW;
            }
            SetValues.intsetToPack(w.buffer, w.spare);
            stage = PACK;
            checkPack(0);
        }
        if (stage == PACK) {
            if (w.buffer.find(1, member, offset, length) < 0) {
                w.buffer.append(member, offset, length);
                size++;
                checkPack(length);
            }
            return stage != OVERFLOW;
        }
        if (stage == TABLE) {
            ChunkedTable table = w.table;
            int added = table.add(member, offset, length);
            if (added < 0) {
                throw new OutOfMemory();
            }
            size += added;
            if (table.splitIfDue(root -> Status.OK) != Status.OK) {
                throw new OutOfMemory();
            }
            return true;
        }
        return false;
    }

    /**
     * Moves a pack past its limits to a table (or marks an overflow). Only the member just
     * added can be too long: the earlier ones were checked, and integers never are.
     */
    private void checkPack(long lastLength) {
        if (!SetValues.packTooBig(size, lastLength > SetValues.PACK_MAX_LENGTH)) {
            return;
        }
        if (!allowTable) {
            stage = OVERFLOW;
            return;
        }
        ChunkedTable table = w.table;
        if (table.create(db, 1, ChunkedTable.chunksFor(w.buffer.length())) != Status.OK
                || table.fill(w.buffer.segment(), 0, w.buffer.length()) != Status.OK) {
            throw new OutOfMemory();
        }
        stage = TABLE;
    }

    /** True when the set built so far holds {@code member}. */
    boolean contains(MemorySegment member, long offset, long length) {
        return switch (stage) {
            case INTSET -> SetValues.isInteger(member, offset, length, number)
                    && IntSet.search(w.buffer.segment(), 0, w.buffer.length(), number.value) >= 0;
            case TABLE -> w.table.find(member, offset, length, (page, a, al, b, bl) -> {});
            default -> w.buffer.find(1, member, offset, length) >= 0;
        };
    }

    long size() {
        return size;
    }

    boolean overflowed() {
        return stage == OVERFLOW;
    }

    /** The record kind of the set built. */
    int kind() {
        return switch (stage) {
            case INTSET -> RecordKind.SET_INTSET;
            case PACK -> RecordKind.SET_PACK;
            default -> RecordKind.SET_TABLE;
        };
    }

    /** The value to write as the set's root: the small set itself, or the table's root. */
    MemorySegment value() {
        return stage == TABLE ? w.table.rootValue() : w.buffer.segment().asSlice(0, w.buffer.length());
    }

    /** Visits the members of a small set (intset ascending, pack in insertion order). */
    void forEach(ChunkedTable.ElementVisitor visitor) {
        MemorySegment s = w.buffer.segment();
        if (stage == INTSET) {
            int width = IntSet.width(s, 0);
            long n = IntSet.count(s, 0, w.buffer.length());
            for (long i = 0; i < n; i++) {
                Elements.visitInt(w, IntSet.get(s, 0, width, i), visitor);
            }
        } else {
            for (long at = 0; at < w.buffer.length(); at = Pack.next(s, at)) {
                visitor.element(s, Pack.data(s, at), Pack.length(s, at), 0, 0);
            }
        }
    }

    /** Drops a table built so far (the command failed): its parts die with their marker. */
    void abandon() {
        if (stage == TABLE) {
            w.shard.parts().release(db, w.table.collection, w.table.partBytes);
        }
    }

    /** Memory ran out while building: the builder was abandoned by the caller. */
    static final class OutOfMemory extends RuntimeException {
        OutOfMemory() {
            super("out of memory while building a set", null, false, false);
        }
    }
}
