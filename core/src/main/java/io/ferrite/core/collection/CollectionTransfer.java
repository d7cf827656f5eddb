package io.ferrite.core.collection;

import io.ferrite.core.EncodingLimits;
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
 * A key's whole value out and in, for DUMP, RESTORE and DEBUG RELOAD: {@link #export} hands
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
        if (root.type() == ValueType.STRING) {
            visitor.string(root.page, root.valueOffset, root.valueLength);
            return Status.OK;
        }
        int width = root.kind == RecordKind.SET_INTSET ? IntSet.width(root.page, root.valueOffset) : 0;
        visitor.collection(root.type(), CollectionKeys.encodingName(root.kind, root.page, root.valueOffset, root.valueLength),
                Elements.size(root), width);
        boolean pairs = root.type() == ValueType.HASH;
        boolean zset = root.type() == ValueType.ZSET;
        Elements.forEach(w, k, root, (page, a, al, b, bl) -> {
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
        return Status.OK;
    }

    /**
     * Re-encodes the key's value as Redis's RDB load would (DEBUG RELOAD): a hash becomes a
     * listpack again when it fits the limits, a set of integers within the intset limit an
     * intset of the smallest width, an edited string loses Redis's "raw". Nothing changes when
     * the value is already so encoded.
     */
    public static Status reencode(Workspace w, KeyContext k, EncodingLimits limits) {
        RecordView root = w.root(k);
        if (!root.exists()) {
            return Status.OK;
        }
        if (root.kind == RecordKind.STRING_RAW) {
            return k.shard().writeCopy(root.page, root.valueOffset, root.valueLength, RecordKind.STRING, root.address,
                    k.db(), k.key(), k.hash(), root.expireAt, k.db(), k.now());
        }
        if (root.type() != ValueType.HASH && root.type() != ValueType.SET) {
            return Status.OK;
        }
        long count = Elements.size(root);
        boolean[] shortest = {true, true};
        LongParse number = new LongParse();
        Elements.forEach(w, k, root, (page, a, al, b, bl) -> {
            shortest[0] &= al <= limits.hashMaxListpackValue() && bl <= limits.hashMaxListpackValue();
            shortest[1] &= RedisNumbers.tryParseLong(page, a, al, number);
        });
        CollectionImage.Encoding target;
        int width = 0;
        if (root.type() == ValueType.HASH) {
            boolean fits = count <= limits.hashMaxListpackEntries() && (shortest[0] || root.kind == RecordKind.HASH_PACK);
            target = fits ? CollectionImage.Encoding.PACKED : CollectionImage.Encoding.TABLE;
            if ((target == CollectionImage.Encoding.PACKED) == (root.kind == RecordKind.HASH_PACK)) {
                return Status.OK;
            }
        } else {
            boolean intset = shortest[1] && count <= limits.intsetLimit();
            if (intset == (root.kind == RecordKind.SET_INTSET)) {
                return Status.OK;
            }
            target = intset ? CollectionImage.Encoding.PACKED : CollectionImage.Encoding.TABLE;
            width = intset ? 2 : 0;
        }
        return write(w, k, imageOf(w, k, root, target, width), root.expireAt);
    }

    /** The elements of the value at {@code root}, copied into an image of the given encoding. */
    private static CollectionImage imageOf(Workspace w, KeyContext k, RecordView root, CollectionImage.Encoding encoding, int width) {
        ElementList elements = new ElementList();
        boolean hash = root.type() == ValueType.HASH;
        Elements.forEach(w, k, root, (page, a, al, b, bl) -> {
            elements.add(page, a, al);
            if (hash) {
                elements.add(page, b, bl);
            }
        });
        int n = elements.size();
        int[] starts = new int[n];
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            starts[i] = (int) elements.offset(i);
            ends[i] = (int) (elements.offset(i) + elements.length(i));
        }
        byte[] data = elements.segment().asSlice(0, n == 0 ? 0 : ends[n - 1]).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return new CollectionImage(root.type(), encoding, width, data, starts, ends, n);
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
