package io.ferrite.server.rdb;

/**
 * Redis's zipmap (zipmap.c), the blob inside HASH_ZIPMAP payloads written by Redis 2.4 and
 * older; read only. Layout: the pair count in one byte (254: count them), then per pair the
 * field's length and bytes, the value's length, a count of unused bytes, the value and that
 * many unused bytes; then {@code 0xFF}. A length is one byte below 254, else {@code 0xFE} and
 * a u32 (little-endian, as the x86 machines that wrote them stored it).
 */
final class Zipmap {
    private static final int END = 0xFF;
    private static final int BIG_LENGTH = 254;

    private Zipmap() {}

    /**
     * Validates {@code zm} as {@code zipmapValidateIntegrity} does (deep: Redis 7.0 always
     * checks this type fully) and appends field, value, field, value... to {@code out}.
     */
    static void decode(byte[] zm, RdbCollections.Elements out) throws RdbFormatException {
        int size = zm.length;
        if (size < 2 || (zm[size - 1] & 0xFF) != END) {
            throw new RdbFormatException("zipmap too short or without terminator");
        }
        int last = size - 1;
        long count = 0;
        long p = 1;
        while ((zm[(int) p] & 0xFF) != END) {
            int fieldLengthSize = lengthSize(zm, p);
            checkInside(p + fieldLengthSize, last);
            long fieldLength = length(zm, p);
            long field = p + fieldLengthSize;
            p = field + fieldLength;
            checkInside(p, last);
            int valueLengthSize = lengthSize(zm, p);
            checkInside(p + valueLengthSize, last);
            long valueLength = length(zm, p);
            p += valueLengthSize;
            int free = zm[(int) p] & 0xFF;
            long value = p + 1;
            // Unlike Redis's 32-bit sum, this cannot wrap: a value too long to fit is refused.
            p = value + valueLength + free;
            checkInside(p, last);
            out.add(zm, (int) field, (int) fieldLength);
            out.add(zm, (int) value, (int) valueLength);
            count++;
        }
        if (count == 0) {
            throw new RdbFormatException("empty zipmap");
        }
        int declared = zm[0] & 0xFF;
        if (declared != BIG_LENGTH && declared != count) {
            throw new RdbFormatException("zipmap holds " + count + " pairs, its header says " + declared);
        }
    }

    private static int lengthSize(byte[] zm, long p) {
        return (zm[(int) p] & 0xFF) < BIG_LENGTH ? 1 : 5;
    }

    private static long length(byte[] zm, long p) {
        int b = zm[(int) p] & 0xFF;
        return b < BIG_LENGTH ? b : Listpack.littleEndian(zm, (int) p + 1, 4);
    }

    /** Redis's OUT_OF_RANGE: a position may reach the terminator but not go past it. */
    private static void checkInside(long position, int last) throws RdbFormatException {
        if (position > last) {
            throw new RdbFormatException("zipmap entry runs past the terminator");
        }
    }
}
