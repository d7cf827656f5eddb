package io.ferrite.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads RESP replies from a stream one at a time without allocating on the fast paths
 * ({@code +OK}, bulk strings): the load loops read millions of replies and should measure
 * the server, not this parser. Handles the reply kinds GET and SET produce: simple strings,
 * errors, integers and bulk strings (including nil); arrays are not needed and rejected.
 */
final class ReplyReader {
    private static final byte[] OK = {'O', 'K'};

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;

    private byte type;
    private final byte[] line = new byte[1024];
    private int lineLength;
    private long number;

    ReplyReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next reply's header line and returns its type byte ({@code '+'}, {@code '-'},
     * {@code ':'} or {@code '$'}). For {@code '$'} the body is still unread: call
     * {@link #readBulk} or {@link #skipBulk} next (not needed when {@link #isNil}).
     */
    byte next() throws IOException {
        type = readByte();
        lineLength = 0;
        byte b;
        while ((b = readByte()) != '\r') {
            if (lineLength < line.length) { // longer lines (error texts) are cut, which is fine for reports
                line[lineLength++] = b;
            }
        }
        if (readByte() != '\n') {
            throw new IOException("malformed reply: CR without LF");
        }
        switch (type) {
            case '+', '-' -> { }
            case ':', '$' -> number = parseLong();
            default -> throw new IOException("unexpected reply type '" + (char) type + "': " + text());
        }
        return type;
    }

    /** True when the last reply was the simple string {@code +OK}. */
    boolean isOk() {
        return type == '+' && lineLength == 2 && line[0] == OK[0] && line[1] == OK[1];
    }

    /** True when the last reply was a nil bulk string ({@code $-1}). */
    boolean isNil() {
        return type == '$' && number < 0;
    }

    /** The last reply's header text without the type byte (an error's message, say). */
    String text() {
        return new String(line, 0, lineLength, StandardCharsets.UTF_8);
    }

    /** The last reply's header line as it came, type byte included (for failure reports). */
    String headerLine() {
        return (char) type + text();
    }

    /** The length of the last bulk reply. */
    int bulkLength() {
        return (int) number;
    }

    /** Reads the last bulk reply's body into {@code dst}, which must hold {@link #bulkLength()} bytes. */
    void readBulk(byte[] dst) throws IOException {
        int length = bulkLength();
        int copied = 0;
        while (copied < length) {
            fill();
            int n = Math.min(length - copied, limit - position);
            System.arraycopy(buffer, position, dst, copied, n);
            position += n;
            copied += n;
        }
        readCrlf();
    }

    /** Skips the last bulk reply's body. */
    void skipBulk() throws IOException {
        int remaining = bulkLength();
        while (remaining > 0) {
            fill();
            int n = Math.min(remaining, limit - position);
            position += n;
            remaining -= n;
        }
        readCrlf();
    }

    private void readCrlf() throws IOException {
        if (readByte() != '\r' || readByte() != '\n') {
            throw new IOException("bulk string not followed by CRLF");
        }
    }

    private long parseLong() throws IOException {
        if (lineLength == 0) {
            throw new IOException("empty length in reply");
        }
        boolean negative = line[0] == '-';
        long value = 0;
        for (int i = negative ? 1 : 0; i < lineLength; i++) {
            int digit = line[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new IOException("bad number in reply: " + text());
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private byte readByte() throws IOException {
        fill();
        return buffer[position++];
    }

    /** Makes at least one unread byte available. */
    private void fill() throws IOException {
        if (position < limit) {
            return;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
        position = 0;
        limit = n;
    }
}
