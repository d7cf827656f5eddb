package io.ferrite.core.collection;

import io.ferrite.core.api.Status;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.shard.RecordView;
import io.ferrite.core.shard.Shard;
import io.ferrite.core.shard.TableRoot;
import io.ferrite.core.strings.RedisNumbers;
import java.lang.foreign.MemorySegment;

/**
 * What the generic key commands do differently for a collection: a table-encoded value is a
 * root that owns parts, so COPY (and RENAME or MOVE into another shard) copies its chunks into
 * a new collection there, while RENAME and MOVE within the shard keep the collection and move
 * only the root. Also the names OBJECT ENCODING gives each record kind, as Redis 7.0 names them.
 */
public final class CollectionKeys {
    private CollectionKeys() {}

    /** True when a value of this kind owns parts (so copying the root alone would share them). */
    public static boolean ownsParts(int kind) {
        return RecordKind.isTable(kind);
    }

    /**
     * The read phase of a deep copy: reads every chunk of the table at {@code root} (in
     * {@code from}), so the copy that follows needs no disk read. Lock held.
     */
    public static void prepareCopy(CollectionSpace space, Shard from, int db, RecordView root) {
        table(space, from, db, root).touchAll();
    }

    /**
     * Copies the table at {@code root} (in {@code from}) into a new collection of {@code to} and
     * writes its root as {@code dstKey} in {@code dstDb} with {@code expireAt}, replacing what
     * the key held. Both shards locked; {@link #prepareCopy} ran first.
     */
    public static Status copy(CollectionSpace space, Shard from, int srcDb, RecordView root, Shard to, int dstDb,
                              MemorySegment dstKey, long dstHash, long expireAt, long now) {
        ChunkedTable source = table(space, from, srcDb, root);
        ChunkedTable copy = space.workspace(to).otherTable();
        Status status = source.copyTo(copy, dstDb);
        if (status == Status.OK) {
            MemorySegment value = copy.rootValue();
            status = to.writeCopy(value, 0, TableRoot.SIZE, root.kind, 0, dstDb, dstKey, dstHash, expireAt, -1, now);
        }
        if (status != Status.OK) {
            to.parts().release(dstDb, copy.collection, copy.partBytes);
        }
        return status;
    }

    /**
     * After MOVE within the shard of a table-encoded value: its collection now belongs to
     * {@code dstDb} (its marker and its counted bytes follow).
     */
    public static Status moved(Shard shard, RecordView root, int srcDb, int dstDb) {
        long collection = TableRoot.collectionId(root.page, root.valueOffset);
        shard.moveLiveBytes(srcDb, dstDb, TableRoot.partBytes(root.page, root.valueOffset));
        return shard.parts().moveMarker(collection, dstDb);
    }

    private static ChunkedTable table(CollectionSpace space, Shard shard, int db, RecordView root) {
        return space.workspace(shard).otherTable().load(db, Elements.arity(root.kind), root.page, root.valueOffset);
    }

    /** Redis 7.0's defaults of zset-max-listpack-entries and zset-max-listpack-value. */
    private static final int ZSET_LISTPACK_ENTRIES = 128;
    private static final int ZSET_LISTPACK_VALUE = 64;

    /** True when Redis 7.0 would keep this sorted set as a listpack (by its default limits). */
    private static boolean zsetFitsListpack(MemorySegment value, long offset, long length) {
        long end = offset + length;
        int n = 0;
        for (long at = offset; at < end; at = Pack.nextEntry(value, at, 2)) {
            if (++n > ZSET_LISTPACK_ENTRIES || Pack.length(value, at) > ZSET_LISTPACK_VALUE) {
                return false;
            }
        }
        return true;
    }

    /** OBJECT ENCODING of a value of {@code kind} whose bytes are {@code value[offset, +length)}. */
    public static String encodingName(int kind, MemorySegment value, long offset, long length) {
        return switch (kind) {
            case RecordKind.STRING -> length <= RedisNumbers.MAX_LONG_CHARS && RedisNumbers.isLong(value, offset, length)
                    ? "int" : length <= 44 ? "embstr" : "raw";
            case RecordKind.STRING_RAW -> "raw";
            case RecordKind.HASH_PACK -> "listpack";
            case RecordKind.SET_INTSET -> "intset";
            case RecordKind.HASH_TABLE, RecordKind.SET_PACK, RecordKind.SET_TABLE -> "hashtable";
            case RecordKind.LIST_PACK -> "quicklist";
            case RecordKind.ZSET_PACK -> zsetFitsListpack(value, offset, length) ? "listpack" : "skiplist";
            default -> "unknown";
        };
    }
}
