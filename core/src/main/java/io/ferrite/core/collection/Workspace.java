package io.ferrite.core.collection;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.ExpireMode;
import io.ferrite.core.api.Status;
import io.ferrite.core.engine.KeyContext;
import io.ferrite.core.shard.RecordView;
import io.ferrite.core.shard.PartStore;
import io.ferrite.core.shard.Shard;
import java.lang.foreign.MemorySegment;

/**
 * What a collection command works with on one shard while it holds the shard's lock: a view
 * of the key's root, a scratch buffer for small values and chunks, the shard's chunked table,
 * and the steps every family shares (find the root, write a small value, write a table root,
 * delete an emptied collection). One per shard, reused, so a command allocates nothing on the
 * common paths.
 */
public final class Workspace {
    final Shard shard;
    final RecordView view = new RecordView();
    final PackBuffer buffer = new PackBuffer();
    final PackBuffer spare = new PackBuffer();
    final ChunkedTable table;
    /** Elements a command picked and acts on after reading them (SREM's members, SPOP's victims). */
    final ElementList victims = new ElementList();
    final SetBuilder builder = new SetBuilder();
    private final WholeValue whole = new WholeValue();
    /** Text of a number being written into a collection (HINCRBY results, intset members). */
    final byte[] number = new byte[io.ferrite.core.strings.RedisNumbers.MAX_LONG_DOUBLE_CHARS + 8];
    final MemorySegment numberSegment = MemorySegment.ofArray(number);

    public Workspace(Shard shard) {
        this(shard, shard.parts());
    }

    /** A workspace that reads collections' parts from {@code parts} (a frozen shard's, to export what a checkpoint froze). */
    public Workspace(Shard shard, PartStore parts) {
        this.shard = shard;
        this.table = new ChunkedTable(shard, parts);
    }

    /** The key's live root for a write (an expired one is deleted first); see {@link RecordView#exists()}. */
    RecordView root(KeyContext k) {
        return view.at(shard.log(), k.locateForWrite());
    }

    /** The key's live root for a read under the lock (an expired one reads as missing). */
    RecordView rootForRead(KeyContext k) {
        return view.at(shard.log(), k.locate());
    }

    /** Writes the buffer as the key's whole value, of record kind {@code kind}. */
    Status writeValue(KeyContext k, int kind, PackBuffer value, boolean headroom, ChangeKind event) {
        return k.upsert(kind, false, whole.of(value, headroom), ExpireMode.KEEP, 0, event);
    }

    /**
     * Writes the table's current root as the key's value, of record kind {@code kind}, unless the
     * stored root already holds it; {@code event} (when not null) is emitted either way.
     */
    Status writeRoot(KeyContext k, int kind, ChangeKind event) {
        if (!table.rootChanged()) {
            if (event != null) {
                k.emit(event);
            }
            return Status.OK;
        }
        MemorySegment root = table.rootValue();
        Status status = k.upsert(kind, false, whole.of(root, 0, root.byteSize(), false), ExpireMode.KEEP, 0, event);
        if (status == Status.OK) {
            table.rootWritten();
        }
        return status;
    }

    /** Deletes a collection that a command emptied: {@code event} (hdel, srem, spop), then Redis's {@code del}. */
    void deleteEmptied(KeyContext k, ChangeKind event) {
        k.emit(event);
        k.delete();
    }

    /** A new table for a second collection at once (set algebra over several keys). */
    ChunkedTable otherTable() {
        return new ChunkedTable(shard, shard.parts());
    }
}
