package io.ferrite.core.shard;

import static io.ferrite.core.log.RecordLayout.*;

import io.ferrite.core.address.LogicalAddress;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueUpdater;
import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.index.HashIndex;
import io.ferrite.core.index.KeyHash;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.log.RecordLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The parts of one shard's table-encoded collections: chunk records holding their elements,
 * and one liveness marker per collection, in the shard's own log and found through a hash index
 * of their own (so they are never keys: SCAN, DBSIZE and RANDOMKEY do not see them).
 *
 * <p>A part's key is 12 bytes, {@code [collection id:8][chunk number:4]}; a marker has chunk
 * number {@link #MARKER}. Collection ids are never reused, so a collection deleted and created
 * again under the same key shares nothing with its predecessor.
 *
 * <p><b>Liveness.</b> A chunk is live while its collection's marker is: the marker is written
 * when the collection is created and killed when its root dies (DEL, expiry, overwrite), and
 * FLUSHDB kills every marker of a database at once by moving the database's flush generation,
 * which each marker records. So dropping a collection of any size is O(1); compaction skips
 * the chunks of dead collections, and their index entries are reused once the log's begin
 * passes them.
 *
 * <p><b>Readers</b> take no lock: a chunk is read under its record's shared lock like any
 * record. Moving elements between chunks (a split) runs inside {@link #beginRestructure()} /
 * {@link #endRestructure()}, a sequence lock that lock-free readers of one element validate.
 */
public final class PartStore {
    /** Bytes of a part's key. */
    public static final int KEY_SIZE = 12;
    /** The chunk number of a collection's liveness marker. */
    public static final int MARKER = -1;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);
    /** A marker's value: the database and its flush generation when the marker was written. */
    private static final int MARKER_VALUE = 5;

    private final Shard shard;
    private final HybridLog log;
    /** Replaced only by {@link #restore}, before the shard is used. */
    private HashIndex index;
    private final int[] flushGenerations;
    private final MemorySegment writerKey = MemorySegment.ofArray(new byte[KEY_SIZE]);
    private final Shape shape = new Shape();
    private final Shape slotShape = new Shape();
    private final FreeRecords free;
    private final FreeRecords.SizeOf slotSize = this::slotSize;
    private final MarkerWriter markerWriter = new MarkerWriter();
    private long nextId = 1;
    private long lastDelta;
    /** Sequence lock of element moves between chunks: odd while one runs. */
    private volatile long structureVersion;

    /** Receives a part's value under its record's shared lock. */
    @FunctionalInterface
    public interface PartSink {
        void accept(MemorySegment page, long offset, long length);
    }

    /** True for a view of frozen parts ({@link #frozen}): reads only, and no copy of a cold part to memory. */
    private final boolean frozen;

    PartStore(Shard shard, HashIndex index, int databases, LightEpoch epoch) {
        this(shard, index, databases, epoch, false);
    }

    private PartStore(Shard shard, HashIndex index, int databases, LightEpoch epoch, boolean frozen) {
        this.shard = shard;
        this.log = shard.log();
        this.index = index;
        this.flushGenerations = new int[databases];
        this.free = new FreeRecords(epoch);
        this.frozen = frozen;
    }

    /** The parts as a checkpoint froze them, read through {@code frozenIndex} (a view of its image): reads only. */
    static PartStore frozen(Shard shard, HashIndex frozenIndex, LightEpoch epoch) {
        return new PartStore(shard, frozenIndex, shard.databases(), epoch, true);
    }

    private long slotSize(long address) {
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        long header = header(page, record);
        return allocatedSize(page, record, header, slotShape.parse(page, record, header));
    }

    /** Part records written into the room of a superseded one rather than at the tail. */
    public long reusedRecords() {
        return free.reused();
    }

    // ---- keys ----

    /** Writes the key of part {@code chunk} of collection {@code collection} into {@code key} (12 bytes). */
    public static MemorySegment key(MemorySegment key, long collection, int chunk) {
        key.set(LONG, 0, collection);
        key.set(INT, 8, chunk);
        return key;
    }

    /** The writer's reusable key segment (lock held; valid until the next call). */
    public MemorySegment writerKey(long collection, int chunk) {
        return key(writerKey, collection, chunk);
    }

    /** A new collection id for this shard. Lock held. */
    public long newCollectionId() {
        return nextId++;
    }

    // ---- lookups (epoch protected, no lock needed) ----

    /** The newest record of {@code key}, dead or alive, or NULL. */
    public long find(MemorySegment key) {
        return shard.find(index, KeyHash.hash(key), key);
    }

    /** The live record of part {@code key}, or NULL. */
    public long locate(MemorySegment key) {
        long address = find(key);
        if (address == LogicalAddress.NULL) {
            return address;
        }
        MemorySegment page = log.page(address);
        return isTombstone(header(page, log.offsetInPage(address, page))) ? LogicalAddress.NULL : address;
    }

    /**
     * Hands part {@code key}'s value to {@code sink} under the record's shared lock; false when
     * the part does not exist. A cold part read for the second time lately is copied to memory.
     */
    public boolean read(MemorySegment key, PartSink sink) {
        long address = locate(key);
        if (address == LogicalAddress.NULL) {
            return false;
        }
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        boolean mutable = address >= log.readOnlyAddress();
        if (mutable) {
            lockShared(page, record);
        }
        try {
            Shape s = new Shape().parse(page, record, header(page, record));
            sink.accept(page, s.valueOffset, s.valueLength);
        } finally {
            if (mutable) {
                unlockShared(page, record);
            }
        }
        if (!frozen && shard.secondColdRead(address)) {
            promote(address);
        }
        return true;
    }

    /** Best-effort copy of a cold part to memory (see {@link Shard#readRecord}). */
    private void promote(long address) {
        shard.lock();
        try {
            if (address >= log.beginAddress() && !log.inMemory(address)) {
                MemorySegment page = log.page(address);
                long record = log.offsetInPage(address, page);
                Shape s = new Shape().parse(page, record, header(page, record));
                if (find(page.asSlice(s.keyOffset, s.keyLength)) == address) {
                    relocate(address);
                }
            }
        } catch (io.ferrite.core.api.DiskReadPending ignored) {
            // evicted again meanwhile: a later read promotes it
        } finally {
            shard.unlock();
        }
    }

    // ---- writes (lock held) ----

    /**
     * Read-modify-write of part {@code key} (created when missing), its bytes counted in
     * database {@code db}: in place in the mutable region when the new value fits, otherwise a
     * new record with the updater's headroom. The change of allocated bytes is
     * {@link #lastDelta()} (the collection's root records it).
     */
    public Status write(int db, MemorySegment key, int kind, ValueUpdater updater) {
        lastDelta = 0;
        long hash = KeyHash.hash(key);
        long address = locate(key);
        MemorySegment page = EMPTY;
        long record = 0;
        long header = 0;
        boolean exists = address != LogicalAddress.NULL;
        if (exists) {
            page = log.page(address);
            record = log.offsetInPage(address, page);
            header = header(page, record);
            shape.parse(page, record, header);
        }
        long newLength = exists ? updater.prepare(page, shape.valueOffset, shape.valueLength, true)
                : updater.prepare(EMPTY, 0, 0, false);
        if (newLength == ValueUpdater.FAILED) {
            return updater.failure();
        }
        if (newLength == ValueUpdater.NO_CHANGE) {
            return Status.OK;
        }
        if (exists && fitsInPlace(address, page, record, header, newLength)) {
            long allocated = allocatedSize(page, record, header, shape);
            lockExclusive(page, record);
            try {
                updater.write(page, shape.valueOffset, newLength, page, shape.valueOffset, shape.valueLength);
                writeVarint(page, shape.valueLengthAt, newLength, shape.valueLengthWidth);
                writeAllocatedSize(page, record, shape.valueOffset + newLength - record, allocated);
            } finally {
                unlockExclusive(page, record);
            }
            return Status.OK;
        }
        long capacity = newLength + updater.headroom(newLength);
        long size = sizeFor(KEY_SIZE, capacity, false);
        if (size > log.maxRecordSize()) {
            return Status.VALUE_TOO_LARGE;
        }
        long prev = index.find(hash);
        // The old version heads its chain and no split made it another chain's link (the common
        // case): the new one links past it, so nothing leads to it any more, and its room can be
        // reused once the readers that might still hold its address are gone.
        boolean unlinked = exists && prev == address && address >= log.readOnlyAddress() && !index.linkedAcross(hash, address);
        if (unlinked) {
            prev = RecordLayout.prev(header);
        }
        long fresh = free.take(size, prev, log.readOnlyAddress(), slotSize);
        if (fresh != LogicalAddress.NULL) {
            size = slotSize.allocatedSize(fresh);
        } else {
            fresh = shard.allocateOrCompact(size);
            if (fresh == LogicalAddress.NULL) {
                return Status.OUT_OF_MEMORY;
            }
        }
        MemorySegment target = log.page(fresh);
        long at = log.offsetInPage(fresh, target);
        long valueAt = Shard.writeRecordPrefix(target, at, key, capacity, newLength, 0);
        if (exists) {
            updater.write(target, valueAt, newLength, page, shape.valueOffset, shape.valueLength);
        } else {
            updater.write(target, valueAt, newLength, EMPTY, 0, 0);
        }
        initHeader(target, at, newHeader(prev, kind, 0, false));
        writeAllocatedSize(target, at, valueAt + newLength - at, size);
        shard.publish(index, hash, fresh);
        long freed = exists ? shard.supersede(address) : 0;
        if (unlinked) {
            free.retire(address, freed);
        }
        lastDelta = size - freed;
        shard.addLiveBytes(db, lastDelta);
        return Status.OK;
    }

    /** Allocated bytes the last {@link #write} added (negative: freed) to the collection's parts. */
    public long lastDelta() {
        return lastDelta;
    }

    private boolean fitsInPlace(long address, MemorySegment page, long record, long header, long newLength) {
        if (address < log.readOnlyAddress() || newLength > varintCapacity(shape.valueLengthWidth)) {
            return false;
        }
        long allocated = allocatedSize(page, record, header, shape);
        long used = shape.valueOffset - record + newLength;
        return used <= allocated && (align8(used) == allocated || align4(used) + 4 <= allocated);
    }

    /**
     * Copies the part at {@code address} to the tail as it is (same allocated size, so the
     * collection's byte count stays right): compaction and promotion of live parts.
     */
    Status relocate(long address) {
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        long header = header(page, record);
        Shape s = new Shape().parse(page, record, header);
        long size = allocatedSize(page, record, header, s);
        long fresh = shard.allocateOrCompact(size);
        if (fresh == LogicalAddress.NULL) {
            return Status.OUT_OF_MEMORY;
        }
        MemorySegment target = log.page(fresh);
        long at = log.offsetInPage(fresh, target);
        MemorySegment.copy(page, record + HEADER_SIZE, target, at + HEADER_SIZE, size - HEADER_SIZE);
        long hash = KeyHash.hash(page, s.keyOffset, s.keyLength);
        initHeader(target, at, newHeader(index.find(hash), RecordLayout.kind(header), 0, false) | (header & FILLER));
        shard.publish(index, hash, fresh);
        shard.supersede(address);
        return Status.OK;
    }

    // ---- collection lifecycle (lock held) ----

    /** Writes the liveness marker of a new collection in database {@code db}; its bytes go to {@link #lastDelta()}. */
    public Status createMarker(long collection, int db) {
        return write(db, writerKey(collection, MARKER), RecordKind.PART_MARKER, markerWriter.forDb(db));
    }

    /** Re-marks a collection as belonging to database {@code db} (MOVE). */
    public Status moveMarker(long collection, int db) {
        return createMarker(collection, db);
    }

    /**
     * Drops collection {@code collection} of database {@code db}: kills its marker, so all its
     * parts are dead from now on, and stops counting its {@code partBytes} as live.
     */
    public void release(int db, long collection, long partBytes) {
        MemorySegment key = writerKey(collection, MARKER);
        long hash = KeyHash.hash(key);
        // Only the records in memory are looked at, so a DEL never waits for the disk: a marker
        // not found there is cold (or was never written) and gets a tombstone record regardless.
        long head = index.find(hash);
        long address = head == LogicalAddress.NULL ? head
                : shard.walkChain(head, key, Math.max(log.headAddress(), log.beginAddress()));
        MemorySegment page = address == LogicalAddress.NULL ? null : log.page(address);
        long record = page == null ? 0 : log.offsetInPage(address, page);
        if (page != null && address >= log.readOnlyAddress()) {
            setFlags(page, record, TOMBSTONE);
        } else if (page == null || !isTombstone(header(page, record))) {
            // Below the mutable region records never change: a tombstone record says it.
            // Without memory for it the marker stays and compaction keeps the parts: the
            // collection is invisible anyway (no root points at it) and is dropped later.
            shard.appendTombstone(index, 0, RecordKind.PART_MARKER, hash, key);
        }
        shard.addLiveBytes(db, -partBytes);
    }

    /** True while collection {@code collection}'s marker is live (for compaction). */
    boolean live(long collection) {
        long address = locate(writerKey(collection, MARKER));
        if (address == LogicalAddress.NULL) {
            return false;
        }
        MemorySegment page = log.page(address);
        long record = log.offsetInPage(address, page);
        return markerCurrent(page, new Shape().parse(page, record, header(page, record)).valueOffset);
    }

    private boolean markerCurrent(MemorySegment page, long valueOffset) {
        int db = page.get(ValueLayout.JAVA_BYTE, valueOffset);
        return db >= 0 && db < flushGenerations.length && page.get(INT, valueOffset + 1) == flushGenerations[db];
    }

    /**
     * For compaction: true when the part record at {@code address} must be kept (it is its
     * key's newest version, and its collection lives).
     */
    boolean keeps(long address, MemorySegment page, long header, Shape s) {
        MemorySegment key = page.asSlice(s.keyOffset, s.keyLength);
        if (find(key) != address) {
            return false;
        }
        if (RecordLayout.kind(header) == RecordKind.PART_MARKER) {
            return markerCurrent(page, s.valueOffset);
        }
        return live(page.get(LONG, s.keyOffset));
    }

    /** Every marker of {@code db} dies: FLUSHDB. */
    void flushed(int db) {
        flushGenerations[db]++;
    }

    /** FLUSHALL: the log is dropped, and with it every part. */
    void clear() {
        long before = index.memoryBytes();
        index.clear();
        shard.budget().release(before - index.memoryBytes());
        shard.indexBytesChanged(index.memoryBytes() - before);
    }

    void close() {
        index.close();
    }

    // ---- checkpoints (under the shard's lock) ----

    HashIndex.Image indexImage() {
        return index.image();
    }

    long nextCollectionId() {
        return nextId;
    }

    int[] flushGenerations() {
        return flushGenerations.clone();
    }

    /** Takes over a restored parts index and counters; returns the change of index bytes. */
    long restore(HashIndex restored, long nextCollectionId, int[] generations) {
        if (generations.length != flushGenerations.length || nextCollectionId < 1) {
            throw new IllegalArgumentException("parts state of the checkpoint does not fit this store");
        }
        long delta = restored.memoryBytes() - index.memoryBytes();
        index.close();
        index = restored;
        nextId = nextCollectionId;
        System.arraycopy(generations, 0, flushGenerations, 0, generations.length);
        return delta;
    }

    // ---- the sequence lock of element moves ----

    /** The structure version a lock-free reader starts from (even: no move running). */
    public long structureVersion() {
        return structureVersion;
    }

    /** Starts moving elements between chunks. Lock held. */
    public void beginRestructure() {
        structureVersion = structureVersion + 1;
    }

    /** Ends a move started by {@link #beginRestructure()}. */
    public void endRestructure() {
        structureVersion = structureVersion + 1;
    }

    /** Bytes of the parts index. */
    public long indexBytes() {
        return index.memoryBytes();
    }

    /** Writes a marker's value: the database and its current flush generation. */
    private final class MarkerWriter implements ValueUpdater {
        private int db;

        MarkerWriter forDb(int value) {
            db = value;
            return this;
        }

        @Override
        public long prepare(MemorySegment current, long offset, long length, boolean exists) {
            return MARKER_VALUE;
        }

        @Override
        public void write(MemorySegment target, long targetOffset, long newLength, MemorySegment current, long offset, long length) {
            target.set(ValueLayout.JAVA_BYTE, targetOffset, (byte) db);
            target.set(INT, targetOffset + 1, flushGenerations[db]);
        }
    }
}
