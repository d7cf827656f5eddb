package io.ferrite.core.aof;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one command in RESP form ({@code *N\r\n$len\r\narg\r\n...}), as the append-only file
 * stores it. Reusable: {@link #begin} starts a new command in the same buffer.
 */
public final class RespCommand {
    private byte[] bytes = new byte[256];
    private int size;

    /** Starts a command of {@code argc} arguments (the name included). */
    public RespCommand begin(int argc) {
        size = 0;
        put((byte) '*');
        number(argc);
        return crlf();
    }

    public RespCommand arg(String ascii) {
        return arg(ascii.getBytes(StandardCharsets.UTF_8));
    }

    public RespCommand arg(long value) {
        return arg(Long.toString(value));
    }

    public RespCommand arg(byte[] value) {
        return arg(value, 0, value.length);
    }

    public RespCommand arg(byte[] value, int offset, int length) {
        header(length);
        ensure(length + 2);
        System.arraycopy(value, offset, bytes, size, length);
        size += length;
        return crlf();
    }

    public RespCommand arg(MemorySegment source, long offset, long length) {
        int n = Math.toIntExact(length);
        header(n);
        ensure(n + 2);
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, offset, bytes, size, n);
        size += n;
        return crlf();
    }

    /**
     * Adds an argument of {@code length} bytes that the caller copies itself into
     * {@link #array()} at the returned offset (from a buffer this class does not know).
     */
    public int reserveArg(int length) {
        header(length);
        ensure(length + 2);
        int at = size;
        size += length;
        crlf();
        return at;
    }

    /** The buffer being built (valid until the next call that adds to it). */
    public byte[] array() {
        return bytes;
    }

    /** The command built so far, copied. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Bytes written since {@link #begin}. */
    public int size() {
        return size;
    }

    /** {@code *argc} followed by every argument of {@code argv}, in one go. */
    public static byte[] of(byte[]... argv) {
        RespCommand command = new RespCommand().begin(argv.length);
        for (byte[] arg : argv) {
            command.arg(arg);
        }
        return command.toByteArray();
    }

    /** A command of ASCII words ({@code SELECT 3}, {@code FLUSHALL}). */
    public static byte[] ofWords(String... words) {
        RespCommand command = new RespCommand().begin(words.length);
        for (String word : words) {
            command.arg(word);
        }
        return command.toByteArray();
    }

    private void header(int length) {
        put((byte) '$');
        number(length);
        crlf();
    }

    private RespCommand crlf() {
        ensure(2);
        bytes[size++] = '\r';
        bytes[size++] = '\n';
        return this;
    }

    /** Writes a non-negative count or length in decimal, without allocating (one per argument). */
    private void number(long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits);
        long v = value;
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        size += digits;
    }

    private void put(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
