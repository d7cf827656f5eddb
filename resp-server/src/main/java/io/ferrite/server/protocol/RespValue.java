package io.ferrite.server.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A reply as an immutable value, one record per RESP3 type, for replies that are built
 * rather than streamed (CONFIG GET, HELLO, COMMAND DOCS) and for tests. Hot paths call the
 * {@link RespWriter} methods directly instead; {@link RespWriter#value} encodes these with a
 * pattern switch, mapping each type down to RESP2 where needed.
 */
public sealed interface RespValue {

    /** The text of a bulk or simple string (UTF-8). */
    static String text(RespValue value) {
        return switch (value) {
            case BulkString b -> new String(b.bytes(), StandardCharsets.UTF_8);
            case SimpleString s -> s.text();
            default -> throw new IllegalArgumentException("not a string: " + value);
        };
    }

    /** The value of an integer reply. */
    static long integer(RespValue value) {
        return ((IntegerReply) value).value();
    }

    /** The elements of an array or set; empty for anything else. */
    static List<RespValue> elements(RespValue value) {
        return switch (value) {
            case ArrayReply a -> a.elements();
            case SetReply s -> s.elements();
            default -> List.of();
        };
    }


    /** {@code +text}: a short status line without CR or LF. */
    record SimpleString(String text) implements RespValue {
        public SimpleString {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code -CODE message}: the full text including its code, e.g. "ERR syntax error". */
    record ErrorReply(String text) implements RespValue {
        public ErrorReply {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code :n}. */
    record IntegerReply(long value) implements RespValue {
    }

    /** {@code $len} binary-safe string. The array is not copied: do not change it afterwards. */
    record BulkString(byte[] bytes) implements RespValue {
        public BulkString {
            Objects.requireNonNull(bytes, "bytes");
        }

        /** A bulk string of {@code text} in UTF-8. */
        public static BulkString of(String text) {
            return new BulkString(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The null value: {@code _} in RESP3, {@code $-1} (or {@code *-1} if {@link #array}) in RESP2. */
    record NullReply(boolean array) implements RespValue {
        public static final NullReply BULK = new NullReply(false);
        public static final NullReply ARRAY = new NullReply(true);
    }

    /** {@code *n} followed by the elements. */
    record ArrayReply(List<RespValue> elements) implements RespValue {
        public ArrayReply {
            elements = List.copyOf(elements);
        }
    }

    /** {@code %n} key/value pairs in RESP3; a flat array of 2n elements in RESP2. */
    record MapReply(List<Entry> entries) implements RespValue {
        public MapReply {
            entries = List.copyOf(entries);
        }

        /** One key and its value. */
        public record Entry(RespValue key, RespValue value) {
            public Entry {
                Objects.requireNonNull(key, "key");
                Objects.requireNonNull(value, "value");
            }
        }
    }

    /** {@code ~n} in RESP3; an array in RESP2. */
    record SetReply(List<RespValue> elements) implements RespValue {
        public SetReply {
            elements = List.copyOf(elements);
        }
    }

    /** {@code ,d} in RESP3; a bulk string formatted like {@code %.17g} in RESP2. */
    record DoubleReply(double value) implements RespValue {
    }

    /** {@code #t}/{@code #f} in RESP3; the integer 1/0 in RESP2. */
    record BooleanReply(boolean value) implements RespValue {
    }

    /** {@code =len\r\nfmt:text} in RESP3 (format is three characters, e.g. "txt"); a bulk string of the text in RESP2. */
    record VerbatimString(String format, byte[] text) implements RespValue {
        public VerbatimString {
            if (format.length() != 3) {
                throw new IllegalArgumentException("verbatim format must be 3 characters: " + format);
            }
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code (digits} in RESP3; a bulk string in RESP2. */
    record BigNumber(String digits) implements RespValue {
        public BigNumber {
            Objects.requireNonNull(digits, "digits");
        }
    }

    /** {@code >n} out-of-band push in RESP3 (pub/sub messages); an array in RESP2. */
    record PushReply(List<RespValue> elements) implements RespValue {
        public PushReply {
            elements = List.copyOf(elements);
        }
    }
}
