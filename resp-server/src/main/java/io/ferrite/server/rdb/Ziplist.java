package io.ferrite.server.rdb;

/**
 * Redis's ziplist (ziplist.c), the blob inside HASH_ZIPLIST payloads written by Redis 6.2 and
 * older; read only. Layout: total bytes u32 LE, offset of the last entry u32 LE, entry count
 * u16 LE (65535: count them), the entries, {@code 0xFF}. An entry is the previous entry's size
 * (1 byte below 254, else {@code 0xFE} + u32 LE), an encoding, then its data.
 */
final class Ziplist {
    private static final int HEADER = 10;
    private static final int END = 0xFF;
    private static final int BIG_PREVLEN = 254;
    private static final int UNKNOWN_COUNT = 65535;

    private Ziplist() {}

    /**
     * Validates {@code zl} deeply, as Redis 7.0 always does for this type
     * ({@code ziplistValidateIntegrity} with {@code zipEntrySafe}), and appends its entries to
     * {@code out} in order (integers as their decimal text).
     */
    static void decode(byte[] zl, RdbCollections.Elements out) throws RdbFormatException {
        int size = zl.length;
        if (size < HEADER + 1 || Listpack.littleEndian(zl, 0, 4) != size || (zl[size - 1] & 0xFF) != END) {
            throw new RdbFormatException("ziplist header or terminator is wrong");
        }
        int last = size - 1;
        long tail = Listpack.littleEndian(zl, 4, 4);
        if (tail > last) {
            throw new RdbFormatException("ziplist tail offset beyond its end");
        }
        long count = 0;
        long previousSize = 0;
        int previous = -1;
        int p = HEADER;
        while ((zl[p] & 0xFF) != END) {
            int prevlenSize = (zl[p] & 0xFF) < BIG_PREVLEN ? 1 : 5;
            int q = p + prevlenSize; // the encoding
            if (q > last) {
                throw new RdbFormatException("ziplist entry header cut");
            }
            int encoding = zl[q] & 0xFF;
            if (encoding < 0xC0) {
                encoding &= 0xC0; // strings: the low bits belong to the length
            }
            int lengthSize = lengthSize(encoding);
            if (lengthSize == 0 || q + lengthSize > last) {
                throw new RdbFormatException("ziplist entry encoding 0x" + Integer.toHexString(zl[q] & 0xFF) + " is invalid or cut");
            }
            long prevlen = prevlenSize == 1 ? zl[p] & 0xFF : Listpack.littleEndian(zl, p + 1, 4);
            long length = dataLength(zl, q, encoding);
            long entrySize = prevlenSize + lengthSize + length;
            if (p + entrySize > last) {
                throw new RdbFormatException("ziplist entry runs past the terminator");
            }
            if (prevlen != previousSize) {
                throw new RdbFormatException("ziplist entry's previous length is wrong");
            }
            emit(zl, q, encoding, lengthSize, (int) length, out);
            previousSize = entrySize;
            previous = p;
            p += (int) entrySize;
            count++;
        }
        if (p != last) {
            throw new RdbFormatException("ziplist entries end before the terminator");
        }
        if (previous >= 0 && previous != tail) {
            throw new RdbFormatException("ziplist tail offset is not its last entry");
        }
        int declared = (int) Listpack.littleEndian(zl, 8, 2);
        if (declared != UNKNOWN_COUNT && declared != count) {
            throw new RdbFormatException("ziplist holds " + count + " entries, its header says " + declared);
        }
    }

    /** zipEncodingLenSize: the bytes of the encoding (with any length); 0 for an invalid one. */
    private static int lengthSize(int encoding) {
        return switch (encoding) {
            case 0x00 -> 1;       // 00pppppp: string of up to 63 bytes
            case 0x40 -> 2;       // 01pppppp qqqqqqqq: 14-bit big-endian length
            case 0x80 -> 5;       // 10______ + 32-bit big-endian length
            case 0xC0, 0xD0, 0xE0, 0xF0, 0xFE -> 1; // int16, int32, int64, int24, int8
            default -> encoding >= 0xF1 && encoding <= 0xFD ? 1 : 0; // 4-bit immediate
        };
    }

    private static long dataLength(byte[] zl, int q, int encoding) {
        return switch (encoding) {
            case 0x00 -> zl[q] & 0x3F;
            case 0x40 -> (zl[q] & 0x3F) << 8 | zl[q + 1] & 0xFF;
            case 0x80 -> Long.reverseBytes(Listpack.littleEndian(zl, q + 1, 4)) >>> 32;
            case 0xC0 -> 2;
            case 0xD0 -> 4;
            case 0xE0 -> 8;
            case 0xF0 -> 3;
            case 0xFE -> 1;
            default -> 0;
        };
    }

    private static void emit(byte[] zl, int q, int encoding, int lengthSize, int length, RdbCollections.Elements out)
            throws RdbFormatException {
        int data = q + lengthSize;
        switch (encoding) {
            case 0x00, 0x40, 0x80 -> out.add(zl, data, length);
            case 0xC0 -> out.addInteger((short) Listpack.littleEndian(zl, data, 2));
            case 0xD0 -> out.addInteger((int) Listpack.littleEndian(zl, data, 4));
            case 0xE0 -> out.addInteger(Listpack.littleEndian(zl, data, 8));
            case 0xF0 -> out.addInteger(Listpack.littleEndian(zl, data, 3) << 40 >> 40);
            case 0xFE -> out.addInteger(zl[data]);
            default -> out.addInteger((encoding & 0x0F) - 1);
        }
    }
}
