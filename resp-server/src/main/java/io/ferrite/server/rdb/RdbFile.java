package io.ferrite.server.rdb;

import io.ferrite.core.api.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a whole RDB file as redis-server 7.0 writes it (versions 1 to 10; version 11's
 * set listpack too): auxiliary fields, databases, expiries, and every key of every type the
 * engine has (strings, hashes, sets, lists, sorted sets, in each encoding Redis has used), each
 * handed to a {@link Visitor}. The checksum at the end is verified. Streams and modules are
 * a clear {@link RdbFormatException}, never skipped silently.
 */
public final class RdbFile {
    private static final int OPCODE_FUNCTION2 = 245;
    private static final int OPCODE_FUNCTION = 246;
    private static final int OPCODE_MODULE_AUX = 247;
    private static final int OPCODE_IDLE = 248;
    private static final int OPCODE_FREQ = 249;
    private static final int OPCODE_AUX = 250;
    private static final int OPCODE_RESIZEDB = 251;
    private static final int OPCODE_EXPIRETIME_MS = 252;
    private static final int OPCODE_EXPIRETIME = 253;
    private static final int OPCODE_SELECTDB = 254;
    private static final int OPCODE_EOF = 255;

    /** Receives the file's keys in file order; element lists are valid during the call only. */
    public interface Visitor {
        void string(int db, byte[] key, byte[] value, long expireAt) throws Exception;

        /**
         * A collection, read from an object of RDB type {@code rdbType}: for a hash, fields and
         * values alternate; for a sorted set, members and scores (as text) alternate; otherwise
         * members in order.
         */
        void collection(int db, byte[] key, ValueType type, int rdbType, List<byte[]> elements, long expireAt) throws Exception;

        /** Called now and then with the bytes read so far (for a progress display). */
        default void progress(long read, long total) { }
    }

    private RdbFile() {}

    /** Reads {@code data} (a whole RDB file); returns the number of keys read. */
    public static long read(byte[] data, Visitor visitor) throws Exception {
        if (data.length < 9 || !new String(data, 0, 5, StandardCharsets.US_ASCII).equals("REDIS")) {
            throw new RdbFormatException("not an RDB file (no REDIS signature)");
        }
        int version;
        try {
            version = Integer.parseInt(new String(data, 5, 4, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new RdbFormatException("not an RDB file (bad version)");
        }
        if (version < 1 || version > 11) {
            throw new RdbFormatException("RDB version " + version + " is not supported (1 to 11 are)");
        }
        RdbReader in = new RdbReader(data);
        in.skip(9);
        int db = 0;
        long expireAt = 0;
        long keys = 0;
        while (true) {
            int type = in.readByte();
            switch (type) {
                case OPCODE_EOF -> {
                    verifyChecksum(data, in, version);
                    return keys;
                }
                case OPCODE_SELECTDB -> db = (int) in.readLength();
                case OPCODE_RESIZEDB -> {
                    in.readLength();
                    in.readLength();
                }
                case OPCODE_AUX -> {
                    RdbStringCodec.read(in);
                    RdbStringCodec.read(in);
                }
                case OPCODE_EXPIRETIME_MS -> expireAt = in.readLittleEndian(8);
                case OPCODE_EXPIRETIME -> expireAt = in.readLittleEndian(4) * 1000;
                case OPCODE_FREQ -> in.readByte();
                case OPCODE_IDLE -> in.readLength();
                case OPCODE_MODULE_AUX -> throw new RdbFormatException("module data is not supported");
                case OPCODE_FUNCTION, OPCODE_FUNCTION2 -> throw new RdbFormatException("functions are not supported yet");
                default -> {
                    byte[] key = RdbStringCodec.read(in);
                    value(type, db, key, expireAt, in, visitor);
                    expireAt = 0;
                    keys++;
                    if ((keys & 0x3fff) == 0) {
                        visitor.progress(in.position(), data.length);
                    }
                }
            }
        }
    }

    /**
     * The auxiliary fields at the head of the RDB file {@code file} (they precede every key),
     * read from its first 64 KiB; empty when it is not an RDB file.
     */
    public static java.util.Map<String, String> auxFields(java.nio.file.Path file) throws java.io.IOException {
        byte[] head;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            head = in.readNBytes(64 << 10);
        }
        java.util.Map<String, String> aux = new java.util.LinkedHashMap<>();
        if (head.length < 9 || !new String(head, 0, 5, StandardCharsets.US_ASCII).equals("REDIS")) {
            return aux;
        }
        RdbReader in = new RdbReader(head);
        try {
            in.skip(9);
            while (in.readByte() == OPCODE_AUX) {
                String name = new String(RdbStringCodec.read(in), StandardCharsets.UTF_8);
                aux.put(name, new String(RdbStringCodec.read(in), StandardCharsets.UTF_8));
            }
        } catch (RdbFormatException | RuntimeException e) {
            // the fields run past what was read: the ones before are all there is to know
        }
        return aux;
    }

    private static void verifyChecksum(byte[] data, RdbReader in, int version) throws RdbFormatException {
        if (version < 5) {
            return;
        }
        int end = in.position();
        long expected = in.readLittleEndian(8);
        if (expected != 0 && Crc64.of(data, 0, end) != expected) {
            throw new RdbFormatException("wrong RDB checksum: the file is corrupt");
        }
    }

    private static void value(int type, int db, byte[] key, long expireAt, RdbReader in, Visitor visitor) throws Exception {
        List<byte[]> elements = new ArrayList<>();
        ValueType kind;
        switch (type) {
            case 0 -> {
                visitor.string(db, key, RdbStringCodec.read(in), expireAt);
                return;
            }
            case 1, 2 -> { // a list, a set: count, then strings
                kind = type == 1 ? ValueType.LIST : ValueType.SET;
                long n = in.readLength();
                for (long i = 0; i < n; i++) {
                    elements.add(RdbStringCodec.read(in));
                }
            }
            case 3, 5 -> { // sorted set: member, then a score as text (3) or a binary double (5)
                kind = ValueType.ZSET;
                long n = in.readLength();
                for (long i = 0; i < n; i++) {
                    elements.add(RdbStringCodec.read(in));
                    elements.add(type == 5 ? score(Double.longBitsToDouble(in.readLittleEndian(8))) : textScore(in));
                }
            }
            case 4 -> {
                kind = ValueType.HASH;
                long n = in.readLength();
                for (long i = 0; i < n; i++) {
                    elements.add(RdbStringCodec.read(in));
                    elements.add(RdbStringCodec.read(in));
                }
            }
            case 9 -> kind = decoded(ValueType.HASH, in, elements, Zipmap::decode);
            case 10 -> kind = decoded(ValueType.LIST, in, elements, Ziplist::decode);
            case 11 -> kind = decoded(ValueType.SET, in, elements, (blob, out) -> RdbIntset.decode(blob, out));
            case 12 -> kind = decoded(ValueType.ZSET, in, elements, Ziplist::decode);
            case 13 -> kind = decoded(ValueType.HASH, in, elements, Ziplist::decode);
            case 14 -> { // quicklist: ziplist nodes
                kind = ValueType.LIST;
                long nodes = in.readLength();
                for (long i = 0; i < nodes; i++) {
                    decoded(kind, in, elements, Ziplist::decode);
                }
            }
            case 16 -> kind = decoded(ValueType.HASH, in, elements, Listpack::decode);
            case 17 -> kind = decoded(ValueType.ZSET, in, elements, Listpack::decode);
            case 18 -> { // quicklist 2: nodes of a plain element (1) or a listpack (2)
                kind = ValueType.LIST;
                long nodes = in.readLength();
                for (long i = 0; i < nodes; i++) {
                    long container = in.readLength();
                    if (container == 1) {
                        elements.add(RdbStringCodec.read(in));
                    } else {
                        decoded(kind, in, elements, Listpack::decode);
                    }
                }
            }
            case 20 -> kind = decoded(ValueType.SET, in, elements, Listpack::decode);
            case 15, 19, 21 -> throw new RdbFormatException("key '" + new String(key, StandardCharsets.UTF_8)
                    + "' is a stream, which Ferrite does not support yet");
            case 6, 7 -> throw new RdbFormatException("key '" + new String(key, StandardCharsets.UTF_8)
                    + "' holds module data, which Ferrite does not support");
            default -> throw new RdbFormatException("unknown RDB object type " + type);
        }
        if (elements.isEmpty()) {
            throw new RdbFormatException("empty " + kind.redisName() + " at key '" + new String(key, StandardCharsets.UTF_8) + "'");
        }
        visitor.collection(db, key, kind, type, elements, expireAt);
    }

    /** A blob encoding (listpack, ziplist, zipmap, intset) decoded into {@code elements}. */
    private interface BlobDecoder {
        void decode(byte[] blob, RdbCollections.Elements out) throws RdbFormatException;
    }

    private static ValueType decoded(ValueType kind, RdbReader in, List<byte[]> elements, BlobDecoder decoder) throws RdbFormatException {
        byte[] blob = RdbStringCodec.read(in);
        RdbCollections.Elements out = new RdbCollections.Elements(blob.length);
        decoder.decode(blob, out);
        for (int i = 0; i < out.count(); i++) {
            elements.add(out.element(i));
        }
        return kind;
    }

    /** Type 3's score: a length byte then the text (253: nan, 254: +inf, 255: -inf). */
    private static byte[] textScore(RdbReader in) throws RdbFormatException {
        int length = in.readByte();
        return switch (length) {
            case 253 -> throw new RdbFormatException("a NaN score");
            case 254 -> "inf".getBytes(StandardCharsets.US_ASCII);
            case 255 -> "-inf".getBytes(StandardCharsets.US_ASCII);
            default -> in.readBytes(length);
        };
    }

    /**
     * A sorted-set score given as text back to its double: what {@link Visitor#collection}
     * hands out, and what the engine exports ("%.17g", "inf", "-inf").
     */
    public static double parseScore(byte[] text) throws RdbFormatException {
        String s = new String(text, StandardCharsets.US_ASCII);
        try {
            return switch (s) {
                case "inf", "+inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(s);
            };
        } catch (NumberFormatException e) {
            throw new RdbFormatException("a sorted-set score that is not a number: " + s);
        }
    }

    /** A double as text that ZADD reads back to the same value. */
    private static byte[] score(double value) throws RdbFormatException {
        if (Double.isNaN(value)) {
            throw new RdbFormatException("a NaN score");
        }
        String text = Double.isInfinite(value) ? (value > 0 ? "inf" : "-inf") : Double.toString(value);
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
