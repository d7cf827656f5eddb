package io.ferrite.core.collection;

import io.ferrite.core.EncodingLimits;
import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.engine.KeyContext;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.shard.RecordView;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's sets on the collection storage: integers only in an intset
 * ({@link RecordKind#SET_INTSET}, while within {@code set-max-intset-entries}), a small set of
 * strings packed in one value ({@link RecordKind#SET_PACK}), a large one a table of chunks
 * ({@link RecordKind#SET_TABLE}); Redis 7.0 calls the last two "hashtable". Conversions go one
 * way, as Redis's do, except where Redis rebuilds a set from scratch (SPOP's third strategy,
 * the STORE commands), which start again from an intset. Every method runs inside an operation
 * of the engine's template for the key of its {@link KeyContext}.
 */
public final class SetStore {
    private static final int ARITY = 1;
    /** Redis's SPOP_MOVE_STRATEGY_MUL: below this ratio SPOP keeps the rest instead of popping one by one. */
    private static final int SPOP_MOVE_STRATEGY_MUL = 5;

    private final EncodingLimits limits;

    public SetStore(EncodingLimits limits) {
        this.limits = limits;
    }

    EncodingLimits limits() {
        return limits;
    }

    // ---- writes ----

    /** SADD: the number of members added goes to {@code added}. */
    public Status add(Workspace w, KeyContext k, MemorySegment[] members, int from, int n, LongParse added) {
        return add(w, k, members, from, n, true, added);
    }

    /** SADD, with or without first splitting a chunk that is due (SMOVE adds without: it read only the member's chunk). */
    Status add(Workspace w, KeyContext k, MemorySegment[] members, int from, int n, boolean split, LongParse added) {
        added.value = 0;
        RecordView root = w.root(k);
        if (root.exists() && root.type() != ValueType.SET) {
            return Status.WRONG_TYPE;
        }
        if (root.kind == RecordKind.SET_TABLE) {
            return addToTable(w, k, root, members, from, n, split, added);
        }
        LongParse number = new LongParse();
        PackBuffer set = w.buffer;
        int kind;
        if (root.exists()) {
            kind = root.kind;
            set.load(root.page, root.valueOffset, root.valueLength);
        } else if (SetValues.isInteger(members[from], 0, members[from].byteSize(), number)) {
            kind = RecordKind.SET_INTSET;
            SetValues.emptyIntset(set);
        } else {
            kind = RecordKind.SET_PACK;
            set.clear();
        }
        long size = root.exists() ? Elements.size(root) : 0;
        boolean tooLong = false;
        for (int i = 0; i < n; i++) {
            MemorySegment m = members[from + i];
            if (kind == RecordKind.SET_INTSET) {
                if (SetValues.isInteger(m, 0, m.byteSize(), number)) {
                    if (SetValues.intsetAdd(set, number.value)) {
                        size++;
                        added.value++;
                    }
                    continue;
                }
                SetValues.intsetToPack(set, w.spare);
                kind = RecordKind.SET_PACK;
            }
            if (set.find(ARITY, m, 0, m.byteSize()) < 0) {
                set.append(m, 0, m.byteSize());
                size++;
                added.value++;
                tooLong |= m.byteSize() > SetValues.PACK_MAX_LENGTH;
            }
        }
        if (added.value == 0 && kind == root.kind) {
            return Status.OK;
        }
        if (kind == RecordKind.SET_INTSET && size > limits.intsetLimit()) {
            SetValues.intsetToPack(set, w.spare);
            kind = RecordKind.SET_PACK;
        }
        if (kind == RecordKind.SET_PACK && SetValues.packTooBig(size, tooLong)) {
            ChunkedTable table = w.table;
            Status status = table.create(k.db(), ARITY, ChunkedTable.chunksFor(set.length()));
            if (status == Status.OK) {
                status = table.fill(set.segment(), 0, set.length());
            }
            if (status == Status.OK) {
                status = w.writeRoot(k, RecordKind.SET_TABLE, ChangeKind.SADD);
            }
            if (status != Status.OK) {
                k.shard().parts().release(k.db(), table.collection, table.partBytes);
            }
            return status;
        }
        return w.writeValue(k, kind, set, root.exists(), ChangeKind.SADD);
    }

    private Status addToTable(Workspace w, KeyContext k, RecordView root, MemorySegment[] members, int from, int n,
                              boolean split, LongParse added) {
        ChunkedTable table = w.table.load(k.db(), ARITY, root.page, root.valueOffset);
        if (split) {
            Status status = table.splitIfDue(r -> w.writeRoot(k, RecordKind.SET_TABLE, null));
            if (status != Status.OK) {
                return status;
            }
        }
        for (int i = 0; n > 1 && i < n; i++) { // see ChunkedTable#touch
            table.touch(members[from + i], 0, members[from + i].byteSize());
        }
        for (int i = 0; i < n; i++) {
            int result = table.add(members[from + i], 0, members[from + i].byteSize());
            if (result < 0) {
                return Status.OUT_OF_MEMORY;
            }
            added.value += result;
        }
        return added.value == 0 ? Status.OK : w.writeRoot(k, RecordKind.SET_TABLE, ChangeKind.SADD);
    }

    /** SREM: the number of members removed goes to {@code removed}; an emptied set is deleted. */
    public Status remove(Workspace w, KeyContext k, MemorySegment[] members, int from, int n, LongParse removed) {
        ElementList list = w.victims;
        list.clear();
        for (int i = 0; i < n; i++) {
            list.add(members[from + i], 0, members[from + i].byteSize());
        }
        RecordView root = w.root(k);
        if (!root.exists()) {
            removed.value = 0;
            return Status.OK;
        }
        if (root.type() != ValueType.SET) {
            removed.value = 0;
            return Status.WRONG_TYPE;
        }
        return removeAll(w, k, root, list, ChangeKind.SREM, removed);
    }

    /**
     * Removes every member of {@code list} from the set at {@code root} (stopping once it is
     * empty), firing {@code event} when any went, and deleting the key when none is left.
     */
    private Status removeAll(Workspace w, KeyContext k, RecordView root, ElementList list, ChangeKind event, LongParse removed) {
        removed.value = 0;
        MemorySegment s = list.segment();
        if (root.kind == RecordKind.SET_TABLE) {
            ChunkedTable table = w.table.load(k.db(), ARITY, root.page, root.valueOffset);
            for (int i = 0; list.size() > 1 && i < list.size(); i++) { // see ChunkedTable#touch
                table.touch(s, list.offset(i), list.length(i));
            }
            for (int i = 0; i < list.size() && table.count > 0; i++) {
                int result = table.remove(s, list.offset(i), list.length(i));
                if (result < 0) {
                    return Status.OUT_OF_MEMORY;
                }
                removed.value += result;
            }
            if (removed.value == 0) {
                return Status.OK;
            }
            if (table.count == 0) {
                w.deleteEmptied(k, event);
                return Status.OK;
            }
            return w.writeRoot(k, RecordKind.SET_TABLE, event);
        }
        PackBuffer set = w.buffer;
        set.load(root.page, root.valueOffset, root.valueLength);
        LongParse number = new LongParse();
        boolean intset = root.kind == RecordKind.SET_INTSET;
        for (int i = 0; i < list.size() && !empty(set, intset); i++) {
            if (intset) {
                if (SetValues.isInteger(s, list.offset(i), list.length(i), number) && SetValues.intsetRemove(set, number.value)) {
                    removed.value++;
                }
            } else {
                long at = set.find(ARITY, s, list.offset(i), list.length(i));
                if (at >= 0) {
                    set.remove(at, Pack.next(set.segment(), at));
                    removed.value++;
                }
            }
        }
        if (removed.value == 0) {
            return Status.OK;
        }
        if (empty(set, intset)) {
            w.deleteEmptied(k, event);
            return Status.OK;
        }
        return w.writeValue(k, root.kind, set, false, event);
    }

    private static boolean empty(PackBuffer set, boolean intset) {
        return intset ? SetValues.intsetCount(set) == 0 : set.length() == 0;
    }

    /** SPOP without a count: one random member to {@code sink}; NOT_FOUND for a missing key. */
    public Status pop(Workspace w, KeyContext k, ValueSink sink) {
        RecordView root = w.root(k);
        if (!root.exists()) {
            return Status.NOT_FOUND;
        }
        if (root.type() != ValueType.SET) {
            return Status.WRONG_TYPE;
        }
        ElementList victims = w.victims;
        victims.clear();
        Sampling.one(w, k, root, ARITY, ThreadLocalRandom.current(), (page, a, al, b, bl) -> victims.add(page, a, al));
        Status status = removeAll(w, k, root, victims, ChangeKind.SPOP, new LongParse());
        if (status == Status.OK) {
            sink.accept(victims.segment(), victims.offset(0), victims.length(0));
        }
        return status;
    }

    /**
     * SPOP with a count: up to {@code count} random distinct members to {@code sink}, removed
     * from the set; the number goes to {@code popped}. Redis's three strategies: everything
     * (then the key goes), one by one when few are taken, or keeping a random rest in a
     * rebuilt set when most are.
     */
    public Status pop(Workspace w, KeyContext k, long count, ValueSink sink, LongParse popped) {
        popped.value = 0;
        RecordView root = w.root(k);
        if (!root.exists() || count == 0) {
            return root.exists() && root.type() != ValueType.SET ? Status.WRONG_TYPE : Status.OK;
        }
        if (root.type() != ValueType.SET) {
            return Status.WRONG_TYPE;
        }
        long size = Elements.size(root);
        if (count >= size) {
            return popAll(w, k, root, sink, popped);
        }
        long remaining = size - count;
        ElementList picked = w.victims;
        picked.clear();
        if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
            Sampling.sample(w, k, root, ARITY, count, (page, a, al, b, bl) -> picked.add(page, a, al));
            Status status = removeAll(w, k, root, picked, ChangeKind.SPOP, new LongParse());
            if (status == Status.OK) {
                for (int i = 0; i < picked.size(); i++) {
                    sink.accept(picked.segment(), picked.offset(i), picked.length(i));
                }
                popped.value = picked.size();
            }
            return status;
        }
        return popKeepingRest(w, k, root, remaining, sink, popped);
    }

    /** Every member goes out (through a small set rebuilt as Redis does, so integers come sorted) and the key goes. */
    private Status popAll(Workspace w, KeyContext k, RecordView root, ValueSink sink, LongParse popped) {
        ElementList all = w.victims;
        all.clear();
        Elements.forEach(w, k, root, (page, a, al, b, bl) -> all.add(page, a, al));
        SetBuilder rebuilt = w.builder.start(w, k.db(), limits, false);
        for (int i = 0; i < all.size() && !rebuilt.overflowed(); i++) {
            rebuilt.add(all.segment(), all.offset(i), all.length(i));
        }
        if (rebuilt.overflowed()) {
            for (int i = 0; i < all.size(); i++) {
                sink.accept(all.segment(), all.offset(i), all.length(i));
            }
        } else {
            rebuilt.forEach((page, a, al, b, bl) -> sink.accept(page, a, al));
        }
        popped.value = all.size();
        w.deleteEmptied(k, ChangeKind.SPOP);
        return Status.OK;
    }

    /** Redis's third SPOP strategy: a random rest is kept in a new set; everything else is popped. */
    private Status popKeepingRest(Workspace w, KeyContext k, RecordView root, long remaining, ValueSink sink, LongParse popped) {
        if (RecordKind.isTable(root.kind)) {
            Elements.table(w.table, k, root).touchAll();
        }
        ElementList kept = w.victims;
        Sampling.sample(w, k, root, ARITY, remaining, (page, a, al, b, bl) -> kept.add(page, a, al));
        SetBuilder rest = w.builder.start(w, k.db(), limits, true);
        try {
            for (int i = 0; i < kept.size(); i++) {
                rest.add(kept.segment(), kept.offset(i), kept.length(i));
            }
            long[] out = {0};
            ChunkedTable old = RecordKind.isTable(root.kind) ? Elements.table(w.otherTable(), k, root) : null;
            ChunkedTable.ElementVisitor emit = (page, a, al, b, bl) -> {
                if (!rest.contains(page, a, al)) {
                    out[0]++;
                    sink.accept(page, a, al);
                }
            };
            if (old != null) {
                old.forEach(emit);
            } else {
                Elements.forEach(w, k, root, emit);
            }
            MemorySegment value = rest.value();
            Status status = k.shard().writeCopy(value, 0, value.byteSize(), rest.kind(), root.address, k.db(), k.key(),
                    k.hash(), root.expireAt, k.db(), k.now());
            if (status == Status.OK) {
                popped.value = out[0];
                k.emit(ChangeKind.SPOP);
            } else {
                rest.abandon();
            }
            return status;
        } catch (SetBuilder.OutOfMemory e) {
            rest.abandon();
            return Status.OUT_OF_MEMORY;
        }
    }

    // ---- reads under the lock ----

    /** SMEMBERS: every member in storage order; the count goes to {@code count}. */
    public Status members(Workspace w, KeyContext k, ValueSink sink, LongParse count) {
        count.value = 0;
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.OK;
        }
        if (root.type() != ValueType.SET) {
            return Status.WRONG_TYPE;
        }
        Elements.forEach(w, k, root, (page, a, al, b, bl) -> {
            count.value++;
            sink.accept(page, a, al);
        });
        return Status.OK;
    }

    /** SMISMEMBER: for each member, whether it is in the set. */
    public Status containsMany(Workspace w, KeyContext k, MemorySegment[] members, int from, int n, boolean[] out) {
        RecordView root = w.rootForRead(k);
        if (root.exists() && root.type() != ValueType.SET) {
            return Status.WRONG_TYPE;
        }
        LongParse number = new LongParse();
        ChunkedTable table = RecordKind.isTable(root.kind) ? Elements.table(w.table, k, root) : null;
        for (int i = 0; i < n; i++) {
            MemorySegment m = members[from + i];
            out[i] = root.exists() && (table != null ? table.find(m, 0, m.byteSize(), (p, a, al, b, bl) -> {})
                    : Elements.smallContains(root, m, number));
        }
        return Status.OK;
    }

    /** SRANDMEMBER with a count (see {@link Sampling#sample}); the number handed out goes to {@code handed}. */
    public Status random(Workspace w, KeyContext k, long count, ValueSink sink, LongParse handed) {
        handed.value = 0;
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.OK;
        }
        if (root.type() != ValueType.SET) {
            return Status.WRONG_TYPE;
        }
        return Sampling.sample(w, k, root, ARITY, count, (page, a, al, b, bl) -> {
            handed.value++;
            sink.accept(page, a, al);
        });
    }

    /** SRANDMEMBER without a count; NOT_FOUND for a missing key. */
    public Status randomMember(Workspace w, KeyContext k, ValueSink sink) {
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.NOT_FOUND;
        }
        if (root.type() != ValueType.SET) {
            return Status.WRONG_TYPE;
        }
        Sampling.one(w, k, root, ARITY, ThreadLocalRandom.current(), (page, a, al, b, bl) -> sink.accept(page, a, al));
        return Status.OK;
    }

    /** SSCAN: one step from {@code cursor}; small sets come whole with cursor 0, as in Redis. */
    public Status scan(Workspace w, KeyContext k, long cursor, long count, ValueSink sink, LongParse next) {
        next.value = 0;
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.NOT_FOUND;
        }
        if (root.type() != ValueType.SET) {
            return Status.WRONG_TYPE;
        }
        ChunkedTable.ElementVisitor visitor = (page, a, al, b, bl) -> sink.accept(page, a, al);
        if (root.kind == RecordKind.SET_TABLE) {
            next.value = w.table.load(k.db(), ARITY, root.page, root.valueOffset).scan(cursor, count, visitor);
        } else {
            Elements.forEach(w, k, root, visitor);
        }
        return Status.OK;
    }

    // ---- single-element reads without the lock ----

    /** SISMEMBER into {@code result} (1 or 0). */
    public Status contains(KeyContext k, MemorySegment member, LongParse result) {
        Status status = Lookups.find(k, ValueType.SET, ARITY, member, (page, a, al, b, bl) -> {});
        result.value = status == Status.OK ? 1 : 0;
        return status == Status.NOT_FOUND ? Status.OK : status;
    }

    /** SCARD into {@code size}. */
    public Status size(KeyContext k, LongParse size) {
        return Lookups.size(k, ValueType.SET, ARITY, size);
    }
}
