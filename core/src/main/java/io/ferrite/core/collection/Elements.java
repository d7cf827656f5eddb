package io.ferrite.core.collection;

import io.ferrite.core.engine.KeyContext;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.shard.RecordView;
import io.ferrite.core.shard.TableRoot;
import io.ferrite.core.strings.RedisNumbers;
import java.lang.foreign.MemorySegment;

/**
 * The elements of a located collection root in any encoding, for a writer holding the shard's
 * lock: its size, every element in storage order (insertion order when packed, ascending for an
 * intset, chunk order for a table), or the element at an index. An intset member is handed out
 * as its decimal text, written into the workspace's number buffer (valid during the call).
 */
final class Elements {
    private Elements() {}

    static long size(RecordView root) {
        if (RecordKind.isTable(root.kind)) {
            return TableRoot.count(root.page, root.valueOffset);
        }
        if (root.kind == RecordKind.SET_INTSET) {
            return IntSet.count(root.page, root.valueOffset, root.valueLength);
        }
        return Pack.count(root.page, root.valueOffset, root.valueOffset + root.valueLength, arity(root.kind));
    }

    static int arity(int kind) {
        return kind == RecordKind.HASH_PACK || kind == RecordKind.HASH_TABLE || kind == RecordKind.ZSET_PACK ? 2 : 1;
    }

    /** The table of a table-encoded root, loaded into {@code table}. */
    static ChunkedTable table(ChunkedTable table, KeyContext k, RecordView root) {
        return table.load(k.db(), arity(root.kind), root.page, root.valueOffset);
    }

    static void forEach(Workspace w, KeyContext k, RecordView root, ChunkedTable.ElementVisitor visitor) {
        forEach(w, k.db(), root, visitor);
    }

    static void forEach(Workspace w, int db, RecordView root, ChunkedTable.ElementVisitor visitor) {
        if (RecordKind.isTable(root.kind)) {
            w.table.load(db, arity(root.kind), root.page, root.valueOffset).forEach(visitor);
        } else if (root.kind == RecordKind.SET_INTSET) {
            int width = IntSet.width(root.page, root.valueOffset);
            long n = IntSet.count(root.page, root.valueOffset, root.valueLength);
            for (long i = 0; i < n; i++) {
                visitInt(w, IntSet.get(root.page, root.valueOffset, width, i), visitor);
            }
        } else {
            int arity = arity(root.kind);
            long end = root.valueOffset + root.valueLength;
            for (long at = root.valueOffset; at < end; at = Pack.nextEntry(root.page, at, arity)) {
                Lookups.visit(root.page, at, arity, visitor);
            }
        }
    }

    /** Visits the element at {@code index} of a small (packed or intset) root. */
    static void atIndex(Workspace w, RecordView root, long index, ChunkedTable.ElementVisitor visitor) {
        if (root.kind == RecordKind.SET_INTSET) {
            visitInt(w, IntSet.get(root.page, root.valueOffset, IntSet.width(root.page, root.valueOffset), index), visitor);
        } else {
            int arity = arity(root.kind);
            Lookups.visit(root.page, Pack.entryAt(root.page, root.valueOffset, arity, index), arity, visitor);
        }
    }

    static void visitInt(Workspace w, long member, ChunkedTable.ElementVisitor visitor) {
        int length = RedisNumbers.formatLong(member, w.number, 0);
        visitor.element(w.numberSegment, 0, length, 0, 0);
    }

    /** True when the small root holds {@code element} (a packed collection, or an intset). */
    static boolean smallContains(RecordView root, MemorySegment element, io.ferrite.core.strings.LongParse scratch) {
        if (root.kind == RecordKind.SET_INTSET) {
            return RedisNumbers.tryParseLong(element, 0, element.byteSize(), scratch)
                    && IntSet.search(root.page, root.valueOffset, root.valueLength, scratch.value) >= 0;
        }
        return Pack.find(root.page, root.valueOffset, root.valueOffset + root.valueLength, arity(root.kind),
                element, 0, element.byteSize()) >= 0;
    }
}
