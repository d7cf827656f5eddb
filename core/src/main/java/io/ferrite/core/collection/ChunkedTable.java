package io.ferrite.core.collection;

import io.ferrite.core.api.Status;
import io.ferrite.core.index.KeyHash;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.shard.PartStore;
import io.ferrite.core.shard.Shard;
import io.ferrite.core.shard.TableRoot;
import java.lang.foreign.MemorySegment;
import java.util.random.RandomGenerator;

/**
 * One table-encoded collection of a shard, as a writer holding the shard's lock works on it:
 * its elements (one string for a set member, two for a hash entry) spread over chunk records
 * by linear hashing ({@link Chunks}), each chunk a {@link Pack} of about a kilobyte. An update
 * rewrites its element's chunk and the root, whatever the collection's size and whichever tier
 * its chunks are in; growth splits one chunk now and then.
 *
 * <p>Load the collection's state from its root ({@link #load}) or make a new one
 * ({@link #create}), work on it, then write {@link #rootValue} back as the root. Reading a cold
 * chunk may throw {@link io.ferrite.core.api.DiskReadPending}: a command first reads (or
 * {@link #touch}es) every chunk it will change, then changes them, so a retry never finds half
 * of its work done. One instance per shard, reused.
 */
final class ChunkedTable {
    /** Allocated part bytes per chunk, on average, above which a chunk is split. */
    static final long TARGET_CHUNK_BYTES = 1024;
    private static final int MAX_CHUNKS = 1 << 30;

    /** Writes a table's root value (the caller knows the key); used by a split. */
    @FunctionalInterface
    interface RootWriter {
        Status write(MemorySegment root);
    }

    /** Receives the strings of one element: {@code second} is unused (0, 0) for a set member. */
    @FunctionalInterface
    interface ElementVisitor {
        void element(MemorySegment page, long first, long firstLength, long second, long secondLength);
    }

    private final Shard shard;
    private final PartStore parts;
    private final PackBuffer buffer = new PackBuffer();
    private final PackBuffer moved = new PackBuffer();
    private final WholeValue whole = new WholeValue();
    private final ChunkEdit edit = new ChunkEdit();
    private final MemorySegment root = MemorySegment.ofArray(new byte[TableRoot.SIZE]);

    private int db;
    private int arity;
    long collection;
    long count;
    int chunks;
    long partBytes;
    /** The state the stored root records; see {@link #rootChanged()}. */
    private long writtenCount;
    private long writtenChunks;
    private long writtenPartBytes;

    ChunkedTable(Shard shard, PartStore parts) {
        this.shard = shard;
        this.parts = parts;
    }

    // ---- state ----

    /** Takes the state of the collection whose root value is at {@code value[offset]}. */
    ChunkedTable load(int database, int elementArity, MemorySegment value, long offset) {
        db = database;
        arity = elementArity;
        collection = TableRoot.collectionId(value, offset);
        count = TableRoot.count(value, offset);
        chunks = TableRoot.chunks(value, offset);
        partBytes = TableRoot.partBytes(value, offset);
        rootWritten();
        return this;
    }

    /** Starts a new, empty collection of {@code initialChunks} chunks in database {@code database}. */
    Status create(int database, int elementArity, int initialChunks) {
        db = database;
        arity = elementArity;
        collection = parts.newCollectionId();
        count = 0;
        chunks = Math.max(1, initialChunks);
        partBytes = 0;
        writtenChunks = -1; // a new table's root is always written
        Status status = parts.createMarker(collection, db);
        partBytes += parts.lastDelta();
        return status;
    }

    /** Records that the root as of now is the one stored (loaded or just written). */
    void rootWritten() {
        writtenCount = count;
        writtenChunks = chunks;
        writtenPartBytes = partBytes;
    }

    /**
     * False when the stored root already says what {@link #rootValue()} would: an update of an
     * element in place changes no count and no size, and rewriting the root would cost a record.
     */
    boolean rootChanged() {
        return count != writtenCount || chunks != writtenChunks || partBytes != writtenPartBytes;
    }

    /** The root value for the current state (valid until the next call). */
    MemorySegment rootValue() {
        TableRoot.write(root, 0, collection, count, chunks, partBytes);
        return root;
    }

    /** Chunks to start a table with when {@code bytes} of packed elements go into it at once. */
    static int chunksFor(long bytes) {
        return (int) Math.clamp((bytes + TARGET_CHUNK_BYTES / 2) / (TARGET_CHUNK_BYTES * 3 / 4), 1, 1 << 20);
    }

    // ---- chunks ----

    private MemorySegment chunkKey(int chunk) {
        return parts.writerKey(collection, chunk);
    }

    private static long hashOf(MemorySegment page, long at) {
        return KeyHash.hash(page, Pack.data(page, at), Pack.length(page, at));
    }

    private int chunkOf(MemorySegment e, long offset, long length) {
        return Chunks.of(KeyHash.hash(e, offset, length), chunks);
    }

    /**
     * Reads the chunk that holds (or would hold) element {@code e}: the read phase of a write of
     * several elements. A write of one element needs none: its edit reads the chunk before it
     * changes anything, so a disk read there still finds the command's work undone.
     */
    void touch(MemorySegment e, long offset, long length) {
        parts.locate(chunkKey(chunkOf(e, offset, length)));
    }

    /** Reads every chunk (a command that will rewrite or move them all). */
    void touchAll() {
        for (int c = 0; c < chunks; c++) {
            parts.locate(chunkKey(c));
        }
    }

    /** Loads chunk {@code c} into {@code into} (empty when the chunk was never written). */
    private void loadChunk(int c, PackBuffer into) {
        into.clear();
        parts.read(chunkKey(c), (page, offset, length) -> into.load(page, offset, length));
    }

    /** Writes {@code from} as chunk {@code c}, counting the change of its bytes. */
    private Status storeChunk(int c, PackBuffer from) {
        Status status = parts.write(db, chunkKey(c), RecordKind.PART_CHUNK, whole.of(from, true));
        partBytes += parts.lastDelta();
        return status;
    }

    /** Writes {@code length} bytes of {@code src[offset]} as chunk {@code c} (a copy of another table's chunk). */
    private Status storeChunk(int c, MemorySegment src, long offset, long length) {
        Status status = parts.write(db, chunkKey(c), RecordKind.PART_CHUNK, whole.of(src, offset, length, false));
        partBytes += parts.lastDelta();
        return status;
    }

    // ---- element updates (write phase) ----

    /**
     * Sets field {@code f} to value {@code v} (a hash): 1 when the field is new, 0 when it was
     * replaced, or -1 when memory ran out.
     */
    int put(MemorySegment f, long fOffset, long fLength, MemorySegment v, long vOffset, long vLength) {
        if (edit(chunkOf(f, fOffset, fLength), edit.put(f, fOffset, fLength, v, vOffset, vLength)) != Status.OK) {
            return -1;
        }
        if (edit.found) {
            return 0;
        }
        count++;
        return 1;
    }

    /** Adds member {@code m} (a set): 1 when added, 0 when present, -1 when memory ran out. */
    int add(MemorySegment m, long offset, long length) {
        if (edit(chunkOf(m, offset, length), edit.add(m, offset, length)) != Status.OK) {
            return -1;
        }
        if (edit.found) {
            return 0;
        }
        count++;
        return 1;
    }

    /** Removes the element whose first string is {@code e}: 1 when removed, 0 when absent, -1 when memory ran out. */
    int remove(MemorySegment e, long offset, long length) {
        if (edit(chunkOf(e, offset, length), edit.remove(arity, e, offset, length)) != Status.OK) {
            return -1;
        }
        if (!edit.found) {
            return 0;
        }
        count--;
        return 1;
    }

    /** Applies one element's edit to chunk {@code c} on its record, counting the change of its bytes. */
    private Status edit(int c, ChunkEdit change) {
        Status status = parts.write(db, chunkKey(c), RecordKind.PART_CHUNK, change);
        partBytes += parts.lastDelta();
        return status;
    }

    // ---- reads (under the lock) ----

    /** Hands the second string (a hash's value) of the element whose first is {@code e} to the visitor; false when absent. */
    boolean find(MemorySegment e, long offset, long length, ElementVisitor visitor) {
        boolean[] found = {false};
        parts.read(chunkKey(chunkOf(e, offset, length)), (page, from, len) -> {
            long at = Pack.find(page, from, from + len, arity, e, offset, length);
            if (at >= 0) {
                found[0] = true;
                visit(page, at, visitor);
            }
        });
        return found[0];
    }

    private void visit(MemorySegment page, long at, ElementVisitor visitor) {
        long first = Pack.data(page, at);
        long firstLength = Pack.length(page, at);
        if (arity == 2) {
            long v = Pack.next(page, at);
            visitor.element(page, first, firstLength, Pack.data(page, v), Pack.length(page, v));
        } else {
            visitor.element(page, first, firstLength, 0, 0);
        }
    }

    /** Visits every element, chunk by chunk. */
    void forEach(ElementVisitor visitor) {
        for (int c = 0; c < chunks; c++) {
            parts.read(chunkKey(c), (page, from, len) -> {
                for (long at = from; at < from + len; at = Pack.nextEntry(page, at, arity)) {
                    visit(page, at, visitor);
                }
            });
        }
    }

    /**
     * One HSCAN/SSCAN step: visits virtual chunks from {@code cursor} until about {@code count}
     * elements were visited (or {@code count * 10} chunks), returns the next cursor, 0 at the end.
     */
    long scan(long cursor, long count, ElementVisitor visitor) {
        long mask = Chunks.scanMask(chunks);
        long v = cursor & mask;
        long[] visited = {0};
        long steps = 0;
        do {
            long bucket = v;
            parts.read(chunkKey(Chunks.physical(bucket, chunks)), (page, from, len) -> {
                for (long at = from; at < from + len; at = Pack.nextEntry(page, at, arity)) {
                    if ((hashOf(page, at) & mask) == bucket) {
                        visited[0]++;
                        visit(page, at, visitor);
                    }
                }
            });
            v = Chunks.nextCursor(v, mask);
            steps++;
        } while (v != 0 && visited[0] < count && steps < Math.max(count, 1) * 10);
        return v;
    }

    /**
     * One element chosen uniformly at random: a random chunk, accepted in proportion to its
     * number of elements (chunks differ in size by up to twice under linear hashing), then a
     * random element of it. Returns its position ({@code chunk << 32 | index}) and visits it.
     * The table must not be empty.
     */
    long random(RandomGenerator random, ElementVisitor visitor) {
        long bound = Math.max(1, 2 * count / chunks + 2);
        for (int attempt = 0; ; attempt++) {
            int c = random.nextInt(chunks);
            long[] picked = {-1};
            int tries = attempt;
            parts.read(chunkKey(c), (page, from, len) -> {
                long n = Pack.count(page, from, from + len, arity);
                if (n == 0 || (n < bound && tries < 64 && random.nextLong(bound) >= n)) {
                    return;
                }
                long index = random.nextLong(n);
                visit(page, Pack.entryAt(page, from, arity, index), visitor);
                picked[0] = index;
            });
            if (picked[0] >= 0) {
                return ((long) c << 32) | picked[0];
            }
        }
    }

    /**
     * Visits the element at position {@code position} (as {@link #random} returned it); false
     * when there is none.
     */
    boolean at(long position, ElementVisitor visitor) {
        boolean[] found = {false};
        parts.read(chunkKey((int) (position >>> 32)), (page, from, len) -> {
            long at = from;
            for (long i = 0; i < (position & 0xFFFFFFFFL) && at < from + len; i++) {
                at = Pack.nextEntry(page, at, arity);
            }
            if (at < from + len) {
                found[0] = true;
                visit(page, at, visitor);
            }
        });
        return found[0];
    }

    // ---- growth ----

    /**
     * Splits one chunk when the table holds more than {@link #TARGET_CHUNK_BYTES} per chunk,
     * before a command changes anything (reading the chunk may throw DiskReadPending).
     * Readers that take no lock see the move as one step: it runs inside the parts' sequence
     * lock, and the root is rewritten (with one more chunk) before the old chunk loses the
     * elements that moved.
     */
    Status splitIfDue(RootWriter rootWriter) {
        if (partBytes <= (long) chunks * TARGET_CHUNK_BYTES || chunks >= MAX_CHUNKS) {
            return Status.OK;
        }
        int source = Chunks.splitSource(chunks);
        int target = chunks;
        long mask = Chunks.splitMask(chunks);
        loadChunk(source, buffer);
        moved.clear();
        MemorySegment s = buffer.segment();
        for (long at = 0; at < buffer.length(); ) {
            long end = Pack.nextEntry(s, at, arity);
            if ((hashOf(s, at) & mask) == target) {
                moved.appendRaw(s, at, end - at);
                buffer.remove(at, end);
            } else {
                at = end;
            }
        }
        parts.beginRestructure();
        try {
            Status status = storeChunk(target, moved);
            if (status != Status.OK) {
                return status;
            }
            chunks++;
            status = rootWriter.write(rootValue());
            if (status != Status.OK) {
                chunks--;
                return status;
            }
            return storeChunk(source, buffer);
        } finally {
            parts.endRestructure();
        }
    }

    // ---- building and copying ----

    /**
     * Fills this new table (just {@link #create}d) with the packed elements of
     * {@code src[from, end)}: one pass assigns each element its chunk, a counting sort groups
     * them, and each chunk is written once.
     */
    Status fill(MemorySegment src, long from, long end) {
        int n = (int) Pack.count(src, from, end, arity);
        long[] starts = new long[n];
        int[] chunkOf = new int[n];
        int[] perChunk = new int[chunks + 1];
        int i = 0;
        for (long at = from; at < end; at = Pack.nextEntry(src, at, arity), i++) {
            starts[i] = at;
            chunkOf[i] = Chunks.of(hashOf(src, at), chunks);
            perChunk[chunkOf[i] + 1]++;
        }
        for (int c = 0; c < chunks; c++) {
            perChunk[c + 1] += perChunk[c];
        }
        int[] order = new int[n];
        int[] next = perChunk.clone();
        for (int e = 0; e < n; e++) {
            order[next[chunkOf[e]]++] = e;
        }
        for (int c = 0; c < chunks; c++) {
            if (perChunk[c] == perChunk[c + 1]) {
                continue;
            }
            buffer.clear();
            for (int k = perChunk[c]; k < perChunk[c + 1]; k++) {
                long at = starts[order[k]];
                buffer.appendRaw(src, at, Pack.nextEntry(src, at, arity) - at);
            }
            count += perChunk[c + 1] - perChunk[c];
            Status status = storeChunk(c, buffer);
            if (status != Status.OK) {
                return status;
            }
        }
        return Status.OK;
    }

    /**
     * Makes {@code into} (another shard's table, or this shard's for COPY) a copy of this one:
     * a new collection with the same chunks. Every chunk of this table must have been read
     * ({@link #touchAll}) before.
     */
    Status copyTo(ChunkedTable into, int intoDb) {
        Status status = into.create(intoDb, arity, chunks);
        for (int c = 0; c < chunks && status == Status.OK; c++) {
            int chunk = c;
            Status[] copied = {Status.OK};
            parts.read(chunkKey(chunk), (page, from, len) -> copied[0] = into.storeChunk(chunk, page, from, len));
            status = copied[0];
        }
        into.count = count;
        return status;
    }

    int arity() {
        return arity;
    }
}
