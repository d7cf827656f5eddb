package io.ferrite.core.log;

import io.ferrite.core.api.ValueType;

/**
 * What a record holds, in the 4 bits of its header that name it: a key's value as a Redis type
 * in one of its encodings, or an internal part of a large collection. Keeping the encoding
 * here rather than in the value costs nothing per record and answers OBJECT ENCODING (and
 * WRONGTYPE) from the header alone.
 */
public final class RecordKind {
    /** A string that was only ever written whole (SET, INCR): int/embstr/raw by its content. */
    public static final int STRING = 1;
    /** A string edited in place (APPEND, SETRANGE, SETBIT, BITFIELD): Redis's "raw". */
    public static final int STRING_RAW = 2;
    /** A small hash: its fields and values in one packed value, in insertion order ("listpack"). */
    public static final int HASH_PACK = 3;
    /** A large hash: a table root whose elements live in chunk parts ("hashtable"). */
    public static final int HASH_TABLE = 4;
    /** A set of integers only, sorted, at a fixed width ("intset"). */
    public static final int SET_INTSET = 5;
    /** A small set of strings packed in one value (Redis 7.0 calls every string set "hashtable"). */
    public static final int SET_PACK = 6;
    /** A large set: a table root whose members live in chunk parts ("hashtable"). */
    public static final int SET_TABLE = 7;
    /**
     * A list, its elements packed in one value from head to tail. Interim: the lists of the
     * lists-and-sorted-sets issue replace it with chunked storage; Redis 7.0 calls every list
     * "quicklist".
     */
    public static final int LIST_PACK = 8;
    /**
     * A sorted set packed in one value, members with their 8-byte scores in score order.
     * Interim, like {@link #LIST_PACK}; OBJECT ENCODING answers by Redis's size thresholds.
     */
    public static final int ZSET_PACK = 9;
    /** A collection's liveness marker, in the parts index (not a key). */
    public static final int PART_MARKER = 14;
    /** A chunk of a table-encoded collection, in the parts index (not a key). */
    public static final int PART_CHUNK = 15;

    private static final ValueType[] TYPES = new ValueType[16];

    static {
        java.util.Arrays.fill(TYPES, ValueType.NONE);
        TYPES[STRING] = ValueType.STRING;
        TYPES[STRING_RAW] = ValueType.STRING;
        TYPES[HASH_PACK] = ValueType.HASH;
        TYPES[HASH_TABLE] = ValueType.HASH;
        TYPES[SET_INTSET] = ValueType.SET;
        TYPES[SET_PACK] = ValueType.SET;
        TYPES[SET_TABLE] = ValueType.SET;
        TYPES[LIST_PACK] = ValueType.LIST;
        TYPES[ZSET_PACK] = ValueType.ZSET;
    }

    private RecordKind() {}

    /** The Redis type of a key record of this kind (NONE for parts). */
    public static ValueType typeOf(int kind) {
        return TYPES[kind & 0xF];
    }

    /** True for records of the parts index (chunks and markers), which are not keys. */
    public static boolean isPart(int kind) {
        return kind == PART_CHUNK || kind == PART_MARKER;
    }

    /** True for a collection root whose elements live in chunks. */
    public static boolean isTable(int kind) {
        return kind == HASH_TABLE || kind == SET_TABLE;
    }
}
