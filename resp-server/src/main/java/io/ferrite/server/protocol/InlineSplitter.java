package io.ferrite.server.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Splits an inline (telnet-style) request line into arguments with the quoting rules of
 * Redis's {@code sdssplitargs}: blanks separate arguments; {@code "..."} supports the escapes
 * {@code \n \r \t \b \a \xHH} and {@code \<any>}; {@code '...'} supports only {@code \'}; a
 * closing quote must be followed by a blank or the end of the line; a NUL byte ends the line
 * (sdssplitargs works on C strings).
 *
 * <p>Unescaping happens in place: a decoded argument is never longer than its source text,
 * so the decoded bytes are written over it, left to right, and the arguments are recorded as
 * ranges of the buffer. Plain (unquoted) arguments are not written at all, so only lines with
 * quotes need a writable buffer.
 */
final class InlineSplitter {
    private InlineSplitter() {
    }

    /**
     * Splits the bytes in {@code [start, end)} of {@code buf} into {@code request}'s arguments
     * (offsets relative to {@code base}). Returns false on unbalanced quotes.
     */
    static boolean split(ByteBuf buf, int base, int start, int end, RespRequest request) {
        int p = start;
        while (true) {
            while (p < end && isCSpace(buf.getByte(p))) {
                p++;
            }
            if (p >= end || buf.getByte(p) == 0) {
                return true;
            }
            boolean inDouble = false;
            boolean inSingle = false;
            int tokenStart = p;
            int w = p;
            boolean done = false;
            while (!done) {
                int c = p < end ? buf.getByte(p) & 0xFF : 0;
                if (inDouble) {
                    if (c == '\\' && at(buf, p + 1, end) == 'x'
                            && isHex(at(buf, p + 2, end)) && isHex(at(buf, p + 3, end))) {
                        int b = hexValue(at(buf, p + 2, end)) * 16 + hexValue(at(buf, p + 3, end));
                        p += 3;
                        w = put(buf, w, p, b);
                    } else if (c == '\\' && at(buf, p + 1, end) != 0) {
                        p++;
                        int e = buf.getByte(p) & 0xFF;
                        int b = switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        };
                        w = put(buf, w, p, b);
                    } else if (c == '"') {
                        int next = at(buf, p + 1, end);
                        if (next != 0 && !isCSpace((byte) next)) {
                            return false;
                        }
                        done = true;
                    } else if (c == 0) {
                        return false;
                    } else {
                        w = put(buf, w, p, c);
                    }
                } else if (inSingle) {
                    if (c == '\\' && at(buf, p + 1, end) == '\'') {
                        p++;
                        w = put(buf, w, p, '\'');
                    } else if (c == '\'') {
                        int next = at(buf, p + 1, end);
                        if (next != 0 && !isCSpace((byte) next)) {
                            return false;
                        }
                        done = true;
                    } else if (c == 0) {
                        return false;
                    } else {
                        w = put(buf, w, p, c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> w = put(buf, w, p, c);
                    }
                }
                if (c != 0) {
                    p++;
                }
            }
            request.addArg(tokenStart - base, w - tokenStart);
        }
    }

    /** True if the line has a quote, i.e. splitting it may rewrite bytes. */
    static boolean needsRewrite(ByteBuf buf, int start, int end) {
        return buf.indexOf(start, end, (byte) '"') >= 0 || buf.indexOf(start, end, (byte) '\'') >= 0;
    }

    /** Writes {@code b} at {@code w} unless it is already there (plain text, w == source). */
    private static int put(ByteBuf buf, int w, int source, int b) {
        if (w != source) {
            buf.setByte(w, b);
        }
        return w + 1;
    }

    /** The byte at {@code i}, or 0 past the end (as a C string would read its terminator). */
    private static int at(ByteBuf buf, int i, int end) {
        return i < end ? buf.getByte(i) & 0xFF : 0;
    }

    /** C's isspace in the "C" locale. */
    private static boolean isCSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0B || b == 0x0C;
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hexValue(int c) {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
