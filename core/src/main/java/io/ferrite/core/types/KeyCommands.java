package io.ferrite.core.types;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.ExpireCondition;
import io.ferrite.core.api.KeySnapshot;
import io.ferrite.core.api.KeyVisitor;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.api.CollectionImage;
import io.ferrite.core.api.ValueExport;
import io.ferrite.core.collection.CollectionKeys;
import io.ferrite.core.collection.CollectionTransfer;
import io.ferrite.core.engine.KeyOperation;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.collection.CollectionSpace;
import io.ferrite.core.engine.Engine;
import io.ferrite.core.engine.ShardSet;
import io.ferrite.core.shard.RecordView;
import io.ferrite.core.shard.Shard;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's generic key commands at the engine level, for keys of every type: TYPE, EXISTS,
 * DEL, the EXPIRE family, PERSIST, RENAME, COPY, MOVE, SCAN, RANDOMKEY, DBSIZE, FLUSHDB,
 * FLUSHALL, MEMORY USAGE. Thread-safe; obtain it from {@link io.ferrite.core.FerriteStore#keys()}.
 */
public final class KeyCommands {
    /** {@link #expireAt} result for a missing key. */
    public static final long NO_KEY = -2;
    /** {@link #expireAt} result for a key without a TTL. */
    public static final long NO_EXPIRY = -1;

    private final Engine engine;
    private final CollectionSpace collections;

    public KeyCommands(Engine engine, CollectionSpace collections) {
        this.engine = engine;
        this.collections = collections;
    }

    public ValueType type(int db, MemorySegment key) {
        return engine.read(db, key, k -> k.type());
    }

    public boolean exists(int db, MemorySegment key) {
        return type(db, key) != ValueType.NONE;
    }

    /**
     * Bytes {@code key} costs: its record in the log plus its share of the index (one 8-byte
     * entry); -1 when the key does not exist. MEMORY USAGE reports it.
     */
    public long memoryUsage(int db, MemorySegment key) {
        return engine.read(db, key, k -> {
            long size = k.shard().recordSize(k.db(), k.hash(), k.key(), k.now());
            return size < 0 ? -1L : size + Long.BYTES;
        });
    }

    /**
     * An opaque identity of the record that holds the key's value now, or -1 for a missing key:
     * it stays the same while the value is updated in place and changes when the value is
     * rewritten elsewhere (what DEBUG OBJECT's {@code at:} shows, as Redis shows its object's).
     */
    public long valueIdentity(int db, MemorySegment key) {
        return engine.read(db, key, k -> {
            long address = k.locate();
            return address == io.ferrite.core.address.LogicalAddress.NULL ? -1L : address;
        });
    }

    /** Deletes {@code key}: OK, or NOT_FOUND when it did not exist. */
    public Status delete(int db, MemorySegment key) {
        return engine.write(db, key, k -> k.delete());
    }

    /** Absolute expire time in epoch ms; {@link #NO_EXPIRY} or {@link #NO_KEY}. */
    public long expireAt(int db, MemorySegment key) {
        long at = engine.read(db, key, k -> k.expireAt());
        return at < 0 ? NO_KEY : at == 0 ? NO_EXPIRY : at;
    }

    /**
     * Sets {@code key}'s absolute expire time. A time in the past deletes the key (with a
     * {@code del} event, as Redis). NOT_FOUND when the key does not exist; NOT_PERFORMED when
     * the condition is not met.
     */
    public Status expire(int db, MemorySegment key, long expireAtMillis, ExpireCondition condition) {
        return engine.write(db, key, k -> {
            long current = k.expireAt();
            if (current < 0 || k.locateForWrite() == 0) {
                return Status.NOT_FOUND;
            }
            // A key without TTL counts as an infinite TTL for GT and LT.
            boolean ok = switch (condition) {
                case ALWAYS -> true;
                case NX -> current == 0;
                case XX -> current != 0;
                case GT -> current != 0 && expireAtMillis > current;
                case LT -> current == 0 || expireAtMillis < current;
                case XX_LT -> current != 0 && expireAtMillis < current;
            };
            if (!ok) {
                return Status.NOT_PERFORMED;
            }
            if (expireAtMillis <= k.now()) {
                k.delete();
                return Status.OK;
            }
            Status status = k.setExpire(expireAtMillis);
            if (status == Status.OK) {
                k.emit(ChangeKind.EXPIRE);
            }
            return status;
        });
    }

    /** Removes the TTL: OK when one was removed, NOT_PERFORMED when there was none, NOT_FOUND. */
    public Status persist(int db, MemorySegment key) {
        return engine.write(db, key, k -> {
            long current = k.expireAt();
            if (current < 0) {
                return Status.NOT_FOUND;
            }
            if (current == 0) {
                return Status.NOT_PERFORMED;
            }
            k.setExpire(0);
            k.emit(ChangeKind.PERSIST);
            return Status.OK;
        });
    }

    /**
     * Renames {@code src} to {@code dst} in {@code db}, keeping the TTL. NOT_FOUND when src
     * does not exist; with {@code onlyIfAbsent} (RENAMENX), NOT_PERFORMED when dst exists.
     */
    public Status rename(int db, MemorySegment src, MemorySegment dst, boolean onlyIfAbsent) {
        return transfer(db, src, db, dst, onlyIfAbsent ? Transfer.RENAME_NX : Transfer.RENAME);
    }

    /**
     * Copies {@code src} (db {@code srcDb}) to {@code dst} (db {@code dstDb}) with its TTL.
     * NOT_FOUND when src is missing; NOT_PERFORMED when dst exists and not {@code replace};
     * SAME_KEY when source and destination are the same key of the same db.
     */
    public Status copy(int srcDb, MemorySegment src, int dstDb, MemorySegment dst, boolean replace) {
        return transfer(srcDb, src, dstDb, dst, replace ? Transfer.COPY_REPLACE : Transfer.COPY);
    }

    /** Moves {@code key} to {@code dstDb}: NOT_FOUND, NOT_PERFORMED (exists there), SAME_KEY (same db). */
    public Status move(int db, MemorySegment key, int dstDb) {
        return transfer(db, key, dstDb, key, Transfer.MOVE);
    }

    private enum Transfer { RENAME, RENAME_NX, COPY, COPY_REPLACE, MOVE }

    private Status transfer(int srcDb, MemorySegment src, int dstDb, MemorySegment dst, Transfer mode) {
        engine.checkDb(srcDb);
        engine.checkDb(dstDb);
        Status bad = engine.checkKey(dst);
        if (bad != null) {
            return bad;
        }
        long srcHash = Engine.hashOf(src);
        long dstHash = Engine.hashOf(dst);
        Shard from = engine.shardFor(srcHash);
        Shard to = engine.shardFor(dstHash);
        boolean sameKey = srcDb == dstDb && src.byteSize() == dst.byteSize() && src.mismatch(dst) == -1;
        ShardSet locks = engine.shardSet().add(from).add(to);
        return engine.lockedWrite(locks, now -> {
            from.ensureRoom(now);
            to.ensureRoom(now);
            long address = from.locateForWrite(srcDb, srcHash, src, now);
            if (address == 0) {
                return Status.NOT_FOUND;
            }
            to.prefetch(dstDb, dstHash, dst);
            if (sameKey) {
                // RENAME key key is a no-op that succeeds; RENAMENX answers 0; COPY/MOVE refuse.
                return switch (mode) {
                    case RENAME -> Status.OK;
                    case RENAME_NX -> Status.NOT_PERFORMED;
                    default -> Status.SAME_KEY;
                };
            }
            boolean dstExists = to.locateForWrite(dstDb, dstHash, dst, now) != 0;
            if (dstExists && (mode == Transfer.RENAME_NX || mode == Transfer.COPY || mode == Transfer.MOVE)) {
                return Status.NOT_PERFORMED;
            }
            long expireAt = from.expireAtOf(srcDb, srcHash, src, now);
            RecordView root = new RecordView().at(from.log(), address);
            boolean ownsParts = CollectionKeys.ownsParts(root.kind);
            // A collection's parts live in its shard: COPY, and a move to another shard, copy them.
            boolean deep = ownsParts && (mode == Transfer.COPY || mode == Transfer.COPY_REPLACE || from != to);
            Status status;
            if (deep) {
                CollectionKeys.prepareCopy(collections, from, srcDb, root);
                status = CollectionKeys.copy(collections, from, srcDb, root, to, dstDb, dst, dstHash, expireAt, now);
            } else {
                status = to.copyFrom(from, address, dstDb, dst, dstHash, expireAt, -1, now);
            }
            if (status != Status.OK) {
                return status;
            }
            switch (mode) {
                case RENAME, RENAME_NX -> {
                    remove(from, srcDb, address, src, deep);
                    from.emit(srcDb, src, ChangeKind.RENAME_FROM);
                    to.emit(dstDb, dst, ChangeKind.RENAME_TO);
                }
                case MOVE -> {
                    if (ownsParts && !deep) {
                        CollectionKeys.moved(from, root, srcDb, dstDb);
                    }
                    remove(from, srcDb, address, src, deep);
                    from.emit(srcDb, src, ChangeKind.MOVE_FROM);
                    to.emit(dstDb, dst, ChangeKind.MOVE_TO);
                }
                case COPY, COPY_REPLACE -> to.emit(dstDb, dst, ChangeKind.COPY_TO);
            }
            return Status.OK;
        });
    }

    /**
     * Takes the source key away after RENAME or MOVE: its value was copied (released with the
     * old key) or moved to the new key (kept: the new root points at the same collection).
     */
    private static void remove(Shard from, int db, long address, MemorySegment key, boolean valueCopied) {
        if (valueCopied) {
            from.kill(db, address, null, key);
        } else {
            from.unlink(db, address, null, key);
        }
    }

    /** OBJECT ENCODING: Redis 7.0's name for how the key's value is stored, or null for a missing key. */
    public String encoding(int db, MemorySegment key) {
        String[] name = {null};
        engine.read(db, key, k -> k.shard().readRecord(k.db(), k.hash(), k.key(), null,
                (kind, page, offset, length) -> name[0] = CollectionKeys.encodingName(kind, page, offset, length), k.now()));
        return name[0];
    }

    // ---- whole values (DUMP, RESTORE, DEBUG RELOAD) ----

    /** Hands the key's whole value to {@code visitor}, consistently (under its shard's lock); NOT_FOUND when missing. */
    public Status export(int db, MemorySegment key, ValueExport visitor) {
        return engine.readLocked(db, key, k -> CollectionTransfer.export(collections.workspace(k.shard()), k, visitor));
    }

    /** Takes {@code snapshot}'s image of the key under its shard's lock; see {@link KeySnapshot}. */
    public void snapshot(int db, MemorySegment key, KeySnapshot snapshot) {
        engine.readLocked(db, key, k -> {
            if (!snapshot.begin()) {
                return null;
            }
            long expireAt = k.expireAt();
            boolean exists = expireAt != -1
                    && CollectionTransfer.export(collections.workspace(k.shard()), k, snapshot.export()) == Status.OK;
            snapshot.end(exists, exists ? expireAt : 0);
            return null;
        });
    }

    /**
     * RESTORE of a string: writes {@code value} as the key's value with {@code expireAt} (0:
     * none), with a {@code restore} event. NOT_PERFORMED when the key exists and not
     * {@code replace}; an {@code expireAt} already past leaves no key (and deletes it with
     * {@code replace}), as Redis does.
     */
    public Status restore(int db, MemorySegment key, MemorySegment value, long expireAt, boolean replace) {
        return restoreWith(db, key, expireAt, replace, k ->
                k.shard().writeCopy(value, 0, value.byteSize(), RecordKind.STRING, 0, k.db(), k.key(), k.hash(), expireAt, -1, k.now()));
    }

    /** RESTORE (and DEBUG RELOAD) of a hash or a set; see {@link #restore(int, MemorySegment, MemorySegment, long, boolean)}. */
    public Status restore(int db, MemorySegment key, CollectionImage image, long expireAt, boolean replace) {
        return restoreWith(db, key, expireAt, replace, k ->
                CollectionTransfer.write(collections.workspace(k.shard()), k, image, expireAt));
    }

    private Status restoreWith(int db, MemorySegment key, long expireAt, boolean replace, KeyOperation<Status> write) {
        return engine.write(db, key, k -> {
            boolean exists = k.locateForWrite() != 0;
            if (exists && !replace) {
                return Status.NOT_PERFORMED;
            }
            if (expireAt != 0 && expireAt <= k.now()) {
                if (exists) {
                    k.delete();
                }
                return Status.OK;
            }
            Status status = write.run(k);
            if (status == Status.OK) {
                k.emit(ChangeKind.RESTORE);
            }
            return status;
        });
    }

    /** A bulk load into this store: see {@link BulkLoad}. Close it (or {@link BulkLoad#finish}) when done. */
    public BulkLoad bulkLoad() {
        return new BulkLoad(engine);
    }

    // ---- scans ----

    /**
     * One SCAN step over {@code db}: visits the live keys of at least {@code count} buckets'
     * worth (or until the end), optionally only of {@code type}.
     *
     * @param cursor 0 to start; then the value returned by the previous call
     * @return the next cursor, 0 when the scan is complete. Every key present for the whole
     *         scan is visited at least once (Redis's SCAN guarantee), also across index growth.
     *         A caller that may block (not an event loop) visits each key once: the index only
     *         grows, and the reverse-binary cursor never returns to a bucket whose keys it
     *         handed over (Redis's dictScan argument); only a FLUSHDB during the scan, which
     *         starts the index afresh, can make a key created after it come again. An event
     *         loop's step that meets a cold block is retried whole, so it may repeat keys.
     */
    public long scan(int db, long cursor, long count, ValueType type, KeyVisitor visitor) {
        return engine.scan(db, cursor, count, type, visitor);
    }

    /** Visits one random live key of {@code db}; false when the database is empty. */
    public boolean randomKey(int db, KeyVisitor visitor) {
        engine.checkDb(db);
        if (dbSize(db) == 0) {
            return false;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        boolean[] found = {false};
        KeyVisitor once = (key, type) -> {
            if (!found[0]) {
                found[0] = true;
                visitor.visit(key, type);
            }
        };
        Shard[] shards = engine.shards();
        for (int attempt = 0; attempt < 4096 && !found[0]; attempt++) {
            Shard shard = shards[random.nextInt(shards.length)];
            if (shard.keyCount(db) == 0) {
                continue;
            }
            long bucket = random.nextLong(shard.buckets(db));
            engine.locked(engine.shardSet().add(shard), now -> shard.scans().scanBucket(db, bucket, null, once, now));
        }
        if (!found[0]) {
            // Sparse table: fall back to a scan from the start.
            long cursor = 0;
            do {
                cursor = scan(db, cursor, 1, null, once);
            } while (cursor != 0 && !found[0]);
        }
        return found[0];
    }

    /** Keys in {@code db}, including expired keys not yet reclaimed (as Redis's DBSIZE). */
    public long dbSize(int db) {
        engine.checkDb(db);
        long total = 0;
        for (Shard shard : engine.shards()) {
            total += shard.keyCount(db);
        }
        return total;
    }

    /** Keys with a TTL in {@code db}. */
    public long expiresCount(int db) {
        engine.checkDb(db);
        long total = 0;
        for (Shard shard : engine.shards()) {
            total += shard.expireCount(db);
        }
        return total;
    }

    public void flushDb(int db) {
        engine.checkDb(db);
        engine.locked(engine.shardSet().addAll(), now -> {
            for (Shard shard : engine.shards()) {
                shard.flush(db);
            }
            return null;
        });
        engine.emit(db, MemorySegment.ofArray(new byte[0]), ChangeKind.FLUSH);
    }

    public void flushAll() {
        engine.checkDb(0);
        engine.locked(engine.shardSet().addAll(), now -> {
            for (Shard shard : engine.shards()) {
                shard.flushAll();
            }
            return null;
        });
        engine.emit(-1, MemorySegment.ofArray(new byte[0]), ChangeKind.FLUSH);
    }
}
