package io.ferrite.core.types;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.api.ValueUpdater;
import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.index.KeyHash;
import io.ferrite.core.shard.ExpireMode;
import io.ferrite.core.shard.Shard;
import io.ferrite.core.strings.BitOps;
import io.ferrite.core.strings.LongParse;
import io.ferrite.core.strings.RangeMath;
import java.lang.foreign.MemorySegment;

/**
 * Redis's string commands at the engine level, with Redis's semantics (option rules, TTL
 * handling, size limits, number parsing and overflow). Writes run as read-modify-writes under
 * the key's shard lock with one reusable {@link ValueUpdater} per shard and command, so the
 * hot path (GET, SET, INCR) allocates nothing.
 *
 * <p>Thread-safe; obtain it from {@link FerriteStore#strings()}.
 */
public final class StringCommands {
    /** SET flag: only set when the key does not exist. */
    public static final int NX = 1;
    /** SET flag: only set when the key exists. */
    public static final int XX = 2;
    /** SET flag: hand the old value to the sink (SET ... GET). */
    public static final int GET = 4;
    /** SET flag: keep the key's TTL. */
    public static final int KEEPTTL = 8;

    private final FerriteStore store;
    private final LightEpoch epoch;
    private final StringUpdaters[] updaters;

    public StringCommands(FerriteStore store) {
        this.store = store;
        this.epoch = store.epoch();
        this.updaters = new StringUpdaters[store.shards().length];
        for (int i = 0; i < updaters.length; i++) {
            updaters[i] = new StringUpdaters(store.config().maxValueSize());
        }
    }

    // ---- reads ----

    /** GET: NOT_FOUND, WRONG_TYPE, or OK with the value handed to {@code sink}. */
    public Status get(int db, MemorySegment key, ValueSink sink) {
        return store.read(db, key, ValueType.STRING, sink);
    }

    /** STRLEN into {@code length} (0 for a missing key, as Redis). */
    public Status strlen(int db, MemorySegment key, LongParse length) {
        length.value = 0;
        Status status = store.read(db, key, ValueType.STRING, (src, off, len) -> length.value = len);
        return status == Status.NOT_FOUND ? Status.OK : status;
    }

    /** GETRANGE with Redis's index rules; a missing key reads as the empty string. */
    public Status getRange(int db, MemorySegment key, long start, long end, ValueSink sink) {
        return store.read(db, key, ValueType.STRING, (src, off, len) -> {
            long length = RangeMath.rangeLength(len, start, end);
            // rangeStart is only meaningful for a non-empty slice (it may lie far past the value).
            sink.accept(src, length == 0 ? off : off + RangeMath.rangeStart(len, start, end), length);
        });
    }

    // ---- writes ----

    /** Plain SET: replaces any value of any type and removes the TTL. */
    public Status set(int db, MemorySegment key, MemorySegment value) {
        return set(db, key, value, 0, 0, null);
    }

    /**
     * SET with options.
     *
     * @param flags    {@link #NX}, {@link #XX}, {@link #GET}, {@link #KEEPTTL}
     * @param expireAt absolute expire time in epoch ms, 0 for none (then KEEPTTL decides)
     * @param old      with {@link #GET}: receives the old value if the key held a string
     * @return OK when set; NOT_PERFORMED when NX/XX stopped it; WRONG_TYPE when GET found a
     *         non-string (nothing is set); VALUE_TOO_LARGE; KEY_TOO_LARGE; OUT_OF_MEMORY
     */
    public Status set(int db, MemorySegment key, MemorySegment value, int flags, long expireAt, ValueSink old) {
        if ((flags & (NX | XX)) == (NX | XX)) {
            throw new IllegalArgumentException("NX and XX are mutually exclusive");
        }
        java.util.Objects.requireNonNull(value, "value");
        if (expireAt < 0) {
            return Status.OUT_OF_RANGE;
        }
        store.checkDb(db);
        Status bad = store.checkKey(key);
        if (bad != null) {
            return bad;
        }
        if (value.byteSize() > store.config().maxValueSize()) {
            return Status.VALUE_TOO_LARGE;
        }
        long hash = hashOf(key);
        Shard shard = store.shardFor(hash);
        store.throttleWrites();
        int slot = epoch.protect();
        shard.lock();
        try {
            long now = FerriteStore.now();
            if ((flags & GET) != 0) {
                ValueType type = shard.typeOf(db, hash, key, now);
                if (type != ValueType.NONE && type != ValueType.STRING) {
                    return Status.WRONG_TYPE;
                }
            }
            StringUpdaters.Set set = updaters[shard.id()].set.reset(value, flags, old);
            ExpireMode mode = expireAt != 0 ? ExpireMode.SET : (flags & KEEPTTL) != 0 ? ExpireMode.KEEP : ExpireMode.CLEAR;
            return shard.upsert(db, hash, key, ValueType.STRING, true, set, mode, expireAt, ChangeKind.SET, now);
        } finally {
            shard.unlock();
            epoch.unprotect(slot);
        }
    }

    /** GETDEL: reads then deletes a string key. */
    public Status getDel(int db, MemorySegment key, ValueSink sink) {
        store.checkDb(db);
        long hash = hashOf(key);
        Shard shard = store.shardFor(hash);
        store.throttleWrites();
        int slot = epoch.protect();
        shard.lock();
        try {
            long now = FerriteStore.now();
            Status status = shard.read(db, hash, key, ValueType.STRING, sink, now);
            if (status == Status.OK) {
                shard.delete(db, hash, key, now);
            }
            return status;
        } finally {
            shard.unlock();
            epoch.unprotect(slot);
        }
    }

    /**
     * GETEX: reads a string key and changes its TTL: {@link ExpireMode#KEEP} leaves it,
     * {@link ExpireMode#SET} sets {@code expireAt} (a past time deletes the key),
     * {@link ExpireMode#CLEAR} persists it.
     */
    public Status getEx(int db, MemorySegment key, ExpireMode mode, long expireAt, ValueSink sink) {
        store.checkDb(db);
        if (mode == ExpireMode.SET && expireAt < 0) {
            return Status.OUT_OF_RANGE;
        }
        long hash = hashOf(key);
        Shard shard = store.shardFor(hash);
        store.throttleWrites();
        int slot = epoch.protect();
        shard.lock();
        try {
            long now = FerriteStore.now();
            Status status = shard.read(db, hash, key, ValueType.STRING, sink, now);
            if (status != Status.OK) {
                return status;
            }
            if (mode == ExpireMode.SET && expireAt <= now) {
                shard.delete(db, hash, key, now);
            } else if (mode == ExpireMode.SET) {
                Status changed = shard.setExpire(db, hash, key, expireAt, now);
                if (changed == Status.OK) {
                    store.emit(db, key, ChangeKind.EXPIRE);
                }
                return changed;
            } else if (mode == ExpireMode.CLEAR && shard.expireAtOf(db, hash, key, now) > 0) {
                shard.setExpire(db, hash, key, 0, now);
                store.emit(db, key, ChangeKind.PERSIST);
            }
            return Status.OK;
        } finally {
            shard.unlock();
            epoch.unprotect(slot);
        }
    }

    /** APPEND: the new length goes to {@code length}. */
    public Status append(int db, MemorySegment key, MemorySegment value, LongParse length) {
        java.util.Objects.requireNonNull(value, "value");
        return update(db, key, ChangeKind.APPEND, u -> u.append.reset(value, length));
    }

    /** SETRANGE: the new length goes to {@code length}; OUT_OF_RANGE for a negative offset. */
    public Status setRange(int db, MemorySegment key, long offset, MemorySegment value, LongParse length) {
        java.util.Objects.requireNonNull(value, "value");
        if (offset < 0) {
            return Status.OUT_OF_RANGE;
        }
        if (RangeMath.exceedsMaxSize(offset, value.byteSize(), store.config().maxValueSize())) {
            return Status.VALUE_TOO_LARGE;
        }
        return update(db, key, ChangeKind.SETRANGE, u -> u.setRange.reset(offset, value, length));
    }

    /**
     * MSET / MSETNX over {@code count} pairs, atomically: every shard involved is locked for
     * the whole operation. With {@code onlyIfNoneExist}, NOT_PERFORMED when any key exists.
     */
    public Status multiSet(int db, MemorySegment[] keys, MemorySegment[] values, int count, boolean onlyIfNoneExist) {
        store.checkDb(db);
        for (int i = 0; i < count; i++) {
            Status bad = store.checkKey(keys[i]);
            if (bad != null) {
                return bad;
            }
            if (values[i].byteSize() > store.config().maxValueSize()) {
                return Status.VALUE_TOO_LARGE;
            }
        }
        Shard[] shards = store.shards();
        boolean[] involved = new boolean[shards.length];
        long[] hashes = new long[count];
        for (int i = 0; i < count; i++) {
            hashes[i] = hashOf(keys[i]);
            involved[store.shardFor(hashes[i]).id()] = true;
        }
        store.throttleWrites();
        int slot = epoch.protect();
        for (int s = 0; s < shards.length; s++) {
            if (involved[s]) {
                shards[s].lock();
            }
        }
        try {
            long now = FerriteStore.now();
            // Find every key's cold records before changing anything: a disk read needed halfway
            // would otherwise leave the first pairs written when the operation is retried.
            for (int i = 0; i < count; i++) {
                store.shardFor(hashes[i]).prefetch(db, hashes[i], keys[i]);
            }
            if (onlyIfNoneExist) {
                for (int i = 0; i < count; i++) {
                    if (store.shardFor(hashes[i]).locate(db, hashes[i], keys[i], now) != 0) {
                        return Status.NOT_PERFORMED;
                    }
                }
            }
            for (int i = 0; i < count; i++) {
                Shard shard = store.shardFor(hashes[i]);
                StringUpdaters.Set set = updaters[shard.id()].set.reset(values[i], 0, null);
                Status status = shard.upsert(db, hashes[i], keys[i], ValueType.STRING, true, set,
                        ExpireMode.CLEAR, 0, ChangeKind.SET, now);
                if (status != Status.OK) {
                    return status; // only OUT_OF_MEMORY can get here; earlier pairs stay set, as in Redis
                }
            }
            return Status.OK;
        } finally {
            for (int s = shards.length - 1; s >= 0; s--) {
                if (involved[s]) {
                    shards[s].unlock();
                }
            }
            epoch.unprotect(slot);
        }
    }

    /** INCRBY (and INCR, DECR, DECRBY): the new value goes to {@code result}. */
    public Status incrBy(int db, MemorySegment key, long delta, LongParse result) {
        store.checkDb(db);
        Status bad = store.checkKey(key);
        if (bad != null) {
            return bad;
        }
        long hash = hashOf(key);
        Shard shard = store.shardFor(hash);
        store.throttleWrites();
        int slot = epoch.protect();
        shard.lock();
        try {
            StringUpdaters.IncrBy incr = updaters[shard.id()].incrBy.reset(delta, result);
            return shard.upsert(db, hash, key, ValueType.STRING, false, incr, ExpireMode.KEEP, 0, ChangeKind.INCRBY, FerriteStore.now());
        } finally {
            shard.unlock();
            epoch.unprotect(slot);
        }
    }

    /**
     * INCRBYFLOAT with the increment as text (Redis parses it as a long double); the new value,
     * formatted as Redis formats it, goes to {@code result}.
     */
    public Status incrByFloat(int db, MemorySegment key, MemorySegment increment, ValueSink result) {
        store.checkDb(db);
        Status bad = store.checkKey(key);
        if (bad != null) {
            return bad;
        }
        long hash = hashOf(key);
        Shard shard = store.shardFor(hash);
        store.throttleWrites();
        int slot = epoch.protect();
        shard.lock();
        try {
            StringUpdaters.IncrByFloat incr = updaters[shard.id()].incrByFloat.reset(increment);
            Status status = shard.upsert(db, hash, key, ValueType.STRING, false, incr, ExpireMode.KEEP, 0,
                    ChangeKind.INCRBYFLOAT, FerriteStore.now());
            if (status == Status.OK) {
                result.accept(MemorySegment.ofArray(incr.formatted), 0, incr.length);
            }
            return status;
        } finally {
            shard.unlock();
            epoch.unprotect(slot);
        }
    }

    /** SETBIT: the previous bit goes to {@code old}. */
    public Status setBit(int db, MemorySegment key, long bitOffset, int bit, LongParse old) {
        if (BitOps.requiredLength(bitOffset) > store.config().maxValueSize()) {
            return Status.OUT_OF_RANGE;
        }
        return update(db, key, ChangeKind.SETBIT, u -> u.setBit.reset(bitOffset, bit, old));
    }

    /** GETBIT into {@code bit} (0 for a missing key). */
    public Status getBit(int db, MemorySegment key, long bitOffset, LongParse bit) {
        bit.value = 0;
        Status status = store.read(db, key, ValueType.STRING, (src, off, len) -> bit.value = BitOps.getbit(src, off, len, bitOffset));
        return status == Status.NOT_FOUND ? Status.OK : status;
    }

    /**
     * BITFIELD: runs every operation of {@code ops} in order, atomically; results stay in
     * {@code ops}. Read-only lists (BITFIELD_RO, or only GETs) do not create the key.
     */
    public Status bitfield(int db, MemorySegment key, BitfieldOps ops) {
        if (!ops.writes()) {
            for (int i = 0; i < ops.count(); i++) {
                ops.result(i, 0, false);
            }
            Status status = store.read(db, key, ValueType.STRING, (src, off, len) -> {
                for (int i = 0; i < ops.count(); i++) {
                    ops.result(i, BitOps.bitfieldGet(src, off, len, ops.offset(i), ops.bits(i), ops.signed(i)), false);
                }
            });
            return status == Status.NOT_FOUND ? Status.OK : status;
        }
        if (ops.requiredLength() > store.config().maxValueSize()) {
            return Status.OUT_OF_RANGE;
        }
        return update(db, key, ChangeKind.SETBIT, u -> u.bitfield.reset(ops));
    }

    /**
     * BITOP: combines {@code count} source keys into {@code destination}, atomically. The
     * result length goes to {@code length}; an empty result deletes the destination, as Redis.
     * WRONG_TYPE when a source is not a string.
     */
    public Status bitOp(int db, BitOps.Op op, MemorySegment destination, MemorySegment[] sources, int count, LongParse length) {
        store.checkDb(db);
        Status bad = store.checkKey(destination);
        if (bad != null) {
            return bad;
        }
        Shard[] shards = store.shards();
        boolean[] involved = new boolean[shards.length];
        long[] hashes = new long[count];
        for (int i = 0; i < count; i++) {
            hashes[i] = hashOf(sources[i]);
            involved[store.shardFor(hashes[i]).id()] = true;
        }
        long dstHash = hashOf(destination);
        Shard dstShard = store.shardFor(dstHash);
        involved[dstShard.id()] = true;
        store.throttleWrites();
        int slot = epoch.protect();
        for (int s = 0; s < shards.length; s++) {
            if (involved[s]) {
                shards[s].lock();
            }
        }
        try {
            long now = FerriteStore.now();
            dstShard.prefetch(db, dstHash, destination);
            byte[][] values = new byte[count][];
            for (int i = 0; i < count; i++) {
                int index = i;
                Status status = store.shardFor(hashes[i]).read(db, hashes[i], sources[i], ValueType.STRING,
                        (src, off, len) -> values[index] = src.asSlice(off, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), now);
                if (status == Status.WRONG_TYPE) {
                    return status;
                }
            }
            MemorySegment[] segments = new MemorySegment[count];
            long[] offsets = new long[count];
            long[] lengths = new long[count];
            for (int i = 0; i < count; i++) {
                segments[i] = values[i] == null ? null : MemorySegment.ofArray(values[i]);
                lengths[i] = values[i] == null ? 0 : values[i].length;
            }
            long resultLength = BitOps.bitopLength(lengths, count);
            length.value = resultLength;
            if (resultLength == 0) {
                dstShard.delete(db, dstHash, destination, now);
                return Status.OK;
            }
            if (resultLength > store.config().maxValueSize()) {
                return Status.VALUE_TOO_LARGE;
            }
            byte[] result = new byte[(int) resultLength];
            BitOps.bitop(op, segments, offsets, lengths, count, MemorySegment.ofArray(result), 0);
            StringUpdaters.Set set = updaters[dstShard.id()].set.reset(MemorySegment.ofArray(result), 0, null);
            return dstShard.upsert(db, dstHash, destination, ValueType.STRING, true, set, ExpireMode.CLEAR, 0, ChangeKind.SET, now);
        } finally {
            for (int s = shards.length - 1; s >= 0; s--) {
                if (involved[s]) {
                    shards[s].unlock();
                }
            }
            epoch.unprotect(slot);
        }
    }

    /** Chooses and configures the per-shard updater for one write. */
    @FunctionalInterface
    interface UpdaterChoice {
        ValueUpdater choose(StringUpdaters updaters);
    }

    /** A string read-modify-write that keeps the TTL, with the updater chosen under the lock. */
    Status update(int db, MemorySegment key, ChangeKind event, UpdaterChoice choice) {
        store.checkDb(db);
        Status bad = store.checkKey(key);
        if (bad != null) {
            return bad;
        }
        long hash = hashOf(key);
        Shard shard = store.shardFor(hash);
        store.throttleWrites();
        int slot = epoch.protect();
        shard.lock();
        try {
            ValueUpdater updater = choice.choose(updaters[shard.id()]);
            return shard.upsert(db, hash, key, ValueType.STRING, false, updater, ExpireMode.KEEP, 0, event, FerriteStore.now());
        } finally {
            shard.unlock();
            epoch.unprotect(slot);
        }
    }

    /** The key's hash; a null key is a programming error, reported as such. */
    private static long hashOf(MemorySegment key) {
        return KeyHash.hash(java.util.Objects.requireNonNull(key, "key"));
    }
}
