package io.ferrite.core.collection;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.engine.KeyContext;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.shard.RecordView;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;

/**
 * Redis's lists, interim: a list is one packed value ({@link RecordKind#LIST_PACK}), its
 * elements from head to tail, so every push and pop rewrites it (O(n) in its bytes, like a
 * single listpack node). Chunked lists with O(1) pushes at any size come with the
 * lists-and-sorted-sets issue; until then a list may not grow past {@link #MAX_BYTES}.
 * Every method runs inside an operation of the engine's template, under the shard's lock.
 */
public final class ListStore {
    /** Largest packed list, so that no push copies more than this on an event loop. */
    public static final long MAX_BYTES = 16L << 20;
    private static final int ARITY = 1;

    /**
     * LPUSH / RPUSH (and the X forms with {@code onlyIfExists}) of {@code n} elements at
     * {@code args[from..]}: the list's new length goes to {@code length} (0 when an X form finds
     * no list). VALUE_TOO_LARGE past {@link #MAX_BYTES}.
     */
    public Status push(Workspace w, KeyContext k, MemorySegment[] args, int from, int n, boolean left,
                       boolean onlyIfExists, LongParse length) {
        length.value = 0;
        RecordView root = w.root(k);
        if (root.exists() && root.type() != ValueType.LIST) {
            return Status.WRONG_TYPE;
        }
        if (!root.exists() && onlyIfExists) {
            return Status.OK;
        }
        long bytes = root.exists() ? root.valueLength : 0;
        for (int i = 0; i < n; i++) {
            bytes += Pack.sizeOf(args[from + i].byteSize());
        }
        if (bytes > MAX_BYTES) {
            return Status.VALUE_TOO_LARGE;
        }
        PackBuffer list = w.buffer;
        list.clear();
        list.ensure(bytes);
        if (left) {
            for (int i = n - 1; i >= 0; i--) {
                list.append(args[from + i], 0, args[from + i].byteSize());
            }
        }
        if (root.exists()) {
            list.appendRaw(root.page, root.valueOffset, root.valueLength);
        }
        if (!left) {
            for (int i = 0; i < n; i++) {
                list.append(args[from + i], 0, args[from + i].byteSize());
            }
        }
        length.value = Pack.count(list.segment(), 0, list.length(), ARITY);
        return w.writeValue(k, RecordKind.LIST_PACK, list, true, left ? ChangeKind.LPUSH : ChangeKind.RPUSH);
    }

    /**
     * LPOP / RPOP of up to {@code count} elements, handed to {@code sink} in the order they
     * leave the list; how many went into {@code popped}. NOT_FOUND for a missing key. An
     * emptied list is deleted.
     */
    public Status pop(Workspace w, KeyContext k, boolean left, long count, ValueSink sink, LongParse popped) {
        popped.value = 0;
        RecordView root = w.root(k);
        if (!root.exists()) {
            return Status.NOT_FOUND;
        }
        if (root.type() != ValueType.LIST) {
            return Status.WRONG_TYPE;
        }
        MemorySegment page = root.page;
        long start = root.valueOffset;
        long end = start + root.valueLength;
        long size = Pack.count(page, start, end, ARITY);
        long n = Math.min(count, size);
        if (n == 0) {
            return Status.OK;
        }
        // The elements that stay are [keepFrom, keepTo); the popped ones are handed out first.
        long keepFrom;
        long keepTo;
        if (left) {
            long at = start;
            for (long i = 0; i < n; i++) {
                sink.accept(page, Pack.data(page, at), Pack.length(page, at));
                at = Pack.next(page, at);
            }
            keepFrom = at;
            keepTo = end;
        } else {
            long split = Pack.entryAt(page, start, ARITY, size - n);
            handReversed(page, split, n, sink);
            keepFrom = start;
            keepTo = split;
        }
        popped.value = n;
        ChangeKind event = left ? ChangeKind.LPOP : ChangeKind.RPOP;
        if (keepFrom == keepTo) {
            w.deleteEmptied(k, event);
            return Status.OK;
        }
        PackBuffer list = w.buffer;
        list.load(page, keepFrom, keepTo - keepFrom);
        return w.writeValue(k, RecordKind.LIST_PACK, list, false, event);
    }

    /** Hands the {@code n} elements from {@code from} to the sink last first. */
    private static void handReversed(MemorySegment page, long from, long n, ValueSink sink) {
        long[] offsets = new long[(int) n];
        long at = from;
        for (int i = 0; i < n; i++) {
            offsets[i] = at;
            at = Pack.next(page, at);
        }
        for (int i = (int) n - 1; i >= 0; i--) {
            sink.accept(page, Pack.data(page, offsets[i]), Pack.length(page, offsets[i]));
        }
    }

    /** LLEN into {@code length} (0 for a missing key). */
    public Status length(Workspace w, KeyContext k, LongParse length) {
        length.value = 0;
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.OK;
        }
        if (root.type() != ValueType.LIST) {
            return Status.WRONG_TYPE;
        }
        length.value = Pack.count(root.page, root.valueOffset, root.valueOffset + root.valueLength, ARITY);
        return Status.OK;
    }

    /**
     * LRANGE with Redis's index rules (negative from the tail, clamped): the elements to
     * {@code sink}, their number to {@code count}. A missing key is an empty list.
     */
    public Status range(Workspace w, KeyContext k, long startIndex, long stopIndex, ValueSink sink, LongParse count) {
        count.value = 0;
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.OK;
        }
        if (root.type() != ValueType.LIST) {
            return Status.WRONG_TYPE;
        }
        MemorySegment page = root.page;
        long end = root.valueOffset + root.valueLength;
        long size = Pack.count(page, root.valueOffset, end, ARITY);
        long start = IndexRange.first(startIndex, size);
        long stop = IndexRange.last(stopIndex, size);
        if (IndexRange.isEmpty(start, stop, size)) {
            return Status.OK;
        }
        long at = Pack.entryAt(page, root.valueOffset, ARITY, start);
        for (long i = start; i <= stop; i++) {
            sink.accept(page, Pack.data(page, at), Pack.length(page, at));
            at = Pack.next(page, at);
        }
        count.value = stop - start + 1;
        return Status.OK;
    }

    /** LINDEX: the element to {@code sink}; NOT_FOUND for a missing key or an index out of range. */
    public Status index(Workspace w, KeyContext k, long index, ValueSink sink) {
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.NOT_FOUND;
        }
        if (root.type() != ValueType.LIST) {
            return Status.WRONG_TYPE;
        }
        MemorySegment page = root.page;
        long size = Pack.count(page, root.valueOffset, root.valueOffset + root.valueLength, ARITY);
        long i = index < 0 ? size + index : index;
        if (i < 0 || i >= size) {
            return Status.NOT_FOUND;
        }
        long at = Pack.entryAt(page, root.valueOffset, ARITY, i);
        sink.accept(page, Pack.data(page, at), Pack.length(page, at));
        return Status.OK;
    }
}
