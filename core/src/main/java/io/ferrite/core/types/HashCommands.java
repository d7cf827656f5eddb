package io.ferrite.core.types;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.EntrySink;
import io.ferrite.core.api.HashFieldVisitor;
import io.ferrite.core.api.LookupSink;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.collection.CollectionSpace;
import io.ferrite.core.collection.HashStore;
import io.ferrite.core.engine.Engine;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;

/**
 * Redis's hash commands at the engine level, with Redis 7.0's semantics: storage order
 * (insertion order while the hash is small), encodings and their conversions, integer and
 * float rules of HINCRBY and HINCRBYFLOAT, random fields, scans. Fields and values are
 * binary-safe segments (each whole segment is the element). Results are {@link Status}
 * values with counts in {@link LongParse} holders and elements handed to sinks, which must
 * copy what they keep before returning.
 *
 * <p>Thread-safe; obtain it from {@link io.ferrite.core.FerriteStore#hashes()}.
 */
public final class HashCommands {
    private final Engine engine;
    private final CollectionSpace space;
    private final HashStore store;

    public HashCommands(Engine engine, CollectionSpace space) {
        this.engine = engine;
        this.space = space;
        this.store = space.hashes();
    }

    /** HSET / HMSET of {@code pairs} field-value pairs at {@code args[from..]}: new fields go to {@code added}. */
    public Status set(int db, MemorySegment key, MemorySegment[] args, int from, int pairs, LongParse added) {
        if (pairs < 1) {
            throw new IllegalArgumentException("HSET needs at least one field and value");
        }
        return engine.write(db, key, k -> store.set(space.workspace(k.shard()), k, args, from, pairs, false, ChangeKind.HSET, added));
    }

    /** HSETNX: 1 into {@code set} when the field was new and is now set, 0 when it existed. */
    public Status setIfAbsent(int db, MemorySegment key, MemorySegment field, MemorySegment value, LongParse set) {
        MemorySegment[] pair = {field, value};
        return engine.write(db, key, k -> store.set(space.workspace(k.shard()), k, pair, 0, 1, true, ChangeKind.HSET, set));
    }

    /** HGET: the value to {@code sink}; NOT_FOUND when the key or the field is missing. */
    public Status get(int db, MemorySegment key, MemorySegment field, ValueSink sink) {
        return engine.read(db, key, k -> store.get(k, field, sink));
    }

    /** HMGET: each field's value or missing, in order (a missing key is an empty hash). */
    public Status getMany(int db, MemorySegment key, MemorySegment[] fields, int from, int n, LookupSink sink) {
        return engine.readLocked(db, key, k -> store.getMany(space.workspace(k.shard()), k, fields, from, n, sink));
    }

    /** HDEL: fields removed into {@code removed}; the key goes when the hash empties. */
    public Status delete(int db, MemorySegment key, MemorySegment[] fields, int from, int n, LongParse removed) {
        return engine.write(db, key, k -> store.delete(space.workspace(k.shard()), k, fields, from, n, removed));
    }

    /** HLEN into {@code length}. */
    public Status length(int db, MemorySegment key, LongParse length) {
        return engine.read(db, key, k -> store.length(k, length));
    }

    /** HSTRLEN into {@code length} (0 when the field or the key is missing). */
    public Status valueLength(int db, MemorySegment key, MemorySegment field, LongParse length) {
        length.value = 0;
        Status status = get(db, key, field, (src, off, len) -> length.value = len);
        return status == Status.NOT_FOUND ? Status.OK : status;
    }

    /** HEXISTS into {@code exists} (1 or 0). */
    public Status exists(int db, MemorySegment key, MemorySegment field, LongParse exists) {
        Status status = get(db, key, field, (src, off, len) -> { });
        exists.value = status == Status.OK ? 1 : 0;
        return status == Status.NOT_FOUND ? Status.OK : status;
    }

    /** HKEYS: every field to {@code sink}, their number to {@code count}. */
    public Status fields(int db, MemorySegment key, ValueSink sink, LongParse count) {
        return engine.readLocked(db, key, k -> store.getAll(space.workspace(k.shard()), k, HashStore.Part.FIELDS, sink, null, count));
    }

    /** HVALS: every value to {@code sink}, their number to {@code count}. */
    public Status values(int db, MemorySegment key, ValueSink sink, LongParse count) {
        return engine.readLocked(db, key, k -> store.getAll(space.workspace(k.shard()), k, HashStore.Part.VALUES, sink, null, count));
    }

    /** HGETALL: every field and value to {@code sink}, the number of fields to {@code count}. */
    public Status entries(int db, MemorySegment key, EntrySink sink, LongParse count) {
        return engine.readLocked(db, key, k -> store.getAll(space.workspace(k.shard()), k, HashStore.Part.ENTRIES, null, sink, count));
    }

    /** HINCRBY: the new value into {@code result}. */
    public Status incrBy(int db, MemorySegment key, MemorySegment field, long delta, LongParse result) {
        return engine.write(db, key, k -> store.incrBy(space.workspace(k.shard()), k, field, delta, result));
    }

    /**
     * HINCRBYFLOAT, the increment as text (the caller has checked it is a finite float, as
     * Redis does before looking at the key): the new value as Redis formats it to {@code result}.
     */
    public Status incrByFloat(int db, MemorySegment key, MemorySegment field, MemorySegment increment, ValueSink result) {
        return engine.write(db, key, k -> store.incrByFloat(space.workspace(k.shard()), k, field, increment, result));
    }

    /** HRANDFIELD without a count: one random field to {@code sink}; NOT_FOUND for a missing key. */
    public Status randomField(int db, MemorySegment key, ValueSink sink) {
        return engine.readLocked(db, key, k -> store.randomField(space.workspace(k.shard()), k, sink));
    }

    /**
     * HRANDFIELD with a count: {@code count > 0} distinct entries, {@code count < 0} that many
     * with repetition; how many went to {@code sink} into {@code handed}.
     */
    public Status random(int db, MemorySegment key, long count, EntrySink sink, LongParse handed) {
        return engine.readLocked(db, key, k -> store.random(space.workspace(k.shard()), k, count, sink, handed));
    }

    /**
     * HSCAN: one step from {@code cursor} (0 to start), about {@code count} entries to
     * {@code sink}; the next cursor (0 at the end) into {@code next}. NOT_FOUND for a missing key.
     */
    public Status scan(int db, MemorySegment key, long cursor, long count, EntrySink sink, LongParse next) {
        return engine.readLocked(db, key, k -> store.scan(space.workspace(k.shard()), k, cursor, count, sink, next));
    }

    /**
     * One step of a walk of {@code db}'s hashes ({@link KeyCommands#scan}'s cursor and
     * guarantees) that hands each hash's value of {@code field} to {@code visitor} in the same
     * pass: one index lookup per hash instead of a SCAN and an HGET. A large hash's field is
     * not read there ({@link HashFieldVisitor#NOT_READ}): ask {@link #get} for it.
     *
     * @return the next cursor, 0 when the walk is complete
     */
    public long scanField(int db, long cursor, long count, MemorySegment field, HashFieldVisitor visitor) {
        return engine.scanRecords(db, cursor, count, ValueType.HASH, (key, kind, page, valueOffset, valueLength) ->
                HashStore.fieldInRecord(key, kind, page, valueOffset, valueLength, field, visitor));
    }
}
