package io.ferrite.core.collection;

import io.ferrite.core.api.CollectionImage;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueExport;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.engine.KeyContext;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.shard.RecordView;
import io.ferrite.core.strings.LongParse;
import io.ferrite.core.strings.RedisNumbers;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A key's whole value out and in, for DUMP, RESTORE, snapshots and their load: {@link #export} hands
 * it over in storage order with its encoding, {@link #write} stores a decoded collection in the
 * encoding asked for. Both run under the key's shard lock.
 */
public final class CollectionTransfer {
    private CollectionTransfer() {}

    /** Hands the key's value to {@code visitor}; NOT_FOUND for a missing key. */
    public static Status export(Workspace w, KeyContext k, ValueExport visitor) {
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.NOT_FOUND;
        }
        export(w, k.db(), root, visitor);
        return Status.OK;
    }

    /**
     * Hands the value whose root record is {@code root} (in database {@code db}) to
     * {@code visitor}, its parts read through {@code w}: also a root a checkpoint froze, read
     * with a frozen shard's workspace.
     */
    public static void export(Workspace w, int db, RecordView root, ValueExport visitor) {
        if (root.type() == ValueType.STRING) {
            visitor.string(root.page, root.valueOffset, root.valueLength);
            return;
        }
        int width = root.kind == RecordKind.SET_INTSET ? IntSet.width(root.page, root.valueOffset) : 0;
        visitor.collection(root.type(), CollectionKeys.encodingName(root.kind, root.page, root.valueOffset, root.valueLength),
                Elements.size(root), width);
        boolean pairs = root.type() == ValueType.HASH;
        boolean zset = root.type() == ValueType.ZSET;
        Elements.forEach(w, db, root, (page, a, al, b, bl) -> {
            if (zset) {
                // a sorted set's score goes out as the text Redis 7.0 prints for it ("%.17g")
                int length = RedisNumbers.formatDouble17g(page.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, b), w.number, 0);
                visitor.entry(page, a, al, w.numberSegment, 0, length);
            } else if (pairs) {
                visitor.entry(page, a, al, page, b, bl);
            } else {
                visitor.member(page, a, al);
            }
        });
    }

    /**
     * Writes {@code image} as the key's value with {@code expireAt} (0: none), replacing what
     * it held. A set asked to be a table is kept packed while it is small: Redis 7.0 calls both
     * "hashtable".
     */
    public static Status write(Workspace w, KeyContext k, CollectionImage image, long expireAt) {
        boolean hash = image.type() == ValueType.HASH;
        int arity = hash ? 2 : 1;
        MemorySegment data = MemorySegment.ofArray(image.data());
        PackBuffer value = w.buffer;
        int kind;
        if (!hash && image.encoding() == CollectionImage.Encoding.PACKED && image.intsetWidth() > 0) {
            kind = RecordKind.SET_INTSET;
            SetValues.emptyIntset(value);
            value.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) image.intsetWidth());
            LongParse number = new LongParse();
            for (int i = 0; i < image.count(); i++) {
                if (!RedisNumbers.tryParseLong(data, image.starts()[i], image.ends()[i] - image.starts()[i], number)) {
                    throw new IllegalArgumentException("an intset image holds a member that is not an integer");
                }
                SetValues.intsetAdd(value, number.value);
            }
        } else {
            value.clear();
            boolean small = image.count() <= SetValues.PACK_MAX_ENTRIES;
            for (int i = 0; i < image.count(); i++) {
                int length = image.ends()[i] - image.starts()[i];
                small &= length <= SetValues.PACK_MAX_LENGTH;
                value.append(data, image.starts()[i], length);
            }
            boolean packed = image.encoding() == CollectionImage.Encoding.PACKED || (!hash && small);
            kind = hash ? (packed ? RecordKind.HASH_PACK : RecordKind.HASH_TABLE) : (packed ? RecordKind.SET_PACK : RecordKind.SET_TABLE);
            if (!packed) {
                ChunkedTable table = w.table;
                Status status = table.create(k.db(), arity, ChunkedTable.chunksFor(value.length()));
                if (status == Status.OK) {
                    status = table.fill(value.segment(), 0, value.length());
                }
                if (status == Status.OK) {
                    MemorySegment root = table.rootValue();
                    status = k.shard().writeCopy(root, 0, root.byteSize(), kind, 0, k.db(), k.key(), k.hash(), expireAt, -1, k.now());
                }
                if (status != Status.OK) {
                    k.shard().parts().release(k.db(), table.collection, table.partBytes);
                }
                return status;
            }
        }
        return k.shard().writeCopy(value.segment(), 0, value.length(), kind, 0, k.db(), k.key(), k.hash(), expireAt, -1, k.now());
    }
}
