package io.ferrite.server.rdb;

import io.ferrite.core.api.ValueExport;
import io.ferrite.core.api.ValueType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Turns a value the engine exports into the RDB object Redis 7.0 would save for it: a string
 * (type 0), a hash (16, its listpack, or 4), a set (11, its intset, or 2), a list (1, its
 * elements as strings) or a sorted set (5, member and binary score). {@link #object} is what an
 * RDB file holds after the key; {@link #payload} is DUMP's payload (strings, hashes and sets).
 * One writer per value.
 */
public final class RdbObjectWriter implements ValueExport {
    private static final int TYPE_LIST = 1;
    private static final int TYPE_ZSET_2 = 5;

    private ValueType type;
    private byte[] string;
    private RdbCollections.HashDump hash;
    private RdbCollections.SetDump set;
    private RdbWriter sequence; // a list or a sorted set, written as its elements come

    /** The exported value's type; null before the export. */
    public ValueType type() {
        return type;
    }

    @Override
    public void string(MemorySegment source, long offset, long length) {
        type = ValueType.STRING;
        string = copy(source, offset, length);
    }

    @Override
    public void collection(ValueType type, String encoding, long count, int intsetWidth) {
        this.type = type;
        switch (type) {
            case HASH -> hash = RdbCollections.hash(encoding.equals("listpack"), count);
            case SET -> set = RdbCollections.set(encoding.equals("intset"), intsetWidth, count);
            case LIST -> sequence = new RdbWriter(256).writeByte(TYPE_LIST).writeLength(count);
            case ZSET -> sequence = new RdbWriter(256).writeByte(TYPE_ZSET_2).writeLength(count);
            default -> throw new IllegalArgumentException("no RDB object for a " + type);
        }
    }

    @Override
    public void member(MemorySegment source, long offset, long length) {
        if (set != null) {
            set.member(source, offset, length);
        } else {
            RdbStringCodec.write(sequence, copy(source, offset, length));
        }
    }

    @Override
    public void entry(MemorySegment field, long fieldOffset, long fieldLength, MemorySegment value, long valueOffset,
                      long valueLength) {
        if (hash != null) {
            hash.entry(field, fieldOffset, fieldLength, value, valueOffset, valueLength);
        } else {
            RdbStringCodec.write(sequence, copy(field, fieldOffset, fieldLength));
            sequence.writeLittleEndian(Double.doubleToRawLongBits(score(copy(value, valueOffset, valueLength))), 8);
        }
    }

    /** The RDB object: its type byte, then the value. */
    public byte[] object() {
        return switch (type) {
            case STRING -> {
                RdbWriter out = new RdbWriter(string.length + 8);
                out.writeByte(DumpPayload.TYPE_STRING);
                RdbStringCodec.write(out, string);
                yield out.toByteArray();
            }
            case HASH -> hash.object();
            case SET -> set.object();
            default -> sequence.toByteArray();
        };
    }

    /** DUMP's payload of a string, hash or set. */
    public byte[] payload() {
        return switch (type) {
            case STRING -> DumpPayload.ofString(string);
            case HASH -> hash.finish();
            case SET -> set.finish();
            default -> throw new IllegalStateException("no DUMP payload for a " + type);
        };
    }

    /** A score as the engine prints it ("%.17g", "inf", "-inf"). */
    private static double score(byte[] text) {
        try {
            return RdbFile.parseScore(text);
        } catch (RdbFormatException e) {
            throw new IllegalStateException("the engine exported " + e.getMessage(), e);
        }
    }

    private static byte[] copy(MemorySegment source, long offset, long length) {
        return source.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }
}
