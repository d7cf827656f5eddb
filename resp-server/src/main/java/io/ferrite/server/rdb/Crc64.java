package io.ferrite.server.rdb;

/**
 * Redis's CRC-64 ("crc-64-jones": polynomial 0xad93d23594c935a9, reflected input and output,
 * initial value 0, no final xor), which checks DUMP payloads and RDB files.
 * {@code Crc64.of("123456789")} is {@code 0xe9c6d914c4b8d9caL}.
 */
public final class Crc64 {
    /** The polynomial bit-reversed, as a reflected CRC uses it. */
    private static final long REVERSED_POLY = 0x95ac9329ac4bc9b5L;
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ REVERSED_POLY : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc64() {}

    /** The CRC of {@code data[offset, offset + length)}. */
    public static long of(byte[] data, int offset, int length) {
        return update(0, data, offset, length);
    }

    /** Continues {@code crc} over {@code data[offset, offset + length)}. */
    public static long update(long crc, byte[] data, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            crc = TABLE[(int) (crc ^ data[i]) & 0xff] ^ (crc >>> 8);
        }
        return crc;
    }
}
