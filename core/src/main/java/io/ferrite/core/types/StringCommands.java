package io.ferrite.core.types;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.ExpireMode;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.api.ValueUpdater;
import io.ferrite.core.engine.Engine;
import io.ferrite.core.engine.KeyContext;
import io.ferrite.core.engine.ShardSet;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.shard.Shard;
import io.ferrite.core.strings.BitOps;
import io.ferrite.core.strings.LongParse;
import io.ferrite.core.strings.RangeMath;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Redis's string commands at the engine level, with Redis's semantics (option rules, TTL
 * handling, size limits, number parsing and overflow). Writes run as read-modify-writes under
 * the key's shard lock with one reusable {@link ValueUpdater} per shard and command, so the
 * hot path (GET, SET, INCR) allocates nothing.
 *
 * <p>Thread-safe; obtain it from {@link io.ferrite.core.FerriteStore#strings()}.
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

    private final Engine engine;
    private final StringUpdaters[] updaters;

    public StringCommands(Engine engine) {
        this.engine = engine;
        this.updaters = new StringUpdaters[engine.shards().length];
        for (int i = 0; i < updaters.length; i++) {
            updaters[i] = new StringUpdaters(engine.config().maxValueSize());
        }
    }

    private StringUpdaters updaters(KeyContext k) {
        return updaters[k.shard().id()];
    }

    // ---- reads ----

    /** GET: NOT_FOUND, WRONG_TYPE, or OK with the value handed to {@code sink}. */
    public Status get(int db, MemorySegment key, ValueSink sink) {
        return engine.read(db, key, k -> k.read(ValueType.STRING, sink));
    }

    /** STRLEN into {@code length} (0 for a missing key, as Redis). */
    public Status strlen(int db, MemorySegment key, LongParse length) {
        length.value = 0;
        Status status = get(db, key, (src, off, len) -> length.value = len);
        return status == Status.NOT_FOUND ? Status.OK : status;
    }

    /** GETRANGE with Redis's index rules; a missing key reads as the empty string. */
    public Status getRange(int db, MemorySegment key, long start, long end, ValueSink sink) {
        return get(db, key, (src, off, len) -> {
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
        Objects.requireNonNull(value, "value");
        if (expireAt < 0) {
            return Status.OUT_OF_RANGE;
        }
        if (value.byteSize() > engine.config().maxValueSize()) {
            return Status.VALUE_TOO_LARGE;
        }
        ExpireMode mode = expireAt != 0 ? ExpireMode.SET : (flags & KEEPTTL) != 0 ? ExpireMode.KEEP : ExpireMode.CLEAR;
        return engine.write(db, key, k -> {
            if ((flags & GET) != 0) {
                ValueType type = k.type();
                if (type != ValueType.NONE && type != ValueType.STRING) {
                    return Status.WRONG_TYPE;
                }
            }
            StringUpdaters.Set set = updaters(k).set.reset(value, flags, old);
            return expireEvent(k, mode, k.upsert(RecordKind.STRING, true, set, mode, expireAt, ChangeKind.SET));
        });
    }

    /**
     * Writes {@code value} (null: deletes the key) only if the key holds exactly the string
     * {@code expected} (null: only if the key does not exist), checking and writing in one step
     * under the key's lock. For doors that read a value, compute outside any lock (JCache's
     * entry processors, loaders, conditional puts) and write back without losing another
     * door's write in between: on NOT_PERFORMED they read again and retry.
     *
     * @param mode     the new value's TTL: {@link ExpireMode#SET} to {@code expireAt},
     *                 {@link ExpireMode#KEEP} the current one, {@link ExpireMode#CLEAR} none
     * @return OK when written (or when both are null and the key is absent); NOT_PERFORMED when
     *         the key did not hold {@code expected}; WRONG_TYPE when it holds another type;
     *         VALUE_TOO_LARGE; KEY_TOO_LARGE; OUT_OF_MEMORY
     */
    public Status compareAndSet(int db, MemorySegment key, MemorySegment expected, MemorySegment value,
                                ExpireMode mode, long expireAt) {
        if (expected != null) {
            return writeIf(db, key, true, expected, value, mode, expireAt, null);
        }
        Status invalid = invalidWrite(value, mode, expireAt);
        if (invalid != null) {
            return invalid;
        }
        return engine.write(db, key, k -> k.type() != ValueType.NONE ? Status.NOT_PERFORMED
                : value == null ? Status.OK : upsert(k, value, mode, expireAt));
    }

    /**
     * SET's and DELEX's IFEQ / IFNE conditions: writes {@code value} (null: deletes the key)
     * only if the key's string equals {@code comparison} ({@code equal}) or does not
     * ({@code !equal}; an absent key counts as different, so IFNE creates it and DELEX IFNE
     * has nothing to delete), checked and written in one step under the key's lock. The
     * current value, if any, goes to {@code old} first (SET ... GET).
     *
     * @return OK when written; NOT_PERFORMED when the condition failed or there was nothing
     *         to delete; WRONG_TYPE when the key holds another type; VALUE_TOO_LARGE;
     *         KEY_TOO_LARGE; OUT_OF_MEMORY
     */
    public Status writeIf(int db, MemorySegment key, boolean equal, MemorySegment comparison, MemorySegment value,
                          ExpireMode mode, long expireAt, ValueSink old) {
        Objects.requireNonNull(comparison, "comparison");
        Status invalid = invalidWrite(value, mode, expireAt);
        if (invalid != null) {
            return invalid;
        }
        return engine.write(db, key, k -> {
            ValueType type = k.type();
            boolean same;
            if (type == ValueType.NONE) {
                same = false;
            } else if (type != ValueType.STRING) {
                return Status.WRONG_TYPE;
            } else {
                boolean[] matched = new boolean[1];
                k.read(ValueType.STRING, (source, offset, length) -> {
                    matched[0] = length == comparison.byteSize()
                            && MemorySegment.mismatch(source, offset, offset + length, comparison, 0, length) < 0;
                    if (old != null) {
                        old.accept(source, offset, length);
                    }
                });
                same = matched[0];
            }
            if (same != equal) {
                return Status.NOT_PERFORMED;
            }
            if (value == null) {
                return type == ValueType.NONE ? Status.NOT_PERFORMED : k.delete();
            }
            return upsert(k, value, mode, expireAt);
        });
    }

    /** Why a conditional write cannot be made at all, or null. */
    private Status invalidWrite(MemorySegment value, ExpireMode mode, long expireAt) {
        if (value != null && value.byteSize() > engine.config().maxValueSize()) {
            return Status.VALUE_TOO_LARGE;
        }
        return mode == ExpireMode.SET && expireAt <= 0 ? Status.OUT_OF_RANGE : null;
    }

    private Status upsert(KeyContext k, MemorySegment value, ExpireMode mode, long expireAt) {
        StringUpdaters.Set set = updaters(k).set.reset(value, 0, null);
        return expireEvent(k, mode, k.upsert(RecordKind.STRING, true, set, mode, expireAt, ChangeKind.SET));
    }

    /** A SET that gives the key a time to live also raises "expire" after "set", as Redis does. */
    private static Status expireEvent(KeyContext k, ExpireMode mode, Status status) {
        if (status == Status.OK && mode == ExpireMode.SET) {
            k.emit(ChangeKind.EXPIRE);
        }
        return status;
    }

    /** GETDEL: reads then deletes a string key. */
    public Status getDel(int db, MemorySegment key, ValueSink sink) {
        return engine.write(db, key, k -> {
            Status status = k.read(ValueType.STRING, sink);
            if (status == Status.OK) {
                k.delete();
            }
            return status;
        });
    }

    /**
     * GETEX: reads a string key and changes its TTL: {@link ExpireMode#KEEP} leaves it,
     * {@link ExpireMode#SET} sets {@code expireAt} (a past time deletes the key),
     * {@link ExpireMode#CLEAR} persists it.
     */
    public Status getEx(int db, MemorySegment key, ExpireMode mode, long expireAt, ValueSink sink) {
        if (mode == ExpireMode.SET && expireAt < 0) {
            return Status.OUT_OF_RANGE;
        }
        return engine.write(db, key, k -> {
            Status status = k.read(ValueType.STRING, sink);
            if (status != Status.OK) {
                return status;
            }
            if (mode == ExpireMode.SET && expireAt <= k.now()) {
                k.delete();
            } else if (mode == ExpireMode.SET) {
                Status changed = k.setExpire(expireAt);
                if (changed == Status.OK) {
                    k.emit(ChangeKind.EXPIRE);
                }
                return changed;
            } else if (mode == ExpireMode.CLEAR && k.expireAt() > 0) {
                k.setExpire(0);
                k.emit(ChangeKind.PERSIST);
            }
            return Status.OK;
        });
    }

    /** APPEND: the new length goes to {@code length}. */
    public Status append(int db, MemorySegment key, MemorySegment value, LongParse length) {
        Objects.requireNonNull(value, "value");
        // Redis: APPEND to a new key stores the argument as SET would; to an existing one, edits it (raw).
        return update(db, key, ChangeKind.APPEND, RecordKind.STRING_RAW, RecordKind.STRING, u -> u.append.reset(value, length));
    }

    /** SETRANGE: the new length goes to {@code length}; OUT_OF_RANGE for a negative offset. */
    public Status setRange(int db, MemorySegment key, long offset, MemorySegment value, LongParse length) {
        Objects.requireNonNull(value, "value");
        if (offset < 0) {
            return Status.OUT_OF_RANGE;
        }
        if (RangeMath.exceedsMaxSize(offset, value.byteSize(), engine.config().maxValueSize())) {
            return Status.VALUE_TOO_LARGE;
        }
        return update(db, key, ChangeKind.SETRANGE, RecordKind.STRING_RAW, RecordKind.STRING_RAW, u -> u.setRange.reset(offset, value, length));
    }

    /**
     * MSET / MSETNX over {@code count} pairs, atomically: every shard involved is locked for
     * the whole operation. With {@code onlyIfNoneExist}, NOT_PERFORMED when any key exists.
     */
    public Status multiSet(int db, MemorySegment[] keys, MemorySegment[] values, int count, boolean onlyIfNoneExist) {
        engine.checkDb(db);
        for (int i = 0; i < count; i++) {
            Status bad = engine.checkKey(keys[i]);
            if (bad != null) {
                return bad;
            }
            if (values[i].byteSize() > engine.config().maxValueSize()) {
                return Status.VALUE_TOO_LARGE;
            }
        }
        long[] hashes = new long[count];
        ShardSet locks = engine.shardSet();
        for (int i = 0; i < count; i++) {
            hashes[i] = Engine.hashOf(keys[i]);
            locks.add(engine.shardFor(hashes[i]));
        }
        return engine.lockedWrite(locks, now -> {
            // Find every key's cold records before changing anything: a disk read needed halfway
            // would otherwise leave the first pairs written when the operation is retried.
            for (int i = 0; i < count; i++) {
                engine.shardFor(hashes[i]).prefetch(db, hashes[i], keys[i]);
            }
            if (onlyIfNoneExist) {
                for (int i = 0; i < count; i++) {
                    if (engine.shardFor(hashes[i]).locate(db, hashes[i], keys[i], now) != 0) {
                        return Status.NOT_PERFORMED;
                    }
                }
            }
            for (int i = 0; i < count; i++) {
                Shard shard = engine.shardFor(hashes[i]);
                StringUpdaters.Set set = updaters[shard.id()].set.reset(values[i], 0, null);
                Status status = shard.upsert(db, hashes[i], keys[i], RecordKind.STRING, RecordKind.STRING, true, set,
                        ExpireMode.CLEAR, 0, ChangeKind.SET, now);
                if (status != Status.OK) {
                    return status; // only OUT_OF_MEMORY can get here; earlier pairs stay set, as in Redis
                }
            }
            return Status.OK;
        });
    }

    /** INCRBY (and INCR, DECR, DECRBY): the new value goes to {@code result}. */
    public Status incrBy(int db, MemorySegment key, long delta, LongParse result) {
        return update(db, key, ChangeKind.INCRBY, RecordKind.STRING, RecordKind.STRING, u -> u.incrBy.reset(delta, result));
    }

    /**
     * INCRBYFLOAT with the increment as text (Redis parses it as a long double); the new value,
     * formatted as Redis formats it, goes to {@code result}.
     */
    public Status incrByFloat(int db, MemorySegment key, MemorySegment increment, ValueSink result) {
        return engine.write(db, key, k -> {
            StringUpdaters.IncrByFloat incr = updaters(k).incrByFloat.reset(increment);
            Status status = k.upsert(RecordKind.STRING, false, incr, ExpireMode.KEEP, 0, ChangeKind.INCRBYFLOAT);
            if (status == Status.OK) {
                result.accept(MemorySegment.ofArray(incr.formatted), 0, incr.length);
            }
            return status;
        });
    }

    /** SETBIT: the previous bit goes to {@code old}. */
    public Status setBit(int db, MemorySegment key, long bitOffset, int bit, LongParse old) {
        if (BitOps.requiredLength(bitOffset) > engine.config().maxValueSize()) {
            return Status.OUT_OF_RANGE;
        }
        return update(db, key, ChangeKind.SETBIT, RecordKind.STRING_RAW, RecordKind.STRING_RAW, u -> u.setBit.reset(bitOffset, bit, old));
    }

    /** GETBIT into {@code bit} (0 for a missing key). */
    public Status getBit(int db, MemorySegment key, long bitOffset, LongParse bit) {
        bit.value = 0;
        Status status = get(db, key, (src, off, len) -> bit.value = BitOps.getbit(src, off, len, bitOffset));
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
            Status status = get(db, key, (src, off, len) -> {
                for (int i = 0; i < ops.count(); i++) {
                    ops.result(i, BitOps.bitfieldGet(src, off, len, ops.offset(i), ops.bits(i), ops.signed(i)), false);
                }
            });
            return status == Status.NOT_FOUND ? Status.OK : status;
        }
        if (ops.requiredLength() > engine.config().maxValueSize()) {
            return Status.OUT_OF_RANGE;
        }
        return update(db, key, ChangeKind.SETBIT, RecordKind.STRING_RAW, RecordKind.STRING_RAW, u -> u.bitfield.reset(ops));
    }

    /**
     * BITOP: combines {@code count} source keys into {@code destination}, atomically. The
     * result length goes to {@code length}; an empty result deletes the destination, as Redis.
     * WRONG_TYPE when a source is not a string.
     */
    public Status bitOp(int db, BitOps.Op op, MemorySegment destination, MemorySegment[] sources, int count, LongParse length) {
        engine.checkDb(db);
        Status bad = engine.checkKey(destination);
        if (bad != null) {
            return bad;
        }
        long[] hashes = new long[count];
        ShardSet locks = engine.shardSet();
        for (int i = 0; i < count; i++) {
            hashes[i] = Engine.hashOf(sources[i]);
            locks.add(engine.shardFor(hashes[i]));
        }
        long dstHash = Engine.hashOf(destination);
        Shard dstShard = engine.shardFor(dstHash);
        locks.add(dstShard);
        return engine.lockedWrite(locks, now -> {
            dstShard.prefetch(db, dstHash, destination);
            byte[][] values = new byte[count][];
            for (int i = 0; i < count; i++) {
                int index = i;
                Status status = engine.shardFor(hashes[i]).read(db, hashes[i], sources[i], ValueType.STRING,
                        (src, off, len) -> values[index] = src.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE), now);
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
            if (resultLength > engine.config().maxValueSize()) {
                return Status.VALUE_TOO_LARGE;
            }
            byte[] result = new byte[(int) resultLength];
            BitOps.bitop(op, segments, offsets, lengths, count, MemorySegment.ofArray(result), 0);
            StringUpdaters.Set set = updaters[dstShard.id()].set.reset(MemorySegment.ofArray(result), 0, null);
            // Redis builds the result as a raw string.
            return dstShard.upsert(db, dstHash, destination, RecordKind.STRING_RAW, RecordKind.STRING_RAW, true, set,
                    ExpireMode.CLEAR, 0, ChangeKind.SET, now);
        });
    }

    /** Chooses and configures the per-shard updater for one write. */
    @FunctionalInterface
    interface UpdaterChoice {
        ValueUpdater choose(StringUpdaters updaters);
    }

    /**
     * A string read-modify-write that keeps the TTL, with the updater chosen under the lock;
     * {@code kind} is the record kind it leaves on an existing string, {@code kindIfNew} on a
     * string it creates.
     */
    private Status update(int db, MemorySegment key, ChangeKind event, int kind, int kindIfNew, UpdaterChoice choice) {
        return engine.write(db, key, k -> k.upsert(kind, kindIfNew, false, choice.choose(updaters(k)), ExpireMode.KEEP, 0, event));
    }
}
