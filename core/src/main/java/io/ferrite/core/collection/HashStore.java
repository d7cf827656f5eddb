package io.ferrite.core.collection;

import io.ferrite.core.EncodingLimits;
import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.EntrySink;
import io.ferrite.core.api.HashFieldVisitor;
import io.ferrite.core.api.LookupSink;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.engine.KeyContext;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.shard.RecordView;
import io.ferrite.core.strings.LongParse;
import io.ferrite.core.strings.RedisNumbers;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's hashes on the collection storage: a small hash is one packed value in insertion
 * order ({@link RecordKind#HASH_PACK}, Redis's listpack), a large one a table of chunks
 * ({@link RecordKind#HASH_TABLE}, Redis's hashtable), converted one way when the
 * {@link EncodingLimits} are passed, as Redis does. Every method runs inside an operation of
 * the engine's template, for the key of its {@link KeyContext}: writes and multi-element reads
 * under the shard's lock (with the shard's {@link Workspace}), single-element reads without.
 */
public final class HashStore {
    private static final int ARITY = 2;
    /** Largest packed hash in bytes, whatever the limits (Redis: 1 GB, lpSafeToAdd). */
    private static final long MAX_PACK_BYTES = 1L << 30;

    private final EncodingLimits limits;

    public HashStore(EncodingLimits limits) {
        this.limits = limits;
    }

    // ---- writes ----

    /**
     * HSET / HMSET / HSETNX of {@code pairs} field-value pairs at {@code args[from..]}: the
     * number of new fields goes to {@code added}. With {@code onlyIfAbsent} (HSETNX, one pair),
     * an existing field is left alone and nothing is written.
     */
    public Status set(Workspace w, KeyContext k, MemorySegment[] args, int from, int pairs, boolean onlyIfAbsent,
                      ChangeKind event, LongParse added) {
        added.value = 0;
        RecordView root = w.root(k);
        if (root.exists() && root.type() != ValueType.HASH) {
            return Status.WRONG_TYPE;
        }
        if (root.kind == RecordKind.HASH_TABLE) {
            return setInTable(w, k, root, args, from, pairs, onlyIfAbsent, event, added);
        }
        PackBuffer pack = w.buffer;
        if (root.exists()) {
            pack.load(root.page, root.valueOffset, root.valueLength);
        } else {
            pack.clear();
        }
        long fields = root.exists() ? Pack.count(pack.segment(), 0, pack.length(), ARITY) : 0;
        boolean tooLong = false;
        for (int i = 0; i < pairs; i++) {
            MemorySegment f = args[from + 2 * i];
            MemorySegment v = args[from + 2 * i + 1];
            long at = pack.find(ARITY, f, 0, f.byteSize());
            if (at >= 0 && onlyIfAbsent) {
                return Status.OK;
            }
            tooLong |= f.byteSize() > limits.hashMaxListpackValue() || v.byteSize() > limits.hashMaxListpackValue();
            if (at >= 0) {
                pack.replace(Pack.next(pack.segment(), at), v, 0, v.byteSize());
            } else {
                pack.append(f, 0, f.byteSize());
                pack.append(v, 0, v.byteSize());
                fields++;
                added.value++;
            }
        }
        if (tooLong || fields > limits.hashMaxListpackEntries() || pack.length() > MAX_PACK_BYTES) {
            return convert(w, k, pack, event);
        }
        return w.writeValue(k, RecordKind.HASH_PACK, pack, root.exists(), event);
    }

    /** Moves a hash (already merged into {@code pack}) to a table of chunks and writes its root. */
    private Status convert(Workspace w, KeyContext k, PackBuffer pack, ChangeKind event) {
        ChunkedTable table = w.table;
        Status status = table.create(k.db(), ARITY, ChunkedTable.chunksFor(pack.length()));
        if (status == Status.OK) {
            status = table.fill(pack.segment(), 0, pack.length());
        }
        if (status == Status.OK) {
            status = w.writeRoot(k, RecordKind.HASH_TABLE, event);
        }
        if (status != Status.OK) {
            k.shard().parts().release(k.db(), table.collection, table.partBytes);
        }
        return status;
    }

    private Status setInTable(Workspace w, KeyContext k, RecordView root, MemorySegment[] args, int from, int pairs,
                              boolean onlyIfAbsent, ChangeKind event, LongParse added) {
        ChunkedTable table = w.table.load(k.db(), ARITY, root.page, root.valueOffset);
        Status status = table.splitIfDue(r -> w.writeRoot(k, RecordKind.HASH_TABLE, null));
        if (status != Status.OK) {
            return status;
        }
        for (int i = 0; pairs > 1 && i < pairs; i++) { // see ChunkedTable#touch
            MemorySegment f = args[from + 2 * i];
            table.touch(f, 0, f.byteSize());
        }
        if (onlyIfAbsent) {
            MemorySegment f = args[from];
            if (table.find(f, 0, f.byteSize(), (page, a, al, b, bl) -> {})) {
                return Status.OK;
            }
        }
        for (int i = 0; i < pairs; i++) {
            MemorySegment f = args[from + 2 * i];
            MemorySegment v = args[from + 2 * i + 1];
            int result = table.put(f, 0, f.byteSize(), v, 0, v.byteSize());
            if (result < 0) {
                return Status.OUT_OF_MEMORY;
            }
            added.value += result;
        }
        return w.writeRoot(k, RecordKind.HASH_TABLE, event);
    }

    /** HDEL: the number of fields removed goes to {@code removed}; an emptied hash is deleted. */
    public Status delete(Workspace w, KeyContext k, MemorySegment[] fields, int from, int n, LongParse removed) {
        removed.value = 0;
        RecordView root = w.root(k);
        if (!root.exists()) {
            return Status.OK;
        }
        if (root.type() != ValueType.HASH) {
            return Status.WRONG_TYPE;
        }
        if (root.kind == RecordKind.HASH_TABLE) {
            ChunkedTable table = w.table.load(k.db(), ARITY, root.page, root.valueOffset);
            for (int i = 0; n > 1 && i < n; i++) { // see ChunkedTable#touch
                table.touch(fields[from + i], 0, fields[from + i].byteSize());
            }
            for (int i = 0; i < n && table.count > 0; i++) {
                int result = table.remove(fields[from + i], 0, fields[from + i].byteSize());
                if (result < 0) {
                    return Status.OUT_OF_MEMORY;
                }
                removed.value += result;
            }
            if (removed.value == 0) {
                return Status.OK;
            }
            if (table.count == 0) {
                w.deleteEmptied(k, ChangeKind.HDEL);
                return Status.OK;
            }
            return w.writeRoot(k, RecordKind.HASH_TABLE, ChangeKind.HDEL);
        }
        PackBuffer pack = w.buffer;
        pack.load(root.page, root.valueOffset, root.valueLength);
        for (int i = 0; i < n && pack.length() > 0; i++) {
            MemorySegment f = fields[from + i];
            long at = pack.find(ARITY, f, 0, f.byteSize());
            if (at >= 0) {
                pack.remove(at, Pack.nextEntry(pack.segment(), at, ARITY));
                removed.value++;
            }
        }
        if (removed.value == 0) {
            return Status.OK;
        }
        if (pack.length() == 0) {
            w.deleteEmptied(k, ChangeKind.HDEL);
            return Status.OK;
        }
        return w.writeValue(k, RecordKind.HASH_PACK, pack, false, ChangeKind.HDEL);
    }

    /**
     * HINCRBY: adds {@code delta} to the field's integer (0 when missing); the result goes to
     * {@code result}. NOT_AN_INTEGER when the stored value is not one, OVERFLOW past 64 bits.
     */
    public Status incrBy(Workspace w, KeyContext k, MemorySegment field, long delta, LongParse result) {
        RecordView root = w.root(k);
        if (root.exists() && root.type() != ValueType.HASH) {
            return Status.WRONG_TYPE;
        }
        LongParse current = new LongParse();
        boolean[] integer = {true};
        int found = readField(w, k, root, field, (src, off, len) -> integer[0] = RedisNumbers.tryParseLong(src, off, len, current));
        if (found > 0 && !integer[0]) {
            return Status.NOT_AN_INTEGER;
        }
        long old = found > 0 ? current.value : 0;
        if ((delta < 0 && old < 0 && delta < Long.MIN_VALUE - old) || (delta > 0 && old > 0 && delta > Long.MAX_VALUE - old)) {
            return Status.OVERFLOW;
        }
        long updated = old + delta;
        result.value = updated;
        int length = RedisNumbers.formatLong(updated, w.number, 0);
        return setNumber(w, k, field, length, ChangeKind.HINCRBY);
    }

    /**
     * HINCRBYFLOAT with the increment as text (already checked to be a finite float by the
     * caller, as Redis checks it before the key): the result, as Redis formats it, goes to
     * {@code result}. NOT_A_FLOAT when the stored value is not a float, NAN_OR_INFINITY when
     * the sum is not finite.
     */
    public Status incrByFloat(Workspace w, KeyContext k, MemorySegment field, MemorySegment increment, ValueSink result) {
        RecordView root = w.root(k);
        if (root.exists() && root.type() != ValueType.HASH) {
            return Status.WRONG_TYPE;
        }
        int[] length = {0};
        int found = readField(w, k, root, field, (src, off, len) ->
                length[0] = RedisNumbers.incrByFloat(src, off, len, increment, 0, increment.byteSize(), w.number, 0));
        if (found == 0) {
            length[0] = RedisNumbers.incrByFloat(null, 0, 0, increment, 0, increment.byteSize(), w.number, 0);
        }
        switch (length[0]) {
            case RedisNumbers.FLOAT_VALUE_INVALID -> {
                return Status.NOT_A_FLOAT;
            }
            case RedisNumbers.FLOAT_INCREMENT_INVALID -> {
                return Status.NOT_A_FLOAT;
            }
            case RedisNumbers.FLOAT_NAN_OR_INFINITY -> {
                return Status.NAN_OR_INFINITY;
            }
            default -> { }
        }
        Status status = setNumber(w, k, field, length[0], ChangeKind.HINCRBYFLOAT);
        if (status == Status.OK) {
            result.accept(w.numberSegment, 0, length[0]);
        }
        return status;
    }

    /**
     * Hands the current value of {@code field} to {@code sink}, under the lock: 1 when found,
     * 0 when the field (or the key) is missing.
     */
    private static int readField(Workspace w, KeyContext k, RecordView root, MemorySegment field, ValueSink sink) {
        if (!root.exists()) {
            return 0;
        }
        if (root.kind == RecordKind.HASH_TABLE) {
            ChunkedTable table = w.table.load(k.db(), ARITY, root.page, root.valueOffset);
            return table.find(field, 0, field.byteSize(), (page, f, fl, v, vl) -> sink.accept(page, v, vl)) ? 1 : 0;
        }
        long at = Pack.find(root.page, root.valueOffset, root.valueOffset + root.valueLength, ARITY, field, 0, field.byteSize());
        if (at < 0) {
            return 0;
        }
        long v = Pack.next(root.page, at);
        sink.accept(root.page, Pack.data(root.page, v), Pack.length(root.page, v));
        return 1;
    }

    /** Sets {@code field} to the number text in the workspace's number buffer. */
    private Status setNumber(Workspace w, KeyContext k, MemorySegment field, int length, ChangeKind event) {
        MemorySegment[] pair = {field, w.numberSegment.asSlice(0, length)};
        return set(w, k, pair, 0, 1, false, event, new LongParse());
    }

    // ---- reads under the lock (several elements at once, consistent) ----

    /** What {@link #getAll} hands out. */
    public enum Part { FIELDS, VALUES, ENTRIES }

    /**
     * HKEYS / HVALS / HGETALL: every element in storage order (insertion order while packed);
     * the number of elements goes to {@code count}. Fields and values go to {@code one}
     * ({@code FIELDS}, {@code VALUES}), entries to {@code both}.
     */
    public Status getAll(Workspace w, KeyContext k, Part part, ValueSink one, EntrySink both, LongParse count) {
        count.value = 0;
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.OK;
        }
        if (root.type() != ValueType.HASH) {
            return Status.WRONG_TYPE;
        }
        ChunkedTable.ElementVisitor visitor = (page, f, fl, v, vl) -> {
            count.value++;
            switch (part) {
                case FIELDS -> one.accept(page, f, fl);
                case VALUES -> one.accept(page, v, vl);
                case ENTRIES -> both.accept(page, f, fl, page, v, vl);
            }
        };
        Elements.forEach(w, k, root, visitor);
        return Status.OK;
    }

    /** HMGET: each field's value, or missing, in the order asked. */
    public Status getMany(Workspace w, KeyContext k, MemorySegment[] fields, int from, int n, LookupSink sink) {
        RecordView root = w.rootForRead(k);
        if (root.exists() && root.type() != ValueType.HASH) {
            return Status.WRONG_TYPE;
        }
        for (int i = 0; i < n; i++) {
            if (readField(w, k, root, fields[from + i], sink::found) == 0) {
                sink.missing();
            }
        }
        return Status.OK;
    }

    /**
     * HRANDFIELD with a count: {@code count > 0} distinct fields (all of them, in storage
     * order, when it covers the hash), {@code count < 0} that many picks with repetition. The
     * number of elements handed out goes to {@code handed}.
     */
    public Status random(Workspace w, KeyContext k, long count, EntrySink sink, LongParse handed) {
        handed.value = 0;
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.OK;
        }
        if (root.type() != ValueType.HASH) {
            return Status.WRONG_TYPE;
        }
        return Sampling.sample(w, k, root, ARITY, count, (page, f, fl, v, vl) -> {
            handed.value++;
            sink.accept(page, f, fl, page, v, vl);
        });
    }

    /**
     * HSCAN: one step from {@code cursor}; the next cursor (0 when done) goes to {@code next}.
     * A packed hash is returned whole with cursor 0, as Redis does for a listpack.
     */
    public Status scan(Workspace w, KeyContext k, long cursor, long count, EntrySink sink, LongParse next) {
        next.value = 0;
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.NOT_FOUND;
        }
        if (root.type() != ValueType.HASH) {
            return Status.WRONG_TYPE;
        }
        ChunkedTable.ElementVisitor visitor = (page, f, fl, v, vl) -> sink.accept(page, f, fl, page, v, vl);
        if (root.kind == RecordKind.HASH_TABLE) {
            next.value = w.table.load(k.db(), ARITY, root.page, root.valueOffset).scan(cursor, count, visitor);
        } else {
            Elements.forEach(w, k, root, visitor);
        }
        return Status.OK;
    }

    // ---- single-element reads without the lock ----

    /** HGET: the field's value to {@code sink}; NOT_FOUND when the key or the field is missing. */
    public Status get(KeyContext k, MemorySegment field, ValueSink sink) {
        return Lookups.find(k, ValueType.HASH, ARITY, field, (page, f, fl, v, vl) -> sink.accept(page, v, vl));
    }

    /**
     * Hands {@code visitor} the value of {@code field} in the hash whose newest record (of record
     * kind {@code kind}) holds its value at {@code valueOffset} of {@code page}: read in place for a
     * small (packed) hash; {@link HashFieldVisitor#NOT_READ} for a chunked one, whose field needs
     * a lookup of its chunk.
     */
    public static void fieldInRecord(MemorySegment key, int kind, MemorySegment page, long valueOffset, long valueLength,
                                     MemorySegment field, HashFieldVisitor visitor) {
        if (RecordKind.isTable(kind)) {
            visitor.visit(key, null, 0, HashFieldVisitor.NOT_READ);
            return;
        }
        long at = Pack.find(page, valueOffset, valueOffset + valueLength, ARITY, field, 0, field.byteSize());
        if (at < 0) {
            visitor.visit(key, null, 0, HashFieldVisitor.MISSING);
            return;
        }
        long value = Pack.next(page, at);
        visitor.visit(key, page, Pack.data(page, value), Pack.length(page, value));
    }

    /** HLEN into {@code length} (0 for a missing key). */
    public Status length(KeyContext k, LongParse length) {
        return Lookups.size(k, ValueType.HASH, ARITY, length);
    }

    /** A random field (HRANDFIELD without a count) to {@code sink}; NOT_FOUND for a missing key. */
    public Status randomField(Workspace w, KeyContext k, ValueSink sink) {
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.NOT_FOUND;
        }
        if (root.type() != ValueType.HASH) {
            return Status.WRONG_TYPE;
        }
        Sampling.one(w, k, root, ARITY, ThreadLocalRandom.current(), (page, f, fl, v, vl) -> sink.accept(page, f, fl));
        return Status.OK;
    }
}
