package io.ferrite.server.rdb;

import java.util.Arrays;

/** A growable buffer that writes RDB's primitives as Redis's {@code rdbSave*} functions do. */
public final class RdbWriter {
    private byte[] buffer;
    private int size;

    public RdbWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    public int size() {
        return size;
    }

    /** The buffer itself; bytes {@code [0, size())} are the written data. */
    byte[] array() {
        return buffer;
    }

    /** Forgets what was written, keeping the buffer. */
    public void clear() {
        size = 0;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    public RdbWriter writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    public RdbWriter writeBytes(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
        return this;
    }

    /** {@code size} bytes of {@code value}, least significant first. */
    public RdbWriter writeLittleEndian(long value, int size) {
        ensure(size);
        for (int i = 0; i < size; i++) {
            buffer[this.size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    /** An RDB length in the shortest form ({@code rdbSaveLen}). */
    public RdbWriter writeLength(long length) {
        if (length < 1 << 6) {
            writeByte((int) length);
        } else if (length < 1 << 14) {
            writeByte((int) (length >>> 8) | 0x40);
            writeByte((int) length);
        } else if (length <= 0xffffffffL) {
            writeByte(0x80);
            writeLittleEndian(Integer.reverseBytes((int) length), 4);
        } else {
            writeByte(0x81);
            writeLittleEndian(Long.reverseBytes(length), 8);
        }
        return this;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            long wanted = Math.max((long) size + more, (long) buffer.length * 2);
            buffer = Arrays.copyOf(buffer, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
        }
    }
}
