package io.ferrite.server.rdb;

/**
 * Redis's CRC-64 ("crc-64-jones": polynomial 0xad93d23594c935a9, reflected input and output,
 * initial value 0, no final xor), which checks DUMP payloads and RDB files.
 * {@code Crc64.of("123456789")} is {@code 0xe9c6d914c4b8d9caL}.
 */
public final class Crc64 {
    /** The polynomial bit-reversed, as a reflected CRC uses it. */
    private static final long REVERSED_POLY = 0x95ac9329ac4bc9b5L;
    /** {@code TABLES[k][b]}: the CRC of byte {@code b} followed by {@code k} zero bytes (slicing-by-8). */
    private static final long[][] TABLES = new long[8][256];
    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    static {
        long[] t0 = TABLES[0];
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ REVERSED_POLY : crc >>> 1;
            }
            t0[i] = crc;
        }
        for (int k = 1; k < 8; k++) {
            for (int i = 0; i < 256; i++) {
                long previous = TABLES[k - 1][i];
                TABLES[k][i] = (previous >>> 8) ^ t0[(int) previous & 0xff];
            }
        }
    }

    private Crc64() {}

    /** The CRC of {@code data[offset, offset + length)}. */
    public static long of(byte[] data, int offset, int length) {
        return update(0, data, offset, length);
    }

    /** Continues {@code crc} over {@code data[offset, offset + length)}: eight bytes per step, then the rest one by one. */
    public static long update(long crc, byte[] data, int offset, int length) {
        long[] t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3];
        long[] t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7];
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            crc ^= (long) LONG_LE.get(data, i);
            crc = t7[(int) crc & 0xff] ^ t6[(int) (crc >>> 8) & 0xff] ^ t5[(int) (crc >>> 16) & 0xff]
                    ^ t4[(int) (crc >>> 24) & 0xff] ^ t3[(int) (crc >>> 32) & 0xff] ^ t2[(int) (crc >>> 40) & 0xff]
                    ^ t1[(int) (crc >>> 48) & 0xff] ^ t0[(int) (crc >>> 56)];
        }
        for (; i < end; i++) {
            crc = t0[(int) (crc ^ data[i]) & 0xff] ^ (crc >>> 8);
        }
        return crc;
    }
}
