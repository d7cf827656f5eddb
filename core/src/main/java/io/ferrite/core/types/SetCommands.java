package io.ferrite.core.types;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.collection.CollectionSpace;
import io.ferrite.core.collection.SetAlgebra;
import io.ferrite.core.collection.SetStore;
import io.ferrite.core.engine.Engine;
import io.ferrite.core.engine.ShardSet;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;

/**
 * Redis's set commands at the engine level, with Redis 7.0's semantics: intset and hashtable
 * encodings and their conversions, SPOP's strategies, uniform random members, set algebra over
 * keys in any shards (their shards locked together, so each command is atomic), STORE forms
 * that replace whatever the destination held. Members are binary-safe segments; results are
 * {@link Status} values with counts in {@link LongParse} holders and members handed to sinks,
 * which must copy what they keep before returning.
 *
 * <p>Thread-safe; obtain it from {@link io.ferrite.core.FerriteStore#sets()}.
 */
public final class SetCommands {
    private final Engine engine;
    private final CollectionSpace space;
    private final SetStore store;

    public SetCommands(Engine engine, CollectionSpace space) {
        this.engine = engine;
        this.space = space;
        this.store = space.sets();
    }

    /** SADD: members added into {@code added}. */
    public Status add(int db, MemorySegment key, MemorySegment[] members, int from, int n, LongParse added) {
        return engine.write(db, key, k -> store.add(space.workspace(k.shard()), k, members, from, n, added));
    }

    /** SREM: members removed into {@code removed}; the key goes when the set empties. */
    public Status remove(int db, MemorySegment key, MemorySegment[] members, int from, int n, LongParse removed) {
        return engine.write(db, key, k -> store.remove(space.workspace(k.shard()), k, members, from, n, removed));
    }

    /** SMEMBERS: every member to {@code sink}, their number to {@code count}. */
    public Status members(int db, MemorySegment key, ValueSink sink, LongParse count) {
        return engine.readLocked(db, key, k -> store.members(space.workspace(k.shard()), k, sink, count));
    }

    /** SISMEMBER into {@code result} (1 or 0). */
    public Status contains(int db, MemorySegment key, MemorySegment member, LongParse result) {
        return engine.read(db, key, k -> store.contains(k, member, result));
    }

    /** SMISMEMBER: for each of {@code n} members, whether it is in the set, into {@code out}. */
    public Status containsMany(int db, MemorySegment key, MemorySegment[] members, int from, int n, boolean[] out) {
        return engine.readLocked(db, key, k -> store.containsMany(space.workspace(k.shard()), k, members, from, n, out));
    }

    /** SCARD into {@code size}. */
    public Status size(int db, MemorySegment key, LongParse size) {
        return engine.read(db, key, k -> store.size(k, size));
    }

    /** SPOP without a count: one random member to {@code sink}, removed; NOT_FOUND for a missing key. */
    public Status pop(int db, MemorySegment key, ValueSink sink) {
        return engine.write(db, key, k -> store.pop(space.workspace(k.shard()), k, sink));
    }

    /** SPOP with a count (at least 0): up to {@code count} random members to {@code sink}, removed; how many into {@code popped}. */
    public Status pop(int db, MemorySegment key, long count, ValueSink sink, LongParse popped) {
        if (count < 0) {
            throw new IllegalArgumentException("SPOP count must not be negative");
        }
        return engine.write(db, key, k -> store.pop(space.workspace(k.shard()), k, count, sink, popped));
    }

    /** SRANDMEMBER without a count; NOT_FOUND for a missing key. */
    public Status randomMember(int db, MemorySegment key, ValueSink sink) {
        return engine.readLocked(db, key, k -> store.randomMember(space.workspace(k.shard()), k, sink));
    }

    /**
     * SRANDMEMBER with a count: {@code count > 0} distinct members, {@code count < 0} that
     * many with repetition; how many went to {@code sink} into {@code handed}.
     */
    public Status random(int db, MemorySegment key, long count, ValueSink sink, LongParse handed) {
        return engine.readLocked(db, key, k -> store.random(space.workspace(k.shard()), k, count, sink, handed));
    }

    /** SSCAN: one step from {@code cursor}; the next cursor into {@code next}. NOT_FOUND for a missing key. */
    public Status scan(int db, MemorySegment key, long cursor, long count, ValueSink sink, LongParse next) {
        return engine.readLocked(db, key, k -> store.scan(space.workspace(k.shard()), k, cursor, count, sink, next));
    }

    /** SMOVE: 1 into {@code moved} when {@code member} went from {@code source} to {@code destination}. */
    public Status move(int db, MemorySegment source, MemorySegment destination, MemorySegment member, LongParse moved) {
        engine.checkDb(db);
        Status bad = engine.checkKey(destination);
        if (bad != null) {
            return bad;
        }
        boolean sameKey = source.byteSize() == destination.byteSize() && source.mismatch(destination) == -1;
        ShardSet locks = engine.shardSet().add(engine.shardFor(Engine.hashOf(source))).add(engine.shardFor(Engine.hashOf(destination)));
        return engine.lockedWrite(locks, now -> space.algebra().move(source(db, source, now), source(db, destination, now),
                member, sameKey, moved));
    }

    /** SINTER: the members in every set to {@code sink}, their number to {@code count}. */
    public Status intersection(int db, MemorySegment[] keys, int from, int n, ValueSink sink, LongParse count) {
        return compute(SetAlgebra.Op.INTER, db, keys, from, n, sink, count);
    }

    /** SUNION. */
    public Status union(int db, MemorySegment[] keys, int from, int n, ValueSink sink, LongParse count) {
        return compute(SetAlgebra.Op.UNION, db, keys, from, n, sink, count);
    }

    /** SDIFF: the members of the first set in none of the others. */
    public Status difference(int db, MemorySegment[] keys, int from, int n, ValueSink sink, LongParse count) {
        return compute(SetAlgebra.Op.DIFF, db, keys, from, n, sink, count);
    }

    /** SINTERCARD: the intersection's size, counted up to {@code limit} (0: no limit). */
    public Status intersectionSize(int db, MemorySegment[] keys, int from, int n, long limit, LongParse count) {
        engine.checkDb(db);
        return engine.locked(locksFor(keys, from, n, null), now -> space.algebra().interCard(sources(db, keys, from, n, now), limit, count));
    }

    /** SINTERSTORE: the result's size into {@code count}; an empty result deletes {@code destination}. */
    public Status intersectionStore(int db, MemorySegment destination, MemorySegment[] keys, int from, int n, LongParse count) {
        return store(SetAlgebra.Op.INTER, ChangeKind.SINTERSTORE, db, destination, keys, from, n, count);
    }

    /** SUNIONSTORE. */
    public Status unionStore(int db, MemorySegment destination, MemorySegment[] keys, int from, int n, LongParse count) {
        return store(SetAlgebra.Op.UNION, ChangeKind.SUNIONSTORE, db, destination, keys, from, n, count);
    }

    /** SDIFFSTORE. */
    public Status differenceStore(int db, MemorySegment destination, MemorySegment[] keys, int from, int n, LongParse count) {
        return store(SetAlgebra.Op.DIFF, ChangeKind.SDIFFSTORE, db, destination, keys, from, n, count);
    }

    private Status compute(SetAlgebra.Op op, int db, MemorySegment[] keys, int from, int n, ValueSink sink, LongParse count) {
        engine.checkDb(db);
        return engine.locked(locksFor(keys, from, n, null), now -> space.algebra().compute(op, sources(db, keys, from, n, now), sink, count));
    }

    private Status store(SetAlgebra.Op op, ChangeKind event, int db, MemorySegment destination, MemorySegment[] keys, int from, int n,
                         LongParse count) {
        engine.checkDb(db);
        Status bad = engine.checkKey(destination);
        if (bad != null) {
            return bad;
        }
        return engine.lockedWrite(locksFor(keys, from, n, destination), now ->
                space.algebra().store(op, source(db, destination, now), sources(db, keys, from, n, now), event, count));
    }

    private ShardSet locksFor(MemorySegment[] keys, int from, int n, MemorySegment extra) {
        ShardSet locks = engine.shardSet();
        for (int i = 0; i < n; i++) {
            locks.add(engine.shardFor(Engine.hashOf(keys[from + i])));
        }
        if (extra != null) {
            locks.add(engine.shardFor(Engine.hashOf(extra)));
        }
        return locks;
    }

    private SetAlgebra.Source source(int db, MemorySegment key, long now) {
        io.ferrite.core.engine.KeyContext k = engine.keyContext(db, key, now);
        return new SetAlgebra.Source(k, space.workspace(k.shard()));
    }

    private SetAlgebra.Source[] sources(int db, MemorySegment[] keys, int from, int n, long now) {
        SetAlgebra.Source[] sources = new SetAlgebra.Source[n];
        for (int i = 0; i < n; i++) {
            sources[i] = source(db, keys[from + i], now);
        }
        return sources;
    }
}
