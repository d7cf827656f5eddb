package io.ferrite.core.types;

import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.collection.CollectionSpace;
import io.ferrite.core.collection.ListStore;
import io.ferrite.core.engine.Engine;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;

/**
 * The first of Redis's list commands at the engine level (pushes, pops, LLEN, LRANGE,
 * LINDEX), with Redis 7.0's semantics, on the interim packed storage of {@link ListStore}:
 * a list is limited to {@link ListStore#MAX_BYTES} (VALUE_TOO_LARGE past it). Elements handed
 * to sinks must be copied before the sink returns.
 *
 * <p>Thread-safe; obtain it from {@link io.ferrite.core.FerriteStore#lists()}.
 */
public final class ListCommands {
    /** Largest list (or sorted set) in bytes on the interim packed storage. */
    public static final long MAX_BYTES = ListStore.MAX_BYTES;

    private final Engine engine;
    private final CollectionSpace space;
    private final ListStore store;

    public ListCommands(Engine engine, CollectionSpace space) {
        this.engine = engine;
        this.space = space;
        this.store = space.lists();
    }

    /**
     * LPUSH / RPUSH ({@code left} for LPUSH) of {@code n} elements at {@code args[from..]}; with
     * {@code onlyIfExists} (LPUSHX / RPUSHX) nothing happens to a missing key. The new length
     * goes to {@code length}.
     */
    public Status push(int db, MemorySegment key, MemorySegment[] args, int from, int n, boolean left,
                       boolean onlyIfExists, LongParse length) {
        return engine.write(db, key, k -> store.push(space.workspace(k.shard()), k, args, from, n, left, onlyIfExists, length));
    }

    /** LPOP / RPOP of up to {@code count} elements to {@code sink}; NOT_FOUND for a missing key. */
    public Status pop(int db, MemorySegment key, boolean left, long count, ValueSink sink, LongParse popped) {
        return engine.write(db, key, k -> store.pop(space.workspace(k.shard()), k, left, count, sink, popped));
    }

    /** LLEN into {@code length}. */
    public Status length(int db, MemorySegment key, LongParse length) {
        return engine.readLocked(db, key, k -> store.length(space.workspace(k.shard()), k, length));
    }

    /** LRANGE: the elements from {@code start} to {@code stop} (Redis's index rules) to {@code sink}. */
    public Status range(int db, MemorySegment key, long start, long stop, ValueSink sink, LongParse count) {
        return engine.readLocked(db, key, k -> store.range(space.workspace(k.shard()), k, start, stop, sink, count));
    }

    /** LINDEX: the element to {@code sink}; NOT_FOUND when the key is missing or the index out of range. */
    public Status index(int db, MemorySegment key, long index, ValueSink sink) {
        return engine.readLocked(db, key, k -> store.index(space.workspace(k.shard()), k, index, sink));
    }
}
