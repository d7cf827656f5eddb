package io.ferrite.core.engine;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.ExpireMode;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.api.ValueUpdater;
import io.ferrite.core.shard.Shard;
import java.lang.foreign.MemorySegment;

/**
 * One key as an operation sees it: database, key bytes, hash, owning shard and the clock of
 * the operation. A write's context belongs to the shard (one instance, used under its lock);
 * a read's to the thread. Either is valid only while the operation runs. The shortcuts below
 * are the record operations of {@link Shard} applied to this key.
 */
public final class KeyContext {
    private int db;
    private MemorySegment key;
    private long hash;
    private Shard shard;
    private long now;

    KeyContext set(int db, MemorySegment key, long hash, Shard shard, long now) {
        this.db = db;
        this.key = key;
        this.hash = hash;
        this.shard = shard;
        this.now = now;
        return this;
    }

    public int db() {
        return db;
    }

    public MemorySegment key() {
        return key;
    }

    public long hash() {
        return hash;
    }

    public Shard shard() {
        return shard;
    }

    public long now() {
        return now;
    }

    /** Address of the live record, or NULL (reads: no lazy deletion). */
    public long locate() {
        return shard.locate(db, hash, key, now);
    }

    /** Address of the live record, deleting it first when it expired (writes). */
    public long locateForWrite() {
        return shard.locateForWrite(db, hash, key, now);
    }

    public ValueType type() {
        return shard.typeOf(db, hash, key, now);
    }

    /** Expire-at in epoch ms, 0 for no TTL, -1 when the key does not exist. */
    public long expireAt() {
        return shard.expireAtOf(db, hash, key, now);
    }

    public Status read(ValueType type, ValueSink sink) {
        return shard.read(db, hash, key, type, sink, now);
    }

    /** Read-modify-write of the key's value, written as record kind {@code kind}; see {@link Shard#upsert}. */
    public Status upsert(int kind, boolean anyType, ValueUpdater updater, ExpireMode mode, long expireAt, ChangeKind event) {
        return shard.upsert(db, hash, key, kind, kind, anyType, updater, mode, expireAt, event, now);
    }

    /** As above, with another kind for a value created by this write than for one it updates. */
    public Status upsert(int kind, int kindIfNew, boolean anyType, ValueUpdater updater, ExpireMode mode, long expireAt, ChangeKind event) {
        return shard.upsert(db, hash, key, kind, kindIfNew, anyType, updater, mode, expireAt, event, now);
    }

    /** {@link io.ferrite.core.log.RecordKind} of the live value, 0 when there is none. */
    public int kind() {
        return shard.kindOf(db, hash, key, now);
    }

    public Status delete() {
        return shard.delete(db, hash, key, now);
    }

    public Status setExpire(long expireAt) {
        return shard.setExpire(db, hash, key, expireAt, now);
    }

    public void emit(ChangeKind kind) {
        shard.emit(db, key, kind);
    }
}
