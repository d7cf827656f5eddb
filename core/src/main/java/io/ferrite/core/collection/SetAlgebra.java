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
import java.util.Arrays;
import java.util.Comparator;

/**
 * Commands over several sets at once (SINTER, SUNION, SDIFF, their STORE forms, SINTERCARD,
 * SMOVE), run with every key's shard locked. Sources are read in place in whatever encoding
 * they have; a result is either streamed to the caller or built with a {@link SetBuilder} the
 * way Redis builds its temporary set (so an all-integer result comes sorted, and a stored one
 * is an intset when it can be). A STORE reads every chunk of every source before it writes
 * anything, so a disk read can never interrupt it halfway.
 */
public final class SetAlgebra {
    /** Which combination. */
    public enum Op { INTER, UNION, DIFF }

    private final EncodingLimits limits;
    private final SetStore sets;

    public SetAlgebra(SetStore sets) {
        this.sets = sets;
        this.limits = sets.limits();
    }

    /** One key of a multi-set command: its context and its shard's workspace, and what was found there. */
    public static final class Source {
        final KeyContext k;
        final Workspace w;
        final RecordView root = new RecordView();
        ChunkedTable table;
        long size;

        public Source(KeyContext k, Workspace w) {
            this.k = k;
            this.w = w;
        }

        boolean exists() {
            return root.exists();
        }

        boolean contains(MemorySegment member, long offset, long length, LongParse scratch) {
            if (!root.exists()) {
                return false;
            }
            if (table != null) {
                return table.find(member, offset, length, (p, a, al, b, bl) -> {});
            }
            if (root.kind == RecordKind.SET_INTSET) {
                return SetValues.isInteger(member, offset, length, scratch)
                        && IntSet.search(root.page, root.valueOffset, root.valueLength, scratch.value) >= 0;
            }
            return Pack.find(root.page, root.valueOffset, root.valueOffset + root.valueLength, 1, member, offset, length) >= 0;
        }

        void forEach(ChunkedTable.ElementVisitor visitor) {
            if (!root.exists()) {
                return;
            }
            if (table != null) {
                table.forEach(visitor);
            } else {
                Elements.forEach(w, k, root, visitor);
            }
        }

        /** Reads every chunk of a table source (the read phase of a command that then writes). */
        void touchAll() {
            if (table != null) {
                table.touchAll();
            }
        }
    }

    /** Looks every source up; WRONG_TYPE when one exists and is not a set (even after a missing one). */
    private static Status open(Source[] sources, boolean forWrite) {
        for (Source s : sources) {
            long address = forWrite ? s.k.locateForWrite() : s.k.locate();
            s.root.at(s.k.shard().log(), address);
            if (s.root.exists() && s.root.type() != ValueType.SET) {
                return Status.WRONG_TYPE;
            }
            s.size = s.root.exists() ? Elements.size(s.root) : 0;
            s.table = s.root.kind == RecordKind.SET_TABLE ? Elements.table(s.w.otherTable(), s.k, s.root) : null;
        }
        return Status.OK;
    }

    /** SINTER / SUNION / SDIFF: the result's members to {@code sink}, their number to {@code count}. */
    public Status compute(Op op, Source[] sources, ValueSink sink, LongParse count) {
        count.value = 0;
        Status status = open(sources, false);
        if (status != Status.OK) {
            return status;
        }
        ChunkedTable.ElementVisitor emit = (page, a, al, b, bl) -> {
            count.value++;
            sink.accept(page, a, al);
        };
        if (op == Op.INTER) {
            intersect(sources, Long.MAX_VALUE, emit);
            return Status.OK;
        }
        // Like Redis, build the result as a temporary set while it stays small: an all-integer
        // one then comes out sorted. A large one is streamed instead of built.
        SetBuilder small = sources[0].w.builder.start(sources[0].w, sources[0].k.db(), limits, false);
        if (combine(op, sources, small) && !small.overflowed()) {
            small.forEach(emit);
        } else {
            stream(op, sources, emit);
        }
        return Status.OK;
    }

    /** SINTERCARD: the size of the intersection, counting up to {@code limit} (0: no limit). */
    public Status interCard(Source[] sources, long limit, LongParse count) {
        count.value = 0;
        Status status = open(sources, false);
        if (status != Status.OK) {
            return status;
        }
        intersect(sources, limit == 0 ? Long.MAX_VALUE : limit, (page, a, al, b, bl) -> count.value++);
        return Status.OK;
    }

    /**
     * SINTERSTORE / SUNIONSTORE / SDIFFSTORE into {@code dst} (whatever it held is replaced; an
     * empty result deletes it): the result's size goes to {@code count}.
     */
    public Status store(Op op, Source dst, Source[] sources, ChangeKind event, LongParse count) {
        count.value = 0;
        Status status = open(sources, true);
        if (status != Status.OK) {
            return status;
        }
        for (Source s : sources) {
            s.touchAll();
        }
        dst.root.at(dst.k.shard().log(), dst.k.locateForWrite());
        SetBuilder result = dst.w.builder.start(dst.w, dst.k.db(), limits, true);
        try {
            if (op == Op.INTER) {
                intersect(sources, Long.MAX_VALUE, (page, a, al, b, bl) -> result.add(page, a, al));
            } else {
                combine(op, sources, result);
            }
            count.value = result.size();
            if (result.size() == 0) {
                if (dst.root.exists()) {
                    dst.k.delete();
                }
                return Status.OK;
            }
            MemorySegment value = result.value();
            status = dst.k.shard().writeCopy(value, 0, value.byteSize(), result.kind(), 0, dst.k.db(), dst.k.key(),
                    dst.k.hash(), 0, -1, dst.k.now());
            if (status != Status.OK) {
                result.abandon();
                return status;
            }
            dst.k.emit(event);
            return Status.OK;
        } catch (SetBuilder.OutOfMemory e) {
            result.abandon();
            return Status.OUT_OF_MEMORY;
        }
    }

    /**
     * SMOVE of {@code member} from {@code src} to {@code dst}: 1 moved (or already in a source
     * that is the destination), 0 not there, into {@code moved}.
     */
    public Status move(Source src, Source dst, MemorySegment member, boolean sameKey, LongParse moved) {
        moved.value = 0;
        src.root.at(src.k.shard().log(), src.k.locateForWrite());
        if (!src.root.exists()) {
            return Status.OK;
        }
        dst.root.at(dst.k.shard().log(), dst.k.locateForWrite());
        if (src.root.type() != ValueType.SET || (dst.root.exists() && dst.root.type() != ValueType.SET)) {
            return Status.WRONG_TYPE;
        }
        src.table = src.root.kind == RecordKind.SET_TABLE ? Elements.table(src.w.otherTable(), src.k, src.root) : null;
        boolean present = src.contains(member, 0, member.byteSize(), new LongParse());
        if (sameKey) {
            moved.value = present ? 1 : 0;
            return Status.OK;
        }
        if (!present) {
            return Status.OK;
        }
        if (dst.root.kind == RecordKind.SET_TABLE) {
            Elements.table(dst.w.otherTable(), dst.k, dst.root).touch(member, 0, member.byteSize());
        }
        MemorySegment[] one = {member};
        LongParse changed = new LongParse();
        Status status = sets.remove(src.w, src.k, one, 0, 1, changed);
        if (status != Status.OK) {
            return status;
        }
        status = sets.add(dst.w, dst.k, one, 0, 1, false, changed);
        if (status == Status.OK) {
            moved.value = 1;
        }
        return status;
    }

    /**
     * Members of every source, smallest source first (Redis's order): an empty result when a
     * source is missing. Stops after {@code limit} members. Sources are read in place: the
     * walk's buffers (an intset's decimal text) are not touched by the lookups or the builder.
     */
    private static void intersect(Source[] sources, long limit, ChunkedTable.ElementVisitor emit) {
        for (Source s : sources) {
            if (!s.exists()) {
                return;
            }
        }
        Source[] bySize = sources.clone();
        Arrays.sort(bySize, Comparator.comparingLong(s -> s.size));
        LongParse scratch = new LongParse();
        long[] found = {0};
        bySize[0].forEach((page, a, al, b, bl) -> {
            if (found[0] >= limit) {
                return;
            }
            for (int j = 1; j < bySize.length; j++) {
                if (!bySize[j].contains(page, a, al, scratch)) {
                    return;
                }
            }
            found[0]++;
            emit.element(page, a, al, 0, 0);
        });
    }

    /** Adds the union or difference to {@code into}; false when it overflowed a builder kept small. */
    private static boolean combine(Op op, Source[] sources, SetBuilder into) {
        boolean[] fits = {true};
        if (op == Op.UNION) {
            for (Source s : sources) {
                s.forEach((page, a, al, b, bl) -> fits[0] = fits[0] && into.add(page, a, al));
                if (!fits[0]) {
                    return false;
                }
            }
            return true;
        }
        LongParse scratch = new LongParse();
        sources[0].forEach((page, a, al, b, bl) -> {
            if (fits[0] && !inOthers(sources, page, a, al, scratch)) {
                fits[0] = into.add(page, a, al);
            }
        });
        return fits[0];
    }

    /** The union or difference streamed, without building it: each member once. */
    private static void stream(Op op, Source[] sources, ChunkedTable.ElementVisitor emit) {
        LongParse scratch = new LongParse();
        if (op == Op.UNION) {
            for (int i = 0; i < sources.length; i++) {
                int upTo = i;
                sources[i].forEach((page, a, al, b, bl) -> {
                    for (int j = 0; j < upTo; j++) {
                        if (sources[j].contains(page, a, al, scratch)) {
                            return;
                        }
                    }
                    emit.element(page, a, al, 0, 0);
                });
            }
            return;
        }
        sources[0].forEach((page, a, al, b, bl) -> {
            if (!inOthers(sources, page, a, al, scratch)) {
                emit.element(page, a, al, 0, 0);
            }
        });
    }

    private static boolean inOthers(Source[] sources, MemorySegment member, long offset, long length, LongParse scratch) {
        for (int j = 1; j < sources.length; j++) {
            if (sources[j].contains(member, offset, length, scratch)) {
                return true;
            }
        }
        return false;
    }

}
