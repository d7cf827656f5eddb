package io.ferrite.server.rdb;

/**
 * The DUMP/RESTORE payload: an RDB object (type byte then the serialized value), the RDB
 * version as 2 little-endian bytes, and the CRC-64 of everything before it as 8 little-endian
 * bytes ({@code createDumpPayload} and {@code verifyDumpPayload} in Redis's cluster.c).
 */
public final class DumpPayload {
    /** The RDB version Redis 7.0 writes; RESTORE refuses payloads from a newer one. */
    public static final int RDB_VERSION = 10;
    /** RDB object type of a plain string. */
    public static final int TYPE_STRING = 0;
    private static final int FOOTER = 2 + 8;

    private DumpPayload() {}

    /** The payload DUMP answers for a string value. */
    public static byte[] ofString(byte[] value) {
        RdbWriter out = new RdbWriter(value.length + 16);
        out.writeByte(TYPE_STRING);
        RdbStringCodec.write(out, value);
        out.writeLittleEndian(RDB_VERSION, 2);
        out.writeLittleEndian(Crc64.of(out.array(), 0, out.size()), 8);
        return out.toByteArray();
    }

    /**
     * Whether the footer is sound: at least 10 bytes, a version Ferrite can read and a
     * matching CRC. Unlike RDB files, a zero CRC is not a pass: Redis always checks it here.
     */
    public static boolean verify(byte[] payload) {
        if (payload.length < FOOTER) {
            return false;
        }
        int footer = payload.length - FOOTER;
        int version = (payload[footer] & 0xff) | (payload[footer + 1] & 0xff) << 8;
        if (version > RDB_VERSION) {
            return false;
        }
        long crc = 0;
        for (int i = 7; i >= 0; i--) {
            crc = (crc << 8) | (payload[footer + 2 + i] & 0xff);
        }
        return Crc64.of(payload, 0, payload.length - 8) == crc;
    }

    /**
     * Decodes the value of a {@link #verify verified} payload that holds a string.
     *
     * <p>As in Redis, the object is read from the whole payload, footer included: a length
     * that runs into the footer is not an error, and bytes left between the object and the
     * footer are ignored. Other object types are refused for now (Redis would restore them):
     * they come with the engine types that can hold them.
     */
    public static byte[] decodeString(byte[] payload) throws RdbFormatException {
        RdbReader in = new RdbReader(payload);
        int type = in.readByte();
        if (type != TYPE_STRING) {
            throw new RdbFormatException("unsupported RDB object type " + type);
        }
        return RdbStringCodec.read(in);
    }
}
