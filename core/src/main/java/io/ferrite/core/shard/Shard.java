package io.ferrite.core.shard;

import io.ferrite.core.api.ExpireMode;
import static io.ferrite.core.log.RecordLayout.*;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.KeyVisitor;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.api.ValueUpdater;
import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.index.HashIndex;
import io.ferrite.core.index.KeyHash;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.address.LogicalAddress;
import io.ferrite.core.log.MemoryBudget;
import io.ferrite.core.log.RecordLayout;
import java.lang.foreign.MemorySegment;

/**
 * One partition of the keyspace: a HybridLog, a hash index per logical database, and the
 * record-level operations on them (find, read, upsert, delete, compaction, expiry sweeps).
 *
 * <p>Concurrency: readers ({@link #read}, {@link #locate}) take no lock; they hold an epoch
 * protection (taken by the caller) and copy values under the record's shared lock. Writers
 * call the mutating methods with {@link #lock()} held, so writes to one shard are serialised
 * and multi-key operations lock their shards in id order. A write never blocks a reader of
 * another record.
 */
public final class Shard implements HashIndex.ChainReader {
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

    private final int id;
    private final ShardLock lock = new ShardLock();
    /** The lock holder's disk-read mode before it took the lock (written by the holder only). */
    private boolean failFastBeforeLock;
    private final HybridLog log;
    private final HashIndex[] indexes;
    private final long[] keyCounts;
    private final long[] expireCounts;
    /** Record bytes that are the newest version of a live key, per database. */
    private final long[] liveBytes;
    private final MemoryBudget budget;
    private final ChangeBus changes;
    private final long maxValueSize;
    /** Writer's scratch; only used with the lock held. */
    private final Shape shape = new Shape();
    private final Shape scratch = new Shape();
    private long indexBytes;
    private final Compactor compactor;
    private final BucketScans scans;

    /** Cold reads seen lately: a record is promoted on its second read (null: no promotion). */
    private final SecondTouch coldReads;
    /** The index's chain walker for lookups, made once so that a lookup allocates nothing. */
    private final HashIndex.ChainWalk<MemorySegment> chainWalker = this::walkChain;
    private static final int OOM_COMPACTION_PAGES = 64;

    /**
     * @param coldReadFilterSlots size of the filter that promotes a cold record on its second
     *                            read (0: cold reads are never promoted)
     */
    public Shard(int id, int databases, HybridLog log, LightEpoch epoch, MemoryBudget budget, ChangeBus changes,
                 int initialBuckets, double indexLoad, long maxValueSize, int coldReadFilterSlots) {
        this.id = id;
        this.log = log;
        this.budget = budget;
        this.changes = changes;
        this.maxValueSize = maxValueSize;
        this.indexes = new HashIndex[databases];
        for (int db = 0; db < databases; db++) {
            indexes[db] = new HashIndex(initialBuckets, indexLoad, epoch);
            indexBytes += indexes[db].memoryBytes();
        }
        this.coldReads = coldReadFilterSlots > 0 ? new SecondTouch(coldReadFilterSlots) : null;
        if (coldReads != null) {
            indexBytes += coldReads.bytes();
        }
        budget.forceReserve(indexBytes);
        this.keyCounts = new long[databases];
        this.expireCounts = new long[databases];
        this.liveBytes = new long[databases];
        this.compactor = new Compactor(this);
        this.scans = new BucketScans(this);
    }

    /** The log compaction of this shard (under its lock). */
    public Compactor compactor() {
        return compactor;
    }

    /** SCAN and active-expiry walks of this shard's buckets (under its lock). */
    public BucketScans scans() {
        return scans;
    }

    /** The index of database {@code db}. */
    HashIndex index(int db) {
        return indexes[db];
    }

    /** Emits a change event of {@code key} in {@code db} (the caller holds the lock). */
    public void emit(int db, MemorySegment key, ChangeKind kind) {
        changes.emit(db, key, kind);
    }

    public int id() {
        return id;
    }

    /**
     * Takes the shard's write lock. While it is held the thread is fail-fast (a cold block not
     * at hand throws {@link io.ferrite.core.api.DiskReadPending}: nobody waits for the disk
     * with the lock held; the engine's operation template waits outside and retries), and the
     * cold blocks it resolves stay pinned (see {@link io.ferrite.core.tier.ColdLog}), so an
     * operation never has to read the same block twice.
     */
    public void lock() {
        lock.lock();
        if (lock.releasesOnUnlock()) {
            failFastBeforeLock = io.ferrite.core.api.DiskReads.lockTaken();
            if (log.tiered()) {
                log.tiers().cold().beginPinning(Thread.currentThread());
            }
        }
    }

    /**
     * Releases the lock. A thread holding several shards' locks releases them in the reverse
     * order it took them ({@code ShardSet} does), so the disk-read mode it had before the
     * first one is what it has after the last.
     */
    public void unlock() {
        if (lock.releasesOnUnlock()) {
            if (log.tiered()) {
                log.tiers().cold().endPinning();
            }
            io.ferrite.core.api.DiskReads.lockReleased(failFastBeforeLock);
        }
        lock.unlock();
    }

    public boolean isLockedByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    public HybridLog log() {
        return log;
    }

    // ---- HashIndex.ChainReader ----

    @Override
    public long prev(long address) {
        MemorySegment page = log.page(address);
        return RecordLayout.prev(header(page, log.offsetInPage(address, page)));
    }

    @Override
    public long keyHash(long address) {
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        Shape s = scratch.parse(page, record, header(page, record));
        return KeyHash.hash(page, s.keyOffset, s.keyLength);
    }

    @Override
    public long beginAddress() {
        return log.beginAddress();
    }

    @Override
    public boolean inMemory(long address) {
        return log.inMemory(address);
    }

    // ---- lock-free reads (caller holds an epoch protection) ----

    /**
     * Finds the newest record of {@code key} in {@code db}, dead or alive.
     *
     * @return its address, or {@link LogicalAddress#NULL}
     */
    public long findRecord(int db, long hash, MemorySegment key) {
        // One pass over the key's bucket and, when it was split over cold records, its ancestors.
        return indexes[db].search(hash, key, chainWalker);
    }

    /** Walks a chain from {@code address} comparing keys; the first record of {@code key}, or NULL. */
    private long walkChain(long address, MemorySegment key) {
        return walkChain(address, key, log.beginAddress());
    }

    /** As {@link #walkChain(long, MemorySegment)}, looking only at records at or above {@code floor}. */
    private long walkChain(long address, MemorySegment key, long floor) {
        long keyLength = key.byteSize();
        while (address >= floor) {
            MemorySegment page = log.page(address);
            long record = log.offsetInPage(address, page);
            long header = header(page, record);
            long at = record + lengthsOffset(header);
            long k = readVarint(page, at);
            if ((k >>> 4) == keyLength) {
                at += k & 0xF;
                at += readVarint(page, at) & 0xF;
                if (MemorySegment.mismatch(page, at, at + keyLength, key, 0, keyLength) == -1) {
                    return address;
                }
            }
            address = RecordLayout.prev(header);
        }
        return LogicalAddress.NULL;
    }

    /** True when the record's header says it is neither deleted nor expired at {@code now}. */
    boolean isLive(MemorySegment page, long record, long header, long now) {
        if (isTombstone(header)) {
            return false;
        }
        long expireAt = expireAt(page, record, header);
        return expireAt == 0 || expireAt > now;
    }

    /**
     * Address of the live record of {@code key}, or NULL when missing, deleted or expired. A
     * key found expired is deleted on the spot, as Redis does on any access.
     */
    public long locate(int db, long hash, MemorySegment key, long now) {
        long address = findRecord(db, hash, key);
        if (address == LogicalAddress.NULL) {
            return address;
        }
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        long header = header(page, record);
        if (isTombstone(header)) {
            return LogicalAddress.NULL;
        }
        if (isExpired(page, record, header, now)) {
            expireOnRead(db, hash, key, now);
            return LogicalAddress.NULL;
        }
        return address;
    }

    private static boolean isExpired(MemorySegment page, long record, long header, long now) {
        long expireAt = expireAt(page, record, header);
        return expireAt != 0 && expireAt <= now;
    }

    /**
     * Deletes a key a read found expired (with an {@code expired} event), so that it stops
     * counting at once, as Redis's lookups do. Best effort: when the key's records are not at
     * hand without a disk read, active expiry or compaction gets it later.
     */
    private void expireOnRead(int db, long hash, MemorySegment key, long now) {
        lock();
        try {
            locateForWrite(db, hash, key, now);
        } catch (io.ferrite.core.api.DiskReadPending ignored) {
            // the key stays invisible to readers meanwhile
        } finally {
            unlock();
        }
    }

    /**
     * Reads the value of {@code key} if it is live and of {@code type} (or any type when
     * {@code type} is null), handing it to {@code sink} under the record's shared lock.
     */
    public Status read(int db, long hash, MemorySegment key, ValueType type, ValueSink sink, long now) {
        long address = findRecord(db, hash, key);
        if (address == LogicalAddress.NULL) {
            return Status.NOT_FOUND;
        }
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        // Only the mutable region changes in place; below it a record is immutable.
        boolean mutable = address >= log.readOnlyAddress();
        if (mutable) {
            lockShared(page, record);
        }
        boolean expired = false;
        try {
            long header = header(page, record);
            if (isTombstone(header)) {
                return Status.NOT_FOUND;
            }
            if (isExpired(page, record, header, now)) {
                expired = true;
                return Status.NOT_FOUND;
            }
            if (type != null && RecordLayout.type(header) != type.code()) {
                return Status.WRONG_TYPE;
            }
            long at = record + lengthsOffset(header);
            long k = readVarint(page, at);
            at += k & 0xF;
            long v = readVarint(page, at);
            at += (v & 0xF) + (k >>> 4);
            sink.accept(page, at, v >>> 4);
        } finally {
            if (mutable) {
                unlockShared(page, record);
            }
            if (expired) {
                expireOnRead(db, hash, key, now);
            }
        }
        if (coldReads != null && !log.inMemory(address) && coldReads.secondRead(address)) {
            promote(db, hash, key, address, now);
        }
        return Status.OK;
    }

    /**
     * Copies a record just read from the cold region to the tail (FASTER's read-copy-to-tail),
     * so a working set that moves is followed into memory. Best effort: skipped when the record
     * changed meanwhile, when its block is no longer at hand, or when memory is short.
     */
    private void promote(int db, long hash, MemorySegment key, long address, long now) {
        lock();
        try {
            // A newer record of the key (written since the read) is in memory and reachable
            // from the key's own bucket: no need to search the ancestors' cold chains again.
            if (address < log.beginAddress() || walkChain(indexes[db].find(hash), key, address + 1) != LogicalAddress.NULL) {
                return;
            }
            MemorySegment page = log.page(address);
            long record = log.offsetInPage(address, page);
            long header = header(page, record);
            if (isLive(page, record, header, now)) {
                copyFrom(this, address, db, key, hash, expireAt(page, record, header), db, now);
            }
        } catch (io.ferrite.core.api.DiskReadPending ignored) {
            // the block was evicted between the read and now: the next read promotes it
        } finally {
            unlock();
        }
    }

    /**
     * Touches every record {@code key}'s lookup passes through, so that a multi-key write can
     * find all its cold records before it changes anything (under the lock they stay pinned).
     */
    public void prefetch(int db, long hash, MemorySegment key) {
        findRecord(db, hash, key);
    }

    /** Type of the live value of {@code key}, or NONE. */
    public ValueType typeOf(int db, long hash, MemorySegment key, long now) {
        long address = locate(db, hash, key, now);
        if (address == LogicalAddress.NULL) {
            return ValueType.NONE;
        }
        MemorySegment page = log.page(address);
        return ValueType.ofCode(RecordLayout.type(header(page, log.offsetInPage(address, page))));
    }

    /** Expire-at (epoch ms) of the live key, 0 when it has none, -1 when it does not exist. */
    public long expireAtOf(int db, long hash, MemorySegment key, long now) {
        long address = locate(db, hash, key, now);
        if (address == LogicalAddress.NULL) {
            return -1;
        }
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        return expireAt(page, record, header(page, record));
    }

    /** Bytes the live record of {@code key} takes in the log, or -1 when the key does not exist. */
    public long recordSize(int db, long hash, MemorySegment key, long now) {
        long address = locate(db, hash, key, now);
        if (address == LogicalAddress.NULL) {
            return -1;
        }
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        long header = header(page, record);
        return allocatedSize(page, record, header, new Shape().parse(page, record, header));
    }

    // ---- writes (lock held) ----

    /**
     * Like {@link #locate}, but a key found expired is deleted on the spot (with an
     * {@code expired} event), as Redis does on access.
     */
    public long locateForWrite(int db, long hash, MemorySegment key, long now) {
        long address = findRecord(db, hash, key);
        if (address == LogicalAddress.NULL) {
            return address;
        }
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        long header = header(page, record);
        if (isTombstone(header)) {
            return LogicalAddress.NULL;
        }
        long expireAt = expireAt(page, record, header);
        if (expireAt != 0 && expireAt <= now) {
            kill(db, address, ChangeKind.EXPIRED, key);
            return LogicalAddress.NULL;
        }
        return address;
    }

    /**
     * Read-modify-write of {@code key}'s value.
     *
     * @param type        the type the key must have (or gets, when created)
     * @param anyType     when true an existing value of another type is replaced (SET);
     *                    otherwise it is {@link Status#WRONG_TYPE}
     * @param expireMode  {@link ExpireMode#KEEP} keeps the key's TTL, {@link ExpireMode#SET}
     *                    sets {@code expireAt}, {@link ExpireMode#CLEAR} removes it
     * @param event       the change event to emit when the value changes (null for none)
     */
    public Status upsert(int db, long hash, MemorySegment key, ValueType type, boolean anyType,
                         ValueUpdater updater, ExpireMode expireMode, long expireAt, ChangeKind event, long now) {
        ensureRoom(now);
        long address = locateForWrite(db, hash, key, now);
        MemorySegment page = EMPTY;
        long record = 0;
        long header = 0;
        long valueOffset = 0;
        long valueLength = 0;
        boolean exists = address != LogicalAddress.NULL;
        boolean sameType = false;
        if (exists) {
            page = log.page(address);
            record = log.offsetInPage(address, page);
            header = header(page, record);
            sameType = RecordLayout.type(header) == type.code();
            if (!sameType && !anyType) {
                return Status.WRONG_TYPE;
            }
            shape.parse(page, record, header);
            valueOffset = shape.valueOffset;
            valueLength = shape.valueLength;
        }
        long newLength = exists && sameType
                ? updater.prepare(page, valueOffset, valueLength, true)
                : updater.prepare(EMPTY, 0, 0, false);
        if (newLength == ValueUpdater.FAILED) {
            return updater.failure();
        }
        if (newLength == ValueUpdater.NO_CHANGE) {
            return Status.OK;
        }
        if (newLength > maxValueSize) {
            return Status.VALUE_TOO_LARGE;
        }
        long oldExpire = exists ? expireAt(page, record, header) : 0;
        long newExpire = switch (expireMode) {
            case KEEP -> oldExpire;
            case SET -> expireAt;
            case CLEAR -> 0;
        };
        if (exists && sameType && canUpdateInPlace(address, page, record, header, newLength, newExpire)) {
            // Read the allocated size first: a FILLER word may sit where the new value goes.
            long allocated = allocatedSize(page, record, header, shape);
            lockExclusive(page, record);
            try {
                updater.write(page, valueOffset, newLength, page, valueOffset, valueLength);
                writeVarint(page, shape.valueLengthAt, newLength, shape.valueLengthWidth);
                writeAllocatedSize(page, record, valueOffset + newLength - record, allocated);
                if (hasExpirySlot(header)) {
                    setExpireAt(page, record, newExpire);
                }
            } finally {
                unlockExclusive(page, record);
            }
        } else {
            long capacity = Math.min(maxValueSize, newLength + updater.headroom(newLength));
            long size = sizeFor(key.byteSize(), capacity, newExpire != 0);
            if (size > log.maxRecordSize()) {
                return Status.VALUE_TOO_LARGE;
            }
            long fresh = allocateOrCompact(size);
            if (fresh == LogicalAddress.NULL) {
                return Status.OUT_OF_MEMORY;
            }
            MemorySegment target = log.page(fresh);
            long at = log.offsetInPage(fresh, target);
            long targetValue = writeRecordPrefix(target, at, key, capacity, newLength, newExpire);
            if (exists && sameType) {
                updater.write(target, targetValue, newLength, page, valueOffset, valueLength);
            } else {
                updater.write(target, targetValue, newLength, EMPTY, 0, 0);
            }
            initHeader(target, at, newHeader(indexes[db].find(hash), type.code(), db, newExpire != 0));
            writeAllocatedSize(target, at, targetValue + newLength - at, size);
            publish(db, hash, fresh);
            liveBytes[db] += size;
            if (exists) {
                retire(db, address);
            }
        }
        if (!exists) {
            keyCounts[db]++;
        }
        if (oldExpire != newExpire || !exists) {
            if (exists && oldExpire != 0) {
                expireCounts[db]--;
            }
            if (newExpire != 0) {
                expireCounts[db]++;
            }
        }
        if (event != null) {
            changes.emit(db, key, event);
        }
        return Status.OK;
    }

    private boolean canUpdateInPlace(long address, MemorySegment page, long record, long header,
                                     long newLength, long newExpire) {
        if (address < log.readOnlyAddress() || (newExpire != 0 && !hasExpirySlot(header))) {
            return false;
        }
        if (newLength > varintCapacity(shape.valueLengthWidth)) {
            return false;
        }
        long allocated = allocatedSize(page, record, header, shape);
        long used = shape.valueOffset - record + newLength;
        // A record padded beyond its alignment keeps its size in a 4-byte word after the value.
        return used <= allocated && (align8(used) == allocated || align4(used) + 4 <= allocated);
    }

    /** Writes header-less parts of a record (expiry, lengths, key); returns the value offset. */
    private long writeRecordPrefix(MemorySegment page, long record, MemorySegment key, long capacity,
                                   long valueLength, long expireAt) {
        long at = record + HEADER_SIZE;
        if (expireAt != 0) {
            setExpireAt(page, record, expireAt);
            at += EXPIRY_SIZE;
        }
        long keyLength = key.byteSize();
        int keyWidth = varintSize(keyLength);
        writeVarint(page, at, keyLength, keyWidth);
        at += keyWidth;
        int valueWidth = varintSize(capacity);
        writeVarint(page, at, valueLength, valueWidth);
        at += valueWidth;
        MemorySegment.copy(key, 0, page, at, keyLength);
        return at + keyLength;
    }

    private void publish(int db, long hash, long address) {
        HashIndex index = indexes[db];
        long before = index.memoryBytes();
        index.publish(hash, address, this);
        long after = index.memoryBytes();
        if (after != before) {
            budget.forceReserve(after - before);
            indexBytes += after - before;
        }
    }

    /**
     * Marks an old version as replaced by a newer record (the flag only in the mutable region:
     * below it records never change; walkers tell old versions apart by the chain order).
     */
    private void retire(int db, long address) {
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        long header = header(page, record);
        if (address >= log.readOnlyAddress()) {
            setFlags(page, record, SUPERSEDED);
        }
        long size = allocatedSize(page, record, header, scratch.parse(page, record, header));
        liveBytes[db] -= size;
    }

    private long allocateOrCompact(long size) {
        // In memory, compaction may overdraw the budget briefly: every copy it makes frees more.
        // Compacting cold pages frees disk, not memory: there it obeys the budget like a writer.
        return log.allocate(size, compactor.compacting() && !log.tiered());
    }

    /**
     * Called before a write locates its key: when memory is nearly exhausted and the log has
     * dead records, compacts first, so the write's addresses stay valid (compaction moves
     * records) and a full budget turns into OOM only when nothing can be reclaimed.
     */
    public void ensureRoom(long now) {
        if (log.tiered()) {
            return; // the page mover makes room by moving pages to disk; compaction runs in the background
        }
        if (!compactor.compacting() && budget.limit() > 0 && budget.used() + 2 * log.pageSize() > budget.limit() && deadBytes() > 0) {
            compactor.compact(OOM_COMPACTION_PAGES, 0.0, now);
        }
    }

    /**
     * Deletes the live key at {@code address}: a tombstone flag in place in the mutable region,
     * a tombstone record at the tail otherwise (records below the mutable region never change).
     *
     * @return OK, or OUT_OF_MEMORY when a tombstone record was needed and could not be written
     */
    public Status kill(int db, long address, ChangeKind event, MemorySegment key) {
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        long header = header(page, record);
        long size = allocatedSize(page, record, header, scratch.parse(page, record, header));
        if (address >= log.readOnlyAddress()) {
            setFlags(page, record, TOMBSTONE);
        } else if (!appendTombstone(db, KeyHash.hash(key), key)) {
            return Status.OUT_OF_MEMORY;
        }
        forget(db, page, record, header, size, event, key);
        return Status.OK;
    }

    /** Counts a key as gone (its record is dead from now on) and tells the subscribers. */
    void forget(int db, MemorySegment page, long record, long header, long size, ChangeKind event, MemorySegment key) {
        if (expireAt(page, record, header) != 0) {
            expireCounts[db]--;
        }
        liveBytes[db] -= size;
        keyCounts[db]--;
        if (event != null) {
            changes.emit(db, key, event);
        }
    }

    /** Appends a record that says "{@code key} is deleted" and makes it the key's newest version. */
    private boolean appendTombstone(int db, long hash, MemorySegment key) {
        long size = sizeFor(key.byteSize(), 0, false);
        long fresh = allocateOrCompact(size);
        if (fresh == LogicalAddress.NULL) {
            return false;
        }
        MemorySegment page = log.page(fresh);
        long at = log.offsetInPage(fresh, page);
        writeRecordPrefix(page, at, key, 0, 0, 0);
        initHeader(page, at, newHeader(indexes[db].find(hash), 0, db, false) | TOMBSTONE);
        publish(db, hash, fresh);
        return true;
    }

    /** Deletes {@code key}; NOT_FOUND when it does not exist. */
    public Status delete(int db, long hash, MemorySegment key, long now) {
        long address = locateForWrite(db, hash, key, now);
        if (address == LogicalAddress.NULL) {
            return Status.NOT_FOUND;
        }
        return kill(db, address, ChangeKind.DEL, key);
    }

    /**
     * Changes the TTL of a live key in place when the record has an expiry slot, otherwise by
     * copying the record to the tail with one.
     */
    public Status setExpire(int db, long hash, MemorySegment key, long expireAt, long now) {
        ensureRoom(now);
        long address = locateForWrite(db, hash, key, now);
        if (address == LogicalAddress.NULL) {
            return Status.NOT_FOUND;
        }
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        long header = header(page, record);
        long old = expireAt(page, record, header);
        if (hasExpirySlot(header) && address >= log.readOnlyAddress()) {
            setExpireAt(page, record, expireAt);
        } else if (expireAt != 0 || old != 0) {
            Status copied = copyFrom(this, address, db, key, hash, expireAt, db, now);
            if (copied != Status.OK) {
                return copied;
            }
        }
        if (old == 0 && expireAt != 0) {
            expireCounts[db]++;
        } else if (old != 0 && expireAt == 0) {
            expireCounts[db]--;
        }
        return Status.OK;
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /**
     * Writes the value of the record at {@code address} in {@code source} (locked by the
     * caller, may be this shard) as {@code dstKey} here, replacing whatever {@code dstKey} held.
     *
     * @param supersedeDb when >= 0, the source record is the old version of dstKey in that db
     */
    public Status copyFrom(Shard source, long address, int dstDb, MemorySegment dstKey, long dstHash,
                           long expireAt, int supersedeDb, long now) {
        MemorySegment srcPage = source.log.page(address);
        long srcRecord = source.log.offsetInPage(address, srcPage);
        long srcHeader = header(srcPage, srcRecord);
        Shape s = new Shape().parse(srcPage, srcRecord, srcHeader);
        long existing = supersedeDb >= 0 ? address : locateForWrite(dstDb, dstHash, dstKey, now);
        long size = sizeFor(dstKey.byteSize(), s.valueLength, expireAt != 0);
        if (size > log.maxRecordSize()) {
            return Status.VALUE_TOO_LARGE;
        }
        long fresh = allocateOrCompact(size);
        if (fresh == LogicalAddress.NULL) {
            return Status.OUT_OF_MEMORY;
        }
        MemorySegment page = log.page(fresh);
        long at = log.offsetInPage(fresh, page);
        long valueAt = writeRecordPrefix(page, at, dstKey, s.valueLength, s.valueLength, expireAt);
        MemorySegment.copy(srcPage, s.valueOffset, page, valueAt, s.valueLength);
        initHeader(page, at, newHeader(indexes[dstDb].find(dstHash), RecordLayout.type(srcHeader), dstDb, expireAt != 0));
        writeAllocatedSize(page, at, valueAt + s.valueLength - at, size);
        publish(dstDb, dstHash, fresh);
        liveBytes[dstDb] += size;
        if (existing != LogicalAddress.NULL) {
            MemorySegment oldPage = log.page(existing);
            long oldRecord = log.offsetInPage(existing, oldPage);
            long oldExpire = expireAt(oldPage, oldRecord, header(oldPage, oldRecord));
            retire(dstDb, existing);
            if (supersedeDb < 0 && oldExpire != 0) {
                expireCounts[dstDb]--;
            }
        } else {
            keyCounts[dstDb]++;
        }
        if (supersedeDb < 0 && expireAt != 0) {
            expireCounts[dstDb]++;
        }
        return Status.OK;
    }

    /** Record bytes that no live key uses any more. */
    public long deadBytes() {
        long live = 0;
        for (long bytes : liveBytes) {
            live += bytes;
        }
        return Math.max(0, log.logBytes() - live);
    }

    /** The mask of {@code db}'s index (for SCAN's cursor arithmetic). */
    public long mask(int db) {
        return indexes[db].mask();
    }

    /** Number of primary buckets of {@code db}'s index. */
    public long buckets(int db) {
        return indexes[db].primaryBuckets();
    }

    // ---- flush and stats ----

    /** Empties {@code db}; its records become dead and compaction reclaims them. */
    public void flush(int db) {
        HashIndex index = indexes[db];
        long before = index.memoryBytes();
        index.clear();
        budget.release(before - index.memoryBytes());
        indexBytes -= before - index.memoryBytes();
        keyCounts[db] = 0;
        expireCounts[db] = 0;
        liveBytes[db] = 0;
    }

    /** Empties every database and drops the whole log. */
    public void flushAll() {
        for (int db = 0; db < indexes.length; db++) {
            flush(db);
        }
        log.clear();
    }

    public long keyCount(int db) {
        return keyCounts[db];
    }

    public long expireCount(int db) {
        return expireCounts[db];
    }

    public long indexBytes() {
        return indexBytes;
    }

    /** Frees the indexes and the log; only once no operation can be running (store closed). */
    public void close() {
        for (HashIndex index : indexes) {
            index.close();
        }
        log.close();
    }

    public int databases() {
        return indexes.length;
    }
}
