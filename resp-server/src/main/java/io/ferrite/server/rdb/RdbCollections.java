package io.ferrite.server.rdb;

import io.ferrite.core.api.CollectionImage;
import io.ferrite.core.api.CollectionImage.Encoding;
import io.ferrite.core.api.ValueType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * DUMP and RESTORE payloads of hashes and sets, byte for byte as Redis 7.0 writes and reads
 * them. {@link #hash} and {@link #set} stream a key's elements into the payload DUMP answers
 * (types 16 and 4 for hashes, 11 and 2 for sets, chosen by the caller from the key's
 * encoding); {@link #decode} turns a verified RESTORE payload of any hash or set type Redis
 * 7.0 loads (2, 4, 9, 11, 13, 16) into a {@link CollectionImage}, with the encoding Redis
 * would give it, after validating it as deeply as Redis does with sanitize-dump-payload on.
 * Strings stay with {@link DumpPayload}; {@link #type} tells the two apart.
 */
public final class RdbCollections {
    public static final int TYPE_SET = 2;
    public static final int TYPE_HASH = 4;
    public static final int TYPE_HASH_ZIPMAP = 9;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_HASH_ZIPLIST = 13;
    public static final int TYPE_HASH_LISTPACK = 16;

    /** Redis 7.0's defaults, which Ferrite keeps fixed (it ignores these directives). */
    public static final long HASH_MAX_LISTPACK_ENTRIES = 512;
    public static final long HASH_MAX_LISTPACK_VALUE = 64;
    public static final long SET_MAX_INTSET_ENTRIES = 512;

    private RdbCollections() {}

    /**
     * The RDB object type of a payload (its first byte): {@link DumpPayload#TYPE_STRING} for a
     * string, one of the {@code TYPE_*} constants here for a hash or set, anything else for a
     * type {@link #decode} refuses; -1 for an empty array.
     */
    public static int type(byte[] payload) {
        return payload.length == 0 ? -1 : payload[0] & 0xFF;
    }

    /**
     * Starts the DUMP payload of a hash of {@code pairs} pairs: type 16 (its listpack, in the
     * order the entries come) when {@code listpack}, else type 4 (every field and value as an
     * RDB string, in the order they come).
     */
    public static HashDump hash(boolean listpack, long pairs) {
        return new HashDump(listpack, pairs);
    }

    /**
     * Starts the DUMP payload of a set of {@code members} members: type 11 when {@code intset}
     * (members are canonical integers; {@code intsetWidth} is the intset's width, 2, 4 or 8),
     * else type 2 (every member as an RDB string, in the order they come).
     */
    public static SetDump set(boolean intset, int intsetWidth, long members) {
        return new SetDump(intset, intsetWidth, members);
    }

    /**
     * Decodes the hash or set in a payload that {@link DumpPayload#verify} accepted, applying
     * Redis 7.0's RESTORE rules for the resulting encoding with the given limits (normally
     * the {@code *_MAX_*} constants; never negative):
     * <ul>
     *   <li>4: packed in payload order when pairs &le; entries and no field or value is longer
     *       than the value limit, else a table;</li>
     *   <li>16 and 13: packed unless pairs &gt; entries (long values stay packed, as in
     *       Redis); 9: also a table when a field or value is too long;</li>
     *   <li>11: packed with its own width unless count &gt; the intset limit;</li>
     *   <li>2: an intset of the narrowest width when every member is a canonical integer and
     *       count &le; the intset limit, else a table.</li>
     * </ul>
     * As in Redis, the object is read from the whole payload, footer included, and bytes
     * between the object and the footer are ignored.
     *
     * @throws RdbFormatException for anything Redis 7.0 with sanitize-dump-payload on rejects:
     *     another type (string, list, zset, stream, SET_LISTPACK 20), an empty collection, a
     *     duplicate field or member, an odd listpack, a wrong count, an unsorted intset, a
     *     corrupt blob, truncated data
     */
    public static CollectionImage decode(byte[] payload, long hashMaxListpackEntries, long hashMaxListpackValue,
                                         long setMaxIntsetEntries) throws RdbFormatException {
        RdbReader in = new RdbReader(payload);
        int type = in.readByte();
        return switch (type) {
            case TYPE_HASH -> hashTable(in, hashMaxListpackEntries, hashMaxListpackValue);
            case TYPE_HASH_LISTPACK -> {
                byte[] blob = RdbStringCodec.read(in);
                Elements elements = new Elements(blob.length);
                Listpack.decode(blob, elements);
                yield hash(elements, fewer(elements.count() / 2, hashMaxListpackEntries));
            }
            case TYPE_HASH_ZIPLIST -> {
                byte[] blob = RdbStringCodec.read(in);
                Elements elements = new Elements(blob.length);
                Ziplist.decode(blob, elements);
                yield hash(elements, fewer(elements.count() / 2, hashMaxListpackEntries));
            }
            case TYPE_HASH_ZIPMAP -> {
                byte[] blob = RdbStringCodec.read(in);
                Elements elements = new Elements(blob.length);
                Zipmap.decode(blob, elements);
                yield hash(elements, fewer(elements.count() / 2, hashMaxListpackEntries)
                        && elements.maxLength() <= hashMaxListpackValue);
            }
            case TYPE_SET -> setTable(in, setMaxIntsetEntries);
            case TYPE_SET_INTSET -> {
                byte[] blob = RdbStringCodec.read(in);
                Elements elements = new Elements(blob.length);
                int width = RdbIntset.decode(blob, elements);
                yield fewer(elements.count(), setMaxIntsetEntries)
                        ? elements.image(ValueType.SET, Encoding.PACKED, width)
                        : elements.image(ValueType.SET, Encoding.TABLE, 0);
            }
            default -> throw new RdbFormatException("unsupported RDB object type " + type);
        };
    }

    /**
     * The image loading an RDB file gives a hash or set read from an object of RDB type
     * {@code rdbType} (its elements as {@link RdbFile} hands them out), by the rules of
     * {@link #decode}: a hash from a listpack or ziplist stays packed unless it has too many
     * pairs; from any other type it is also a table when a field or value is too long; a set
     * is an intset when every member is a canonical integer and there are few enough.
     *
     * @throws RdbFormatException for an empty collection, a duplicate field or member, or a
     *     field without a value
     */
    public static CollectionImage image(ValueType type, int rdbType, java.util.List<byte[]> elements, long hashMaxListpackEntries,
                                        long hashMaxListpackValue, long setMaxIntsetEntries) throws RdbFormatException {
        Elements out = new Elements(64);
        for (byte[] element : elements) {
            out.add(element, 0, element.length);
        }
        if (type == ValueType.HASH) {
            boolean keepsLongValues = rdbType == TYPE_HASH_LISTPACK || rdbType == TYPE_HASH_ZIPLIST;
            return hash(out, fewer(out.count() / 2, hashMaxListpackEntries)
                    && (keepsLongValues || out.maxLength() <= hashMaxListpackValue));
        }
        if (type != ValueType.SET) {
            throw new IllegalArgumentException("an image is of a hash or a set, not " + type);
        }
        if (out.count() == 0) {
            throw new RdbFormatException("empty set");
        }
        if (out.hasDuplicate(1)) {
            throw new RdbFormatException("duplicate set member");
        }
        boolean intset = fewer(out.count(), setMaxIntsetEntries);
        int width = 2;
        for (int i = 0; i < elements.size() && intset; i++) {
            byte[] member = elements.get(i);
            if (Listpack.isCanonicalInteger(member, 0, member.length)) {
                width = Math.max(width, RdbIntset.widthFor(Listpack.canonicalValue(member, 0, member.length)));
            } else {
                intset = false;
            }
        }
        return intset ? out.image(ValueType.SET, Encoding.PACKED, width) : out.image(ValueType.SET, Encoding.TABLE, 0);
    }

    /** Type 4: count, then field and value strings; Redis builds a listpack until a string is too long. */
    private static CollectionImage hashTable(RdbReader in, long maxEntries, long maxValue) throws RdbFormatException {
        long pairs = in.readLength();
        boolean packed = fewer(pairs, maxEntries);
        Elements elements = new Elements(Math.min(in.remaining(), 1 << 16));
        // The count only bounds the loop: running out of data ends a lying one.
        for (long i = 0; Long.compareUnsigned(i, pairs) < 0; i++) {
            byte[] field = RdbStringCodec.read(in);
            byte[] value = RdbStringCodec.read(in);
            packed &= field.length <= maxValue && value.length <= maxValue;
            elements.add(field, 0, field.length);
            elements.add(value, 0, value.length);
        }
        return hash(elements, packed);
    }

    /** Type 2: count, then member strings; an intset while every member is a canonical integer. */
    private static CollectionImage setTable(RdbReader in, long maxIntsetEntries) throws RdbFormatException {
        long members = in.readLength();
        boolean intset = fewer(members, maxIntsetEntries);
        int width = 2;
        Elements elements = new Elements(Math.min(in.remaining(), 1 << 16));
        for (long i = 0; Long.compareUnsigned(i, members) < 0; i++) {
            byte[] member = RdbStringCodec.read(in);
            if (intset && Listpack.isCanonicalInteger(member, 0, member.length)) {
                width = Math.max(width, RdbIntset.widthFor(Listpack.canonicalValue(member, 0, member.length)));
            } else {
                intset = false;
            }
            elements.add(member, 0, member.length);
        }
        if (elements.count() == 0) {
            throw new RdbFormatException("empty set");
        }
        if (elements.hasDuplicate(1)) {
            throw new RdbFormatException("duplicate set member");
        }
        return intset ? elements.image(ValueType.SET, Encoding.PACKED, width) : elements.image(ValueType.SET, Encoding.TABLE, 0);
    }

    /** The checks every hash type gets: not empty, whole pairs, distinct fields. */
    private static CollectionImage hash(Elements elements, boolean packed) throws RdbFormatException {
        if (elements.count() == 0) {
            throw new RdbFormatException("empty hash");
        }
        if (elements.count() % 2 != 0) {
            throw new RdbFormatException("hash with a field and no value");
        }
        if (elements.hasDuplicate(2)) {
            throw new RdbFormatException("duplicate hash field");
        }
        return elements.image(ValueType.HASH, packed ? Encoding.PACKED : Encoding.TABLE, 0);
    }

    /** {@code count <= limit}, with a count read as unsigned 64 bits. */
    private static boolean fewer(long count, long limit) {
        return Long.compareUnsigned(count, limit) <= 0;
    }

    /** Appends the version and the CRC that close every DUMP payload. */
    private static byte[] framed(RdbWriter out) {
        out.writeLittleEndian(DumpPayload.RDB_VERSION, 2);
        out.writeLittleEndian(Crc64.of(out.array(), 0, out.size()), 8);
        return out.toByteArray();
    }

    private static byte[] copy(MemorySegment source, long offset, long length) {
        return source.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * The DUMP payload of one hash, written as its entries arrive. Call {@link #entry} once per
     * pair, then {@link #finish} once.
     */
    public static final class HashDump {
        private final long pairs;
        private final Listpack.Builder listpack; // null: a hashtable, written as entries come
        private final RdbWriter table;
        private byte[] scratch = new byte[64];
        private long written;
        private boolean finished;

        private HashDump(boolean listpack, long pairs) {
            if (pairs <= 0) {
                throw new IllegalArgumentException("a hash has at least one pair, not " + pairs);
            }
            this.pairs = pairs;
            this.listpack = listpack ? new Listpack.Builder() : null;
            this.table = listpack ? null : new RdbWriter(256);
            if (table != null) {
                table.writeByte(TYPE_HASH).writeLength(pairs);
            }
        }

        /** Adds the pair {@code field[fieldOffset, +fieldLength)} = {@code value[valueOffset, +valueLength)}. */
        public HashDump entry(MemorySegment field, long fieldOffset, long fieldLength, MemorySegment value, long valueOffset,
                              long valueLength) {
            if (finished || written == pairs) {
                throw new IllegalStateException("more pairs than the " + pairs + " announced");
            }
            if (listpack != null) {
                append(field, fieldOffset, fieldLength);
                append(value, valueOffset, valueLength);
            } else {
                RdbStringCodec.write(table, copy(field, fieldOffset, fieldLength));
                RdbStringCodec.write(table, copy(value, valueOffset, valueLength));
            }
            written++;
            return this;
        }

        private void append(MemorySegment source, long offset, long length) {
            int n = Math.toIntExact(length);
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            MemorySegment.copy(source, ValueLayout.JAVA_BYTE, offset, scratch, 0, n);
            listpack.append(scratch, 0, n);
        }

        /** The complete payload: type, body, RDB version 10 and CRC-64. */
        public byte[] finish() {
            return framed(body());
        }

        /** The RDB object alone (type, body), as an RDB file holds it after the key. */
        public byte[] object() {
            return body().toByteArray();
        }

        private RdbWriter body() {
            if (finished || written != pairs) {
                throw new IllegalStateException(finished ? "already finished" : written + " pairs of the " + pairs + " announced");
            }
            finished = true;
            if (listpack == null) {
                return table;
            }
            byte[] blob = listpack.toByteArray();
            RdbWriter out = new RdbWriter(blob.length + 32);
            out.writeByte(TYPE_HASH_LISTPACK);
            RdbStringCodec.write(out, blob); // like any string: LZF when it saves 4 bytes
            return out;
        }
    }

    /**
     * The DUMP payload of one set, written as its members arrive. Call {@link #member} once per
     * member, then {@link #finish} once.
     */
    public static final class SetDump {
        private final long members;
        private final int width;
        private final RdbWriter table; // null: an intset, gathered and written at the end
        private long[] values;
        private int count;
        private byte[] scratch;
        private long written;
        private boolean finished;

        private SetDump(boolean intset, int intsetWidth, long members) {
            if (members <= 0) {
                throw new IllegalArgumentException("a set has at least one member, not " + members);
            }
            if (intset && intsetWidth != 2 && intsetWidth != 4 && intsetWidth != 8) {
                throw new IllegalArgumentException("intset width " + intsetWidth);
            }
            this.members = members;
            this.width = intsetWidth;
            if (intset) {
                this.table = null;
                this.values = new long[(int) Math.min(members, 1024)];
                this.scratch = new byte[20];
            } else {
                this.table = new RdbWriter(256);
                table.writeByte(TYPE_SET).writeLength(members);
            }
        }

        /** Adds the member {@code source[offset, offset + length)}. */
        public SetDump member(MemorySegment source, long offset, long length) {
            if (finished || written == members) {
                throw new IllegalStateException("more members than the " + members + " announced");
            }
            if (table != null) {
                RdbStringCodec.write(table, copy(source, offset, length));
            } else {
                if (length > scratch.length) {
                    throw new IllegalArgumentException("an intset member is a canonical integer");
                }
                int n = (int) length;
                MemorySegment.copy(source, ValueLayout.JAVA_BYTE, offset, scratch, 0, n);
                if (!Listpack.isCanonicalInteger(scratch, 0, n)) {
                    throw new IllegalArgumentException("an intset member is a canonical integer");
                }
                if (count == values.length) {
                    values = Arrays.copyOf(values, count * 2);
                }
                values[count++] = Listpack.canonicalValue(scratch, 0, n);
            }
            written++;
            return this;
        }

        /**
         * The complete payload: type, body, RDB version 10 and CRC-64. An intset's members are
         * written ascending whatever order they came in, at the width given (or wider, should
         * a member need it: the payload must stay a valid intset).
         */
        public byte[] finish() {
            return framed(body());
        }

        /** The RDB object alone (type, body), as an RDB file holds it after the key. */
        public byte[] object() {
            return body().toByteArray();
        }

        private RdbWriter body() {
            if (finished || written != members) {
                throw new IllegalStateException(finished ? "already finished" : written + " members of the " + members + " announced");
            }
            finished = true;
            if (table != null) {
                return table;
            }
            Arrays.sort(values, 0, count);
            int w = Math.max(width, Math.max(RdbIntset.widthFor(values[0]), RdbIntset.widthFor(values[count - 1])));
            byte[] blob = RdbIntset.encode(w, values, count);
            RdbWriter out = new RdbWriter(blob.length + 32);
            out.writeByte(TYPE_SET_INTSET);
            RdbStringCodec.write(out, blob);
            return out;
        }
    }

    /**
     * Decoded elements in order, as a {@link CollectionImage} holds them: one byte array and
     * where each element starts and ends. Grows as elements arrive, so its size follows the
     * bytes actually decoded, never a count read from the payload.
     */
    static final class Elements {
        /** Java arrays stop a little short of Integer.MAX_VALUE. */
        private static final int MAX = Integer.MAX_VALUE - 8;

        private byte[] data;
        private int size;
        private int[] starts = new int[16];
        private int[] ends = new int[16];
        private int count;

        Elements(int expectedBytes) {
            data = new byte[Math.max(16, expectedBytes)];
        }

        void add(byte[] source, int offset, int length) throws RdbFormatException {
            ensure(length);
            System.arraycopy(source, offset, data, size, length);
            push(length);
        }

        /** Adds {@code value} as its decimal text, as Redis hands out packed integers. */
        void addInteger(long value) throws RdbFormatException {
            byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
            add(text, 0, text.length);
        }

        int count() {
            return count;
        }

        byte[] element(int i) {
            return Arrays.copyOfRange(data, starts[i], ends[i]);
        }

        int maxLength() {
            int max = 0;
            for (int i = 0; i < count; i++) {
                max = Math.max(max, ends[i] - starts[i]);
            }
            return max;
        }

        /**
         * Whether two of the elements at 0, step, 2*step... are equal. Sorting (a merge sort
         * of their indexes) rather than hashing keeps a crafted payload from forcing
         * quadratic work.
         */
        boolean hasDuplicate(int step) {
            int n = (int) (((long) count + step - 1) / step);
            int[] order = new int[n];
            for (int k = 0; k < n; k++) {
                order[k] = k * step;
            }
            int[] spare = new int[n];
            for (long width = 1; width < n; width *= 2) {
                for (long lo = 0; lo < n; lo += 2 * width) {
                    int mid = (int) Math.min(lo + width, n);
                    int hi = (int) Math.min(lo + 2 * width, n);
                    int i = (int) lo;
                    int j = mid;
                    int k = (int) lo;
                    while (i < mid && j < hi) {
                        spare[k++] = compare(order[i], order[j]) <= 0 ? order[i++] : order[j++];
                    }
                    while (i < mid) {
                        spare[k++] = order[i++];
                    }
                    while (j < hi) {
                        spare[k++] = order[j++];
                    }
                }
                int[] swap = order;
                order = spare;
                spare = swap;
            }
            for (int k = 1; k < n; k++) {
                if (compare(order[k - 1], order[k]) == 0) {
                    return true;
                }
            }
            return false;
        }

        private int compare(int a, int b) {
            return Arrays.compareUnsigned(data, starts[a], ends[a], data, starts[b], ends[b]);
        }

        CollectionImage image(ValueType type, Encoding encoding, int intsetWidth) {
            return new CollectionImage(type, encoding, intsetWidth, data, starts, ends, count);
        }

        private void ensure(int more) throws RdbFormatException {
            if ((long) size + more > MAX) {
                throw new RdbFormatException("collection too large to decode");
            }
            if (size + more > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(MAX, Math.max((long) size + more, (long) data.length * 2)));
            }
        }

        private void push(int length) throws RdbFormatException {
            if (count == starts.length) {
                if (count == MAX) {
                    throw new RdbFormatException("collection too large to decode");
                }
                int grown = (int) Math.min(MAX, (long) count * 2);
                starts = Arrays.copyOf(starts, grown);
                ends = Arrays.copyOf(ends, grown);
            }
            starts[count] = size;
            size += length;
            ends[count++] = size;
        }
    }
}
