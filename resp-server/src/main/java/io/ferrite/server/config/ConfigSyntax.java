package io.ferrite.server.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text rules redis.conf shares with redis-server's command line: splitting a line into
 * arguments like {@code sdssplitargs}, quoting a value back like {@code sdscatrepr}, and
 * strict integers like {@code string2ll}.
 */
public final class ConfigSyntax {
    private ConfigSyntax() {
    }

    /**
     * Splits {@code line} into arguments: blanks separate them; {@code "..."} understands
     * {@code \n \r \t \b \a \xHH} and {@code \<any>}; {@code '...'} understands {@code \'}; a
     * closing quote must be followed by a blank or the end. Returns null on unbalanced quotes.
     * The text is handled as Latin-1 so {@code \xHH} escapes map to single bytes; callers that
     * need UTF-8 convert with {@link #latin1ToUtf8}.
     */
    public static List<String> splitArgs(String line) {
        List<String> args = new ArrayList<>();
        int p = 0;
        int n = line.length();
        while (true) {
            while (p < n && isSpace(line.charAt(p))) {
                p++;
            }
            if (p >= n || line.charAt(p) == 0) {
                return args;
            }
            StringBuilder current = new StringBuilder();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                char c = p < n ? line.charAt(p) : 0;
                char next = p + 1 < n ? line.charAt(p + 1) : 0;
                if (inDouble) {
                    if (c == '\\' && next == 'x' && p + 3 < n && isHex(line.charAt(p + 2)) && isHex(line.charAt(p + 3))) {
                        current.append((char) (Character.digit(line.charAt(p + 2), 16) * 16 + Character.digit(line.charAt(p + 3), 16)));
                        p += 3;
                    } else if (c == '\\' && next != 0) {
                        p++;
                        current.append(switch (next) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> (char) 7;
                            default -> next;
                        });
                    } else if (c == '"') {
                        if (next != 0 && !isSpace(next)) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        current.append(c);
                    }
                } else if (inSingle) {
                    if (c == '\\' && next == '\'') {
                        p++;
                        current.append('\'');
                    } else if (c == '\'') {
                        if (next != 0 && !isSpace(next)) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        current.append(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> current.append(c);
                    }
                }
                if (c != 0) {
                    p++;
                }
            }
            args.add(current.toString());
        }
    }

    /** Quotes {@code value} as {@code sdscatrepr} does: in double quotes, escaping what would not survive {@link #splitArgs}. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (byte raw : bytes) {
            int b = raw & 0xFF;
            switch (b) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                default -> {
                    if (b >= 0x20 && b < 0x7F) {
                        out.append((char) b);
                    } else {
                        out.append(String.format("\\x%02x", b));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Reinterprets a {@link #splitArgs} result (one char per byte) as UTF-8 text. */
    public static String latin1ToUtf8(String latin1) {
        for (int i = 0; i < latin1.length(); i++) {
            if (latin1.charAt(i) > 0x7F) {
                return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return latin1;
    }

    /**
     * Parses a signed 64-bit integer with Redis's {@code string2ll} rules (no '+', no spaces,
     * no leading zeros, no "-0"); returns null if {@code text} is not one.
     */
    public static Long parseLong(String text) {
        int n = text.length();
        if (n == 0 || n > 20) {
            return null;
        }
        if (text.equals("0")) {
            return 0L;
        }
        int first = text.charAt(0) == '-' ? 1 : 0;
        if (first == n || text.charAt(first) < '1' || text.charAt(first) > '9') {
            return null;
        }
        for (int i = first + 1; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException overflow) {
            return null;
        }
    }

    /** Like C's {@code strtoll(s, &end, 10)} followed by {@code *end == '\0'}: Redis's looser check for save and buffer-limit fields. */
    static Long parseStrtoll(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && isSpace(text.charAt(i))) {
            i++;
        }
        int start = i;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        if (i != n) {
            return null;
        }
        if (i == digits) {
            return 0L; // strtoll of "" (or a lone sign) consumes nothing and yields 0
        }
        try {
            return Long.parseLong(text.substring(start).startsWith("+") ? text.substring(start + 1) : text.substring(start));
        } catch (NumberFormatException overflow) {
            return text.charAt(start) == '-' ? Long.MIN_VALUE : Long.MAX_VALUE; // strtoll saturates
        }
    }

    /** C's isspace in the "C" locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }
}
