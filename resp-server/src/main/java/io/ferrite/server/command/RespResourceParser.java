package io.ferrite.server.command;

import io.ferrite.server.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses RESP3 values from a byte array: used once at start-up to load the command table
 * captured from Redis (tools/capture_command_table.py). Not a network decoder.
 */
final class RespResourceParser {
    private final byte[] data;
    private int pos;

    RespResourceParser(byte[] data) {
        this.data = data;
    }

    boolean hasMore() {
        return pos < data.length;
    }

    RespValue next() {
        char type = (char) data[pos++];
        String line = line();
        return switch (type) {
            case '+' -> new RespValue.SimpleString(line);
            case '-' -> new RespValue.ErrorReply(line);
            case ':' -> new RespValue.IntegerReply(Long.parseLong(line));
            case ',' -> new RespValue.DoubleReply(Double.parseDouble(line));
            case '#' -> new RespValue.BooleanReply(line.equals("t"));
            case '_' -> RespValue.NullReply.BULK;
            case '$', '=' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield RespValue.NullReply.BULK;
                }
                byte[] bytes = new byte[length];
                System.arraycopy(data, pos, bytes, 0, length);
                pos += length + 2;
                yield new RespValue.BulkString(bytes);
            }
            case '*', '~' -> {
                int count = Integer.parseInt(line);
                List<RespValue> elements = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    elements.add(next());
                }
                yield type == '*' ? new RespValue.ArrayReply(elements) : new RespValue.SetReply(elements);
            }
            case '%' -> {
                int count = Integer.parseInt(line);
                List<RespValue.MapReply.Entry> entries = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    entries.add(new RespValue.MapReply.Entry(next(), next()));
                }
                yield new RespValue.MapReply(entries);
            }
            default -> throw new IllegalArgumentException("unexpected RESP type '" + type + "' at " + (pos - 1));
        };
    }

    private String line() {
        int start = pos;
        while (data[pos] != '\r') {
            pos++;
        }
        String line = new String(data, start, pos - start, StandardCharsets.UTF_8);
        pos += 2;
        return line;
    }
}
