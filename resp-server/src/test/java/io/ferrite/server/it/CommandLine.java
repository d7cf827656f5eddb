package io.ferrite.server.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line the way redis-cli does (its sdssplitargs): blanks separate arguments;
 * "double quotes" understand \n \r \t \b \a, \xHH and \ before any other character;
 * 'single quotes' only \'. A closing quote must be followed by a blank or the end.
 */
final class CommandLine {
    private CommandLine() {}

    static List<byte[]> split(String line) {
        byte[] p = line.getBytes(StandardCharsets.UTF_8);
        List<byte[]> args = new ArrayList<>();
        int i = 0;
        while (true) {
            while (i < p.length && isSpace(p[i])) {
                i++;
            }
            if (i >= p.length) {
                return args;
            }
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                int c = i < p.length ? p[i] : 0;
                int next = i + 1 < p.length ? p[i + 1] : 0;
                if (inDouble) {
                    if (c == '\\' && next == 'x' && i + 3 < p.length && isHex(p[i + 2]) && isHex(p[i + 3])) {
                        current.write(Integer.parseInt(new String(p, i + 2, 2, StandardCharsets.US_ASCII), 16));
                        i += 3;
                    } else if (c == '\\' && next != 0) {
                        i++;
                        current.write(switch (p[i]) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> p[i];
                        });
                    } else if (c == '"') {
                        if (next != 0 && !isSpace((byte) next)) {
                            throw new IllegalArgumentException("closing quote must be followed by a space: " + line);
                        }
                        done = true;
                    } else if (c == 0 && i >= p.length) {
                        throw new IllegalArgumentException("unbalanced quotes: " + line);
                    } else {
                        current.write(c);
                    }
                } else if (inSingle) {
                    if (c == '\\' && next == '\'') {
                        i++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (next != 0 && !isSpace((byte) next)) {
                            throw new IllegalArgumentException("closing quote must be followed by a space: " + line);
                        }
                        done = true;
                    } else if (c == 0 && i >= p.length) {
                        throw new IllegalArgumentException("unbalanced quotes: " + line);
                    } else {
                        current.write(c);
                    }
                } else if (i >= p.length || isSpace((byte) c)) {
                    done = true;
                } else if (c == '"') {
                    inDouble = true;
                } else if (c == '\'') {
                    inSingle = true;
                } else {
                    current.write(c);
                }
                if (i < p.length) {
                    i++;
                }
            }
            args.add(current.toByteArray());
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0B || b == '\f';
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }
}
