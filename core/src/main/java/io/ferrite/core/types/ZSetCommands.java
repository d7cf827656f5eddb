package io.ferrite.core.types;

import io.ferrite.core.api.EntrySink;
import io.ferrite.core.api.Status;
import io.ferrite.core.collection.CollectionSpace;
import io.ferrite.core.collection.ZSetStore;
import io.ferrite.core.engine.Engine;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;

/**
 * The first of Redis's sorted-set commands at the engine level (ZADD with all its flags,
 * ZREM, ZCARD, ZSCORE, ZRANGE by index), with Redis 7.0's semantics, on the interim packed
 * storage of {@link ZSetStore}. Range results hand each member with its score as an 8-byte
 * native-order double; sinks must copy what they keep before returning.
 *
 * <p>Thread-safe; obtain it from {@link io.ferrite.core.FerriteStore#zsets()}.
 */
public final class ZSetCommands {
    /** ZADD's flags, to combine for {@link #add}. */
    public static final int NX = ZSetStore.NX;
    public static final int XX = ZSetStore.XX;
    public static final int GT = ZSetStore.GT;
    public static final int LT = ZSetStore.LT;
    public static final int INCR = ZSetStore.INCR;
    public static final int CH = ZSetStore.CH;

    private final Engine engine;
    private final CollectionSpace space;
    private final ZSetStore store;

    public ZSetCommands(Engine engine, CollectionSpace space) {
        this.engine = engine;
        this.space = space;
        this.store = space.zsets();
    }

    /**
     * ZADD of {@code n} pairs ({@code scores[i]}, {@code members[from + i]}) with
     * the flags above: the reply count (added, or added + updated with CH) goes to
     * {@code result}; with INCR the new score goes to {@code newScore[0]}, and NOT_PERFORMED
     * says the flags left the member alone. NAN_OR_INFINITY when an increment gives NaN.
     */
    public Status add(int db, MemorySegment key, double[] scores, MemorySegment[] members, int from, int n, int flags,
                      LongParse result, double[] newScore) {
        return engine.write(db, key, k -> store.add(space.workspace(k.shard()), k, scores, members, from, n, flags, result, newScore));
    }

    /** ZREM: members removed into {@code removed}. */
    public Status remove(int db, MemorySegment key, MemorySegment[] members, int from, int n, LongParse removed) {
        return engine.write(db, key, k -> store.remove(space.workspace(k.shard()), k, members, from, n, removed));
    }

    /** ZCARD into {@code count}. */
    public Status cardinality(int db, MemorySegment key, LongParse count) {
        return engine.readLocked(db, key, k -> store.cardinality(space.workspace(k.shard()), k, count));
    }

    /** ZSCORE into {@code score[0]}; NOT_FOUND when the key or the member is missing. */
    public Status score(int db, MemorySegment key, MemorySegment member, double[] score) {
        return engine.readLocked(db, key, k -> store.score(space.workspace(k.shard()), k, member, score));
    }

    /** ZRANGE by index, {@code reverse} for REV: members and 8-byte scores to {@code sink}. */
    public Status range(int db, MemorySegment key, long start, long stop, boolean reverse, EntrySink sink, LongParse count) {
        return engine.readLocked(db, key, k -> store.range(space.workspace(k.shard()), k, start, stop, reverse, sink, count));
    }
}
