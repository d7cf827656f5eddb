package io.ferrite.core.shard;

import static io.ferrite.core.log.RecordLayout.*;

import io.ferrite.core.address.LogicalAddress;
import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.DiskReadPending;
import io.ferrite.core.api.DiskReads;
import io.ferrite.core.api.ExpireMode;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.api.ValueUpdater;
import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.index.HashIndex;
import io.ferrite.core.index.KeyHash;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.log.MemoryBudget;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.log.RecordLayout;
import java.lang.foreign.MemorySegment;

/**
 * One partition of the keyspace: a HybridLog, a hash index per logical database and one for
 * the parts of large collections ({@link PartStore}), and the record-level operations on keys
 * (find, read, upsert, delete, TTL, copy).
 *
 * <p>Concurrency: readers ({@link #read}, {@link #locate}) take no lock; they hold an epoch
 * protection (taken by the caller) and copy values under the record's shared lock. Writers
 * call the mutating methods with {@link #lock()} held, so writes to one shard are serialised
 * and multi-key operations lock their shards in id order. A write never blocks a reader of
 * another record.
 *
 * <p>A key whose value is a table-encoded collection owns parts in {@link #parts()}; whenever
 * such a root stops being its key's value for good (deleted, expired, replaced by another
 * value) the collection is released there, in O(1): its parts become dead all at once.
 */
public final class Shard implements HashIndex.ChainReader {
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);
    private static final int OOM_COMPACTION_PAGES = 64;

    private final int id;
    private final ShardLock lock = new ShardLock();
    /** The lock holder's disk-read mode before it took the lock (written by the holder only). */
    private boolean failFastBeforeLock;
    private final HybridLog log;
    /** One per database; replaced only by {@link #restore}, before the shard is used. */
    private final HashIndex[] indexes;
    private final long[] keyCounts;
    private final long[] expireCounts;
    /** Record bytes of live keys per database, their collections' parts included. */
    private final long[] liveBytes;
    private final MemoryBudget budget;
    private final ChangeBus changes;
    private final long maxValueSize;
    /** How many change events this shard has emitted (guarded by the lock). */
    private long changeSequence;
    /** Writer's scratch; only used with the lock held. */
    private final Shape shape = new Shape();
    private final Shape scratch = new Shape();
    private long indexBytes;
    private final Compactor compactor;
    private final BucketScans scans;
    private final PartStore parts;
    /** Cold reads seen lately: a record is promoted on its second read (null: no promotion). */
    private final SecondTouch coldReads;
    /** The index's chain walker for lookups, made once so that a lookup allocates nothing. */
    private final HashIndex.ChainWalk<MemorySegment> chainWalker = this::walkChain;

    /** Receives a record's value together with its {@link RecordKind}, under its shared lock. */
    @FunctionalInterface
    public interface RecordSink {
        void accept(int kind, MemorySegment page, long offset, long length);
    }

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
        HashIndex partIndex = new HashIndex(16, indexLoad, epoch);
        partIndex.trackCrossLinks(); // for the reuse of superseded chunks (FreeRecords)
        indexBytes += partIndex.memoryBytes();
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
        this.parts = new PartStore(this, partIndex, databases, epoch);
    }

    public int id() {
        return id;
    }

    public HybridLog log() {
        return log;
    }

    /** The log compaction of this shard (under its lock). */
    public Compactor compactor() {
        return compactor;
    }

    /** SCAN and active-expiry walks of this shard's buckets (under its lock). */
    public BucketScans scans() {
        return scans;
    }

    /** The chunks and liveness markers of this shard's table-encoded collections. */
    public PartStore parts() {
        return parts;
    }

    /** The index of database {@code db}. */
    HashIndex index(int db) {
        return indexes[db];
    }

    /** Emits a change event of {@code key} in {@code db}, without values (the caller holds the lock). */
    public void emit(int db, MemorySegment key, ChangeKind kind) {
        emit(db, key, kind, null, null);
    }

    /** Numbers the event in this shard's sequence and hands it to the subscribers (the caller holds the lock). */
    private void emit(int db, MemorySegment key, ChangeKind kind, MemorySegment oldValue, MemorySegment newValue) {
        changes.emit(id, ++changeSequence, db, key, kind, oldValue, newValue);
    }

    /** The sequence number of this shard's last change event (0 before the first). */
    public long changeSequence() {
        return changeSequence;
    }

    /** A copy of a string value for the subscribers that asked for values, or null. */
    private MemorySegment valueForSubscribers(int kind, MemorySegment page, long offset, long length) {
        if (!changes.wantsValues() || RecordKind.typeOf(kind) != io.ferrite.core.api.ValueType.STRING) {
            return null;
        }
        return MemorySegment.ofArray(page.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    // ---- the lock ----

    /**
     * Takes the shard's write lock. While it is held the thread is fail-fast (a cold block not
     * at hand throws {@link DiskReadPending}: nobody waits for the disk with the lock held; the
     * engine's operation template waits outside and retries), and the cold blocks it resolves
     * stay pinned (see {@link io.ferrite.core.tier.ColdLog}), so an operation never has to read
     * the same block twice.
     */
    public void lock() {
        lock.lock();
        if (lock.releasesOnUnlock()) {
            failFastBeforeLock = DiskReads.lockTaken();
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
            DiskReads.lockReleased(failFastBeforeLock);
        }
        lock.unlock();
    }

    public boolean isLockedByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    // ---- HashIndex.ChainReader (every index of the shard hashes key bytes alike) ----

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
        return find(indexes[db], hash, key);
    }

    /**
     * One pass over the key's bucket of {@code index} and, when it was split over cold records,
     * its ancestors. The chains are walked down to the log's begin as it was <em>before</em> the
     * index was read: compaction may copy the key's record forward and move begin past the old
     * copy between the two, and the old copy (still readable under the caller's epoch
     * protection) is then the one the entry read leads to. A begin read afterwards cut that walk
     * short and reported a live key as missing (RandomizedModelTest, about one run in twenty).
     */
    long find(HashIndex index, long hash, MemorySegment key) {
        return index.search(hash, key, log.beginAddress(), chainWalker);
    }

    /** Walks a chain from {@code address} comparing keys, looking only at records at or above {@code floor}; the first record of {@code key}, or NULL. */
    long walkChain(long address, MemorySegment key, long floor) {
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
        return !isTombstone(header) && !isExpired(page, record, header, now);
    }

    private static boolean isExpired(MemorySegment page, long record, long header, long now) {
        long expireAt = expireAt(page, record, header);
        return expireAt != 0 && expireAt <= now;
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

    /**
     * Deletes a key a read found expired (with an {@code expired} event), so that it stops
     * counting at once, as Redis's lookups do. Best effort: when the key's records are not at
     * hand without a disk read, active expiry or compaction gets it later.
     */
    private void expireOnRead(int db, long hash, MemorySegment key, long now) {
        lock();
        try {
            locateForWrite(db, hash, key, now);
        } catch (DiskReadPending ignored) {
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
        return readRecord(db, hash, key, type, (kind, page, offset, length) -> sink.accept(page, offset, length), now);
    }

    /**
     * As {@link #read}, handing the record's kind along with its value: how the collection
     * families see a root, whose kind says its encoding.
     */
    public Status readRecord(int db, long hash, MemorySegment key, ValueType type, RecordSink sink, long now) {
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
            int kind = RecordLayout.kind(header);
            if (type != null && RecordKind.typeOf(kind) != type) {
                return Status.WRONG_TYPE;
            }
            long at = record + lengthsOffset(header);
            long k = readVarint(page, at);
            at += k & 0xF;
            long v = readVarint(page, at);
            at += (v & 0xF) + (k >>> 4);
            sink.accept(kind, page, at, v >>> 4);
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
        } catch (DiskReadPending ignored) {
            // the block was evicted between the read and now: the next read promotes it
        } finally {
            unlock();
        }
    }

    /** True when a cold record at {@code address} has just been read for the second time lately. */
    boolean secondColdRead(long address) {
        return coldReads != null && !log.inMemory(address) && coldReads.secondRead(address);
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
        return RecordKind.typeOf(kindOf(db, hash, key, now));
    }

    /** {@link RecordKind} of the live value of {@code key}, or 0 when there is none. */
    public int kindOf(int db, long hash, MemorySegment key, long now) {
        long address = locate(db, hash, key, now);
        if (address == LogicalAddress.NULL) {
            return 0;
        }
        MemorySegment page = log.page(address);
        return RecordLayout.kind(header(page, log.offsetInPage(address, page)));
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

    /**
     * Bytes the live record of {@code key} takes in the log, its collection's parts included,
     * or -1 when the key does not exist.
     */
    public long recordSize(int db, long hash, MemorySegment key, long now) {
        long address = locate(db, hash, key, now);
        if (address == LogicalAddress.NULL) {
            return -1;
        }
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        long header = header(page, record);
        Shape s = new Shape().parse(page, record, header);
        long size = allocatedSize(page, record, header, s);
        if (RecordKind.isTable(RecordLayout.kind(header))) {
            size += TableRoot.partBytes(page, s.valueOffset);
        }
        return size;
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
        if (isExpired(page, record, header, now)) {
            kill(db, address, ChangeKind.EXPIRED, key);
            return LogicalAddress.NULL;
        }
        return address;
    }

    /**
     * Read-modify-write of {@code key}'s value.
     *
     * @param kind        the {@link RecordKind} written over an existing value of the same Redis
     *                    type (which the updater gets, even in another encoding)
     * @param kindIfNew   the kind written when there was no such value
     * @param anyType     when true an existing value of another type is replaced (SET);
     *                    otherwise it is {@link Status#WRONG_TYPE}
     * @param expireMode  {@link ExpireMode#KEEP} keeps the key's TTL, {@link ExpireMode#SET}
     *                    sets {@code expireAt}, {@link ExpireMode#CLEAR} removes it
     * @param event       the change event to emit when the value changes (null for none)
     */
    public Status upsert(int db, long hash, MemorySegment key, int kind, int kindIfNew, boolean anyType,
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
        int oldKind = 0;
        if (!exists) {
            kind = kindIfNew;
        }
        if (exists) {
            page = log.page(address);
            record = log.offsetInPage(address, page);
            header = header(page, record);
            oldKind = RecordLayout.kind(header);
            sameType = RecordKind.typeOf(oldKind) == RecordKind.typeOf(kind);
            if (!sameType && !anyType) {
                return Status.WRONG_TYPE;
            }
            if (!sameType) {
                kind = kindIfNew;
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
        // Copied before an in-place write overwrites it, and only when a subscriber asked.
        MemorySegment oldValue = event != null && exists ? valueForSubscribers(oldKind, page, valueOffset, valueLength) : null;
        MemorySegment valuePage;
        long valueAt;
        long newExpire = switch (expireMode) {
            case KEEP -> oldExpire;
            case SET -> expireAt;
            case CLEAR -> 0;
        };
        // A table root replaced by anything but itself (same collection) lets its parts go.
        long oldCollection = exists && RecordKind.isTable(oldKind) ? TableRoot.collectionId(page, valueOffset) : 0;
        long oldPartBytes = oldCollection != 0 ? TableRoot.partBytes(page, valueOffset) : 0;
        if (exists && sameType && canUpdateInPlace(address, page, record, header, newLength, newExpire)) {
            // Read the allocated size first: a FILLER word may sit where the new value goes.
            long allocated = allocatedSize(page, record, header, shape);
            lockExclusive(page, record);
            try {
                updater.write(page, valueOffset, newLength, page, valueOffset, valueLength);
                valuePage = page;
                valueAt = valueOffset;
                writeVarint(page, shape.valueLengthAt, newLength, shape.valueLengthWidth);
                writeAllocatedSize(page, record, valueOffset + newLength - record, allocated);
                if (hasExpirySlot(header)) {
                    setExpireAt(page, record, newExpire);
                }
                if (oldKind != kind) {
                    setKind(page, record, kind);
                }
            } finally {
                unlockExclusive(page, record);
            }
            releaseUnlessKept(db, oldCollection, oldPartBytes, kind, page, valueOffset);
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
            valuePage = target;
            valueAt = targetValue;
            if (exists && sameType) {
                updater.write(target, targetValue, newLength, page, valueOffset, valueLength);
            } else {
                updater.write(target, targetValue, newLength, EMPTY, 0, 0);
            }
            initHeader(target, at, newHeader(indexes[db].find(hash), kind, db, newExpire != 0));
            writeAllocatedSize(target, at, targetValue + newLength - at, size);
            publish(db, hash, fresh);
            liveBytes[db] += size;
            if (exists) {
                retire(db, address);
            }
            releaseUnlessKept(db, oldCollection, oldPartBytes, kind, target, targetValue);
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
            if (!exists) {
                emit(db, key, ChangeKind.NEW);
            }
            emit(db, key, event, oldValue, valueForSubscribers(kind, valuePage, valueAt, newLength));
        }
        return Status.OK;
    }

    /** Releases collection {@code collection} unless the value now written is a root of that same collection. */
    private void releaseUnlessKept(int db, long collection, long partBytes, int kind, MemorySegment page, long valueOffset) {
        if (collection != 0 && !(RecordKind.isTable(kind) && TableRoot.collectionId(page, valueOffset) == collection)) {
            parts.release(db, collection, partBytes);
        }
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
    static long writeRecordPrefix(MemorySegment page, long record, MemorySegment key, long capacity,
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

    /** Points {@code hash}'s entry of {@code index} at {@code address}, counting index growth against the budget. */
    void publish(HashIndex index, long hash, long address) {
        long before = index.memoryBytes();
        index.publish(hash, address, this);
        long after = index.memoryBytes();
        if (after != before) {
            budget.forceReserve(after - before);
            indexBytes += after - before;
        }
    }

    private void publish(int db, long hash, long address) {
        publish(indexes[db], hash, address);
    }

    /**
     * Marks an old version as replaced by a newer record (the flag only in the mutable region:
     * below it records never change; walkers tell old versions apart by the chain order) and
     * returns its allocated size.
     */
    long supersede(long address) {
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        long header = header(page, record);
        if (address >= log.readOnlyAddress()) {
            setFlags(page, record, SUPERSEDED);
        }
        return allocatedSize(page, record, header, scratch.parse(page, record, header));
    }

    private void retire(int db, long address) {
        liveBytes[db] -= supersede(address);
    }

    long allocateOrCompact(long size) {
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
     * A table-encoded collection the key held is released.
     *
     * @return OK, or OUT_OF_MEMORY when a tombstone record was needed and could not be written
     */
    public Status kill(int db, long address, ChangeKind event, MemorySegment key) {
        return remove(db, address, event, key, true);
    }

    /**
     * As {@link #kill}, but the value lives on under another key that a copy of the record now
     * holds (RENAME and MOVE within the shard): its collection is not released.
     */
    public Status unlink(int db, long address, ChangeKind event, MemorySegment key) {
        return remove(db, address, event, key, false);
    }

    private Status remove(int db, long address, ChangeKind event, MemorySegment key, boolean releaseValue) {
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        long header = header(page, record);
        long size = allocatedSize(page, record, header, scratch.parse(page, record, header));
        long valueOffset = scratch.valueOffset;
        if (address >= log.readOnlyAddress()) {
            setFlags(page, record, TOMBSTONE);
        } else if (!appendTombstone(db, KeyHash.hash(key), key)) {
            return Status.OUT_OF_MEMORY;
        }
        forget(db, page, record, header, size, valueOffset, event, key, releaseValue);
        return Status.OK;
    }

    /**
     * Counts a key as gone (its record is dead from now on), releases its collection when
     * asked, and tells the subscribers.
     */
    void forget(int db, MemorySegment page, long record, long header, long size, long valueOffset,
                ChangeKind event, MemorySegment key, boolean releaseValue) {
        if (expireAt(page, record, header) != 0) {
            expireCounts[db]--;
        }
        liveBytes[db] -= size;
        keyCounts[db]--;
        if (releaseValue && RecordKind.isTable(RecordLayout.kind(header))) {
            parts.release(db, TableRoot.collectionId(page, valueOffset), TableRoot.partBytes(page, valueOffset));
        }
        if (event != null) {
            int kind = RecordLayout.kind(header);
            MemorySegment oldValue = changes.wantsValues()
                    ? valueForSubscribers(kind, page, valueOffset, scratch.parse(page, record, header).valueLength) : null;
            emit(db, key, event, oldValue, null);
        }
    }

    /** Appends a record that says "{@code key} is deleted" and makes it the key's newest version. */
    private boolean appendTombstone(int db, long hash, MemorySegment key) {
        return appendTombstone(indexes[db], db, 0, hash, key);
    }

    /** As above, into {@code index}, with record kind {@code kind}. */
    boolean appendTombstone(HashIndex index, int db, int kind, long hash, MemorySegment key) {
        long size = sizeFor(key.byteSize(), 0, false);
        long fresh = allocateOrCompact(size);
        if (fresh == LogicalAddress.NULL) {
            return false;
        }
        MemorySegment page = log.page(fresh);
        long at = log.offsetInPage(fresh, page);
        writeRecordPrefix(page, at, key, 0, 0, 0);
        initHeader(page, at, newHeader(index.find(hash), kind, db, false) | TOMBSTONE);
        publish(index, hash, fresh);
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

    /**
     * Writes the value of the record at {@code address} in {@code source} (locked by the
     * caller, may be this shard) as {@code dstKey} here, replacing whatever {@code dstKey} held
     * (a collection it held is released). A table root is copied as it is, so the copy shares
     * the source's collection: only for a value that moves (RENAME, MOVE within the shard, the
     * key's own copies); a COPY of a collection copies its parts first.
     *
     * @param supersedeDb when >= 0, the source record is the old version of dstKey in that db
     */
    public Status copyFrom(Shard source, long address, int dstDb, MemorySegment dstKey, long dstHash,
                           long expireAt, int supersedeDb, long now) {
        MemorySegment srcPage = source.log.page(address);
        long srcRecord = source.log.offsetInPage(address, srcPage);
        long srcHeader = header(srcPage, srcRecord);
        Shape s = new Shape().parse(srcPage, srcRecord, srcHeader);
        return writeCopy(srcPage, s.valueOffset, s.valueLength, RecordLayout.kind(srcHeader), address,
                dstDb, dstKey, dstHash, expireAt, supersedeDb, now);
    }

    /**
     * Writes {@code length} bytes of value at {@code page[offset]} as {@code dstKey}'s new value
     * of kind {@code kind}, replacing what it held: {@link #copyFrom} and the collection
     * families' whole-value writes (a collection built elsewhere, then published here).
     *
     * @param existing    with {@code supersedeDb >= 0}: the key's current record
     */
    public Status writeCopy(MemorySegment page, long offset, long length, int kind, long existing,
                            int dstDb, MemorySegment dstKey, long dstHash, long expireAt, int supersedeDb, long now) {
        long current = supersedeDb >= 0 ? existing : locateForWrite(dstDb, dstHash, dstKey, now);
        long size = sizeFor(dstKey.byteSize(), length, expireAt != 0);
        if (size > log.maxRecordSize()) {
            return Status.VALUE_TOO_LARGE;
        }
        long fresh = allocateOrCompact(size);
        if (fresh == LogicalAddress.NULL) {
            return Status.OUT_OF_MEMORY;
        }
        MemorySegment target = log.page(fresh);
        long at = log.offsetInPage(fresh, target);
        long valueAt = writeRecordPrefix(target, at, dstKey, length, length, expireAt);
        MemorySegment.copy(page, offset, target, valueAt, length);
        initHeader(target, at, newHeader(indexes[dstDb].find(dstHash), kind, dstDb, expireAt != 0));
        writeAllocatedSize(target, at, valueAt + length - at, size);
        publish(dstDb, dstHash, fresh);
        liveBytes[dstDb] += size;
        if (current != LogicalAddress.NULL) {
            MemorySegment oldPage = log.page(current);
            long oldRecord = log.offsetInPage(current, oldPage);
            long oldHeader = header(oldPage, oldRecord);
            long oldExpire = expireAt(oldPage, oldRecord, oldHeader);
            int oldKind = RecordLayout.kind(oldHeader);
            long oldValue = scratch.parse(oldPage, oldRecord, oldHeader).valueOffset;
            long oldCollection = RecordKind.isTable(oldKind) ? TableRoot.collectionId(oldPage, oldValue) : 0;
            long oldPartBytes = oldCollection != 0 ? TableRoot.partBytes(oldPage, oldValue) : 0;
            retire(dstDb, current);
            releaseUnlessKept(dstDb, oldCollection, oldPartBytes, kind, target, valueAt);
            if (supersedeDb < 0 && oldExpire != 0) {
                expireCounts[dstDb]--;
            }
        } else {
            keyCounts[dstDb]++;
            if (supersedeDb < 0) { // a new key (not the compactor moving one): the caller's event follows
                emit(dstDb, dstKey, ChangeKind.NEW);
            }
        }
        if (supersedeDb < 0 && expireAt != 0) {
            expireCounts[dstDb]++;
        }
        return Status.OK;
    }

    /** Moves {@code bytes} of live-record accounting from database {@code from} to {@code to} (MOVE of a collection). */
    public void moveLiveBytes(int from, int to, long bytes) {
        liveBytes[from] -= bytes;
        liveBytes[to] += bytes;
    }

    /** Counts {@code delta} more live bytes in {@code db} (a collection's parts grew or shrank). */
    void addLiveBytes(int db, long delta) {
        liveBytes[db] += delta;
    }

    /** Record bytes that no live key uses any more. */
    public long deadBytes() {
        long live = 0;
        for (long bytes : liveBytes) {
            live += bytes;
        }
        return Math.max(0, log.logBytes() - live);
    }

    // ---- index geometry (for SCAN and expiry sweeps) ----

    /** The mask of {@code db}'s index (for SCAN's cursor arithmetic). */
    public long mask(int db) {
        return indexes[db].mask();
    }

    /** Number of primary buckets of {@code db}'s index. */
    public long buckets(int db) {
        return indexes[db].primaryBuckets();
    }

    // ---- flush and stats ----

    /** Empties {@code db}; its records (and its collections' parts) become dead and compaction reclaims them. */
    public void flush(int db) {
        HashIndex index = indexes[db];
        long before = index.memoryBytes();
        index.clear();
        budget.release(before - index.memoryBytes());
        indexBytes -= before - index.memoryBytes();
        keyCounts[db] = 0;
        expireCounts[db] = 0;
        liveBytes[db] = 0;
        parts.flushed(db);
    }

    /** Empties every database and drops the whole log. */
    public void flushAll() {
        for (int db = 0; db < indexes.length; db++) {
            flush(db);
        }
        parts.clear();
        log.clear();
    }

    /** Index memory changed by {@code delta} bytes outside {@link #publish} (an index cleared). */
    void indexBytesChanged(long delta) {
        indexBytes += delta;
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

    // ---- checkpoints ----

    /**
     * What a checkpoint keeps of a shard besides its in-memory pages: where the log was frozen,
     * copies of its indexes, its counters and its cold blocks. Taken by {@link #image()}.
     */
    public record Image(HybridLog.Frozen log, HashIndex.Image[] indexes, HashIndex.Image parts, long[] keyCounts,
                        long[] expireCounts, long[] liveBytes, long nextCollectionId, int[] flushGenerations,
                        long[] coldBlocks) implements AutoCloseable {
        @Override
        public void close() {
            for (HashIndex.Image index : indexes) {
                index.close();
            }
            parts.close();
        }

        /** Bytes of memory the copies take. */
        public long bytes() {
            long total = parts.bytes() + coldBlocks.length * 8L;
            for (HashIndex.Image index : indexes) {
                total += index.bytes();
            }
            return total;
        }
    }

    /**
     * Freezes the log (see {@link HybridLog#freeze}) and copies the shard's state as of now.
     * Under the shard's lock; the log must be tiered.
     */
    public Image image() {
        HashIndex.Image[] images = new HashIndex.Image[indexes.length];
        for (int db = 0; db < indexes.length; db++) {
            images[db] = indexes[db].image();
        }
        HybridLog.Frozen frozen = log.freeze();
        return new Image(frozen, images, parts.indexImage(), keyCounts.clone(), expireCounts.clone(),
                liveBytes.clone(), parts.nextCollectionId(), parts.flushGenerations(),
                log.tiers().cold().exportBlocks(frozen.begin()));
    }

    /**
     * Gives a new shard the state of {@code image} (read back from a checkpoint): indexes,
     * counters, cold blocks and the log's shape; the caller then fills the in-memory pages
     * ({@link HybridLog#restorePage}). {@code segmentLengths} are the bytes of each segment
     * file the blocks refer to.
     */
    public void restore(Image image, java.util.Map<Long, Long> segmentLengths, LightEpoch epoch) {
        if (image.indexes().length != indexes.length) {
            throw new IllegalArgumentException("the checkpoint has " + image.indexes().length
                    + " databases, this store " + indexes.length);
        }
        long before = indexBytes;
        for (int db = 0; db < indexes.length; db++) {
            HashIndex restored = HashIndex.restore(image.indexes()[db], epoch);
            indexBytes += restored.memoryBytes() - indexes[db].memoryBytes();
            indexes[db].close();
            indexes[db] = restored;
        }
        HashIndex restoredParts = HashIndex.restore(image.parts(), epoch);
        indexBytes += parts.restore(restoredParts, image.nextCollectionId(), image.flushGenerations());
        budget.forceReserve(indexBytes - before);
        System.arraycopy(image.keyCounts(), 0, keyCounts, 0, keyCounts.length);
        System.arraycopy(image.expireCounts(), 0, expireCounts, 0, expireCounts.length);
        System.arraycopy(image.liveBytes(), 0, liveBytes, 0, liveBytes.length);
        log.tiers().cold().restore(image.coldBlocks(), segmentLengths);
        log.restore(image.log());
    }

    /** Frees the indexes and the log; only once no operation can be running (store closed). */
    public void close() {
        for (HashIndex index : indexes) {
            index.close();
        }
        parts.close();
        log.close();
    }

    public int databases() {
        return indexes.length;
    }

    MemoryBudget budget() {
        return budget;
    }
}
