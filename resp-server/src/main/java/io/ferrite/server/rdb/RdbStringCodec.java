package io.ferrite.server.rdb;

import java.nio.charset.StandardCharsets;

/**
 * RDB's string encoding, as Redis 7.0 writes ({@code rdbSaveRawString}) and reads
 * ({@code rdbGenericLoadStringObject}) it:
 * <ul>
 *   <li>a canonical decimal integer in the int32 range as {@code 0xC0} + 1 byte,
 *       {@code 0xC1} + 2 bytes or {@code 0xC2} + 4 bytes, little-endian;</li>
 *   <li>a string over 20 bytes that LZF compresses by at least 4 bytes as {@code 0xC3},
 *       compressed length, original length, compressed bytes;</li>
 *   <li>anything else as its length followed by its bytes.</li>
 * </ul>
 * Redis's {@code rdbcompression no} is not honoured (Ferrite ignores that directive): DUMP
 * always compresses as Redis does by default. Either way RESTORE accepts every form.
 */
public final class RdbStringCodec {
    private static final int ENC_INT8 = 0;
    private static final int ENC_INT16 = 1;
    private static final int ENC_INT32 = 2;
    private static final int ENC_LZF = 3;
    private static final int ENCODED = 0xC0;
    /** Redis does not try LZF at or below this length: it could not gain the 4 bytes required. */
    private static final int MIN_COMPRESS = 20;

    private RdbStringCodec() {}

    /** Appends {@code value} in the encoding Redis would choose. */
    public static void write(RdbWriter out, byte[] value) {
        if (value.length <= 11 && writeInteger(out, value)) {
            return;
        }
        if (value.length > MIN_COMPRESS) {
            byte[] compressed = new byte[value.length - 4 + 1];
            int length = Lzf.compress(value, value.length, compressed, value.length - 4);
            if (length > 0) {
                out.writeByte(ENCODED | ENC_LZF).writeLength(length).writeLength(value.length);
                out.writeBytes(compressed, 0, length);
                return;
            }
        }
        out.writeLength(value.length).writeBytes(value, 0, value.length);
    }

    /** rdbTryIntegerEncoding: only strings that read back identically may become integers. */
    private static boolean writeInteger(RdbWriter out, byte[] value) {
        if (!isCanonicalInteger(value)) {
            return false;
        }
        long n = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        if (n >= Byte.MIN_VALUE && n <= Byte.MAX_VALUE) {
            out.writeByte(ENCODED | ENC_INT8).writeLittleEndian(n, 1);
        } else if (n >= Short.MIN_VALUE && n <= Short.MAX_VALUE) {
            out.writeByte(ENCODED | ENC_INT16).writeLittleEndian(n, 2);
        } else if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
            out.writeByte(ENCODED | ENC_INT32).writeLittleEndian(n, 4);
        } else {
            return false;
        }
        return true;
    }

    /** Redis's {@code string2ll} acceptance (see {@link Listpack#isCanonicalInteger}). */
    static boolean isCanonicalInteger(byte[] s) {
        return Listpack.isCanonicalInteger(s, 0, s.length);
    }

    /** Reads one string in any of RDB's string encodings. */
    public static byte[] read(RdbReader in) throws RdbFormatException {
        long length = in.readLength();
        if (!in.encoded()) {
            return in.readBytes(length);
        }
        return switch ((int) length) {
            case ENC_INT8 -> decimal((byte) in.readLittleEndian(1));
            case ENC_INT16 -> decimal((short) in.readLittleEndian(2));
            case ENC_INT32 -> decimal((int) in.readLittleEndian(4));
            case ENC_LZF -> readLzf(in);
            default -> throw new RdbFormatException("unknown string encoding " + length);
        };
    }

    private static byte[] decimal(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] readLzf(RdbReader in) throws RdbFormatException {
        // Both lengths are read as plain lengths: Redis ignores an "encoded" marker here.
        long compressedLength = in.readLength();
        long length = in.readLength();
        int start = in.skip(compressedLength);
        // A length no stream of this size can produce would make Redis's decompression fail;
        // refuse it before allocating (Redis allocates it, or fails to: same reply).
        if (length < 0 || length > Integer.MAX_VALUE - 8 || length > compressedLength * Lzf.MAX_EXPANSION) {
            throw new RdbFormatException("impossible LZF length " + Long.toUnsignedString(length));
        }
        byte[] value = new byte[(int) length];
        if (Lzf.decompress(in.data(), start, (int) compressedLength, value, value.length) != length) {
            throw new RdbFormatException("invalid LZF compressed string");
        }
        return value;
    }
}
