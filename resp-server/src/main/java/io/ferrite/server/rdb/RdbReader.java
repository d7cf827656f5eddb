package io.ferrite.server.rdb;

/**
 * A cursor over RDB bytes, reading RDB's primitives as Redis's {@code rdbLoad*} functions do.
 * Running out of bytes is a {@link RdbFormatException}, like a short {@code rioRead}.
 */
public final class RdbReader {
    private final byte[] data;
    private final int limit;
    private int position;
    private boolean encoded;

    /** Reads all of {@code data}. */
    public RdbReader(byte[] data) {
        this.data = data;
        this.limit = data.length;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return limit - position;
    }

    /** The bytes being read (for callers that consume a run in place, see {@link #skip}). */
    byte[] data() {
        return data;
    }

    /** The next byte, unsigned. */
    public int readByte() throws RdbFormatException {
        if (position >= limit) {
            throw new RdbFormatException("unexpected end of data");
        }
        return data[position++] & 0xff;
    }

    /** Advances over {@code count} bytes and returns the offset of the first. */
    public int skip(long count) throws RdbFormatException {
        if (count < 0 || count > remaining()) {
            throw new RdbFormatException("length " + Long.toUnsignedString(count) + " exceeds the " + remaining() + " bytes left");
        }
        int start = position;
        position += (int) count;
        return start;
    }

    /** The next {@code count} bytes, copied. */
    public byte[] readBytes(long count) throws RdbFormatException {
        int start = skip(count);
        byte[] copy = new byte[(int) count];
        System.arraycopy(data, start, copy, 0, (int) count);
        return copy;
    }

    /** A little-endian integer of {@code size} bytes (RDB stores encoded integers that way). */
    public long readLittleEndian(int size) throws RdbFormatException {
        int start = skip(size);
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = (value << 8) | (data[start + i] & 0xff);
        }
        return value;
    }

    /**
     * Reads an RDB length ({@code rdbLoadLen}): 6 bits in the first byte ({@code 00}), 14 bits
     * ({@code 01}), a big-endian 32-bit ({@code 0x80}) or 64-bit ({@code 0x81}) value. A first
     * byte {@code 11xxxxxx} is a special encoding, not a length: its 6 low bits are returned and
     * {@link #encoded()} is set (callers that expect a plain length ignore the flag, as Redis
     * does). A 64-bit length beyond {@code Long.MAX_VALUE} comes back negative; callers treat it
     * as too long.
     */
    public long readLength() throws RdbFormatException {
        int first = readByte();
        encoded = false;
        switch (first >>> 6) {
            case 0 -> {
                return first & 0x3f;
            }
            case 1 -> {
                return ((first & 0x3f) << 8) | readByte();
            }
            case 3 -> {
                encoded = true;
                return first & 0x3f;
            }
            default -> {
                if (first == 0x80) {
                    return Long.reverseBytes(readLittleEndian(4)) >>> 32;
                }
                if (first == 0x81) {
                    return Long.reverseBytes(readLittleEndian(8));
                }
                throw new RdbFormatException("unknown length encoding 0x" + Integer.toHexString(first));
            }
        }
    }

    /** Whether the last {@link #readLength()} met a special encoding instead of a length. */
    public boolean encoded() {
        return encoded;
    }
}
