package io.ferrite.server.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny RESP client for the compatibility tests: sends a command as a RESP array of bulk
 * strings and reads one reply, keeping its exact bytes (to compare servers byte for byte)
 * and its parsed tree (for the comparisons that ignore order or values).
 */
final class RespConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RespConnection(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = socket.getOutputStream();
    }

    /** One reply: its type byte, its exact bytes, its scalar payload and its elements. */
    record Reply(char type, byte[] raw, byte[] payload, List<Reply> elements) {
        boolean isAggregate() {
            return "*~%>|".indexOf(type) >= 0 && payload == null;
        }

        boolean isMap() {
            return type == '%' || type == '|';
        }

        String text() {
            return payload == null ? null : new String(payload, StandardCharsets.UTF_8);
        }
    }

    void send(List<byte[]> args) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : args) {
            buf.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buf.writeBytes(arg);
            buf.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(buf.toByteArray());
        out.flush();
    }

    Reply call(List<byte[]> args) throws IOException {
        send(args);
        return read();
    }

    Reply call(String... args) throws IOException {
        List<byte[]> bytes = new ArrayList<>();
        for (String arg : args) {
            bytes.add(arg.getBytes(StandardCharsets.UTF_8));
        }
        return call(bytes);
    }

    Reply read() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        return read(raw);
    }

    private Reply read(ByteArrayOutputStream raw) throws IOException {
        int start = raw.size();
        byte[] line = line(raw);
        char type = (char) line[0];
        String rest = new String(line, 1, line.length - 1, StandardCharsets.ISO_8859_1);
        switch (type) {
            case '$', '=', '!' -> {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    return reply(type, raw, start, null, List.of());
                }
                byte[] data = in.readNBytes(length + 2);
                if (data.length != length + 2) {
                    throw new EOFException("connection closed in a bulk reply");
                }
                raw.writeBytes(data);
                return reply(type, raw, start, java.util.Arrays.copyOf(data, length), List.of());
            }
            case '*', '~', '>', '%', '|' -> {
                int count = Integer.parseInt(rest);
                if (count < 0) {
                    return reply(type, raw, start, new byte[0], List.of());
                }
                int items = type == '%' || type == '|' ? 2 * count : count;
                List<Reply> elements = new ArrayList<>(items);
                for (int i = 0; i < items; i++) {
                    elements.add(read(raw));
                }
                return reply(type, raw, start, null, elements);
            }
            default -> {
                return reply(type, raw, start, rest.getBytes(StandardCharsets.ISO_8859_1), List.of());
            }
        }
    }

    private static Reply reply(char type, ByteArrayOutputStream raw, int start, byte[] payload, List<Reply> elements) {
        byte[] all = raw.toByteArray();
        return new Reply(type, java.util.Arrays.copyOfRange(all, start, all.length), payload, elements);
    }

    private byte[] line(ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            raw.write(b);
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return java.util.Arrays.copyOf(bytes, bytes.length - 1);
            }
            line.write(b);
            previous = b;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
