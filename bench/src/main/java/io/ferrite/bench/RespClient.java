package io.ferrite.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal blocking RESP client for the few control commands a benchmark sends (PING, INFO,
 * DBSIZE, SHUTDOWN); the load itself is pipelined over raw sockets elsewhere.
 */
final class RespClient {
    private final OutputStream out;
    private final ReplyReader replies;

    RespClient(Socket socket) throws IOException {
        this.out = socket.getOutputStream();
        this.replies = new ReplyReader(socket.getInputStream());
    }

    /** A TCP_NODELAY connection to {@code port} on the loopback address. */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        return socket;
    }

    /** Sends a command; returns a simple/bulk string or integer reply as text (nil as null). */
    String call(String... args) throws IOException {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return switch (replies.next()) {
            case '+', ':' -> replies.text();
            case '$' -> {
                if (replies.isNil()) {
                    yield null;
                }
                byte[] body = new byte[replies.bulkLength()];
                replies.readBulk(body);
                yield new String(body, StandardCharsets.UTF_8);
            }
            default -> throw new IOException("server error: " + replies.headerLine());
        };
    }

    /** {@code INFO section} as field name to value, in the server's order (section headers dropped). */
    Map<String, String> info(String section) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        String text = call("INFO", section);
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    /** One field of an INFO reply's text; fails when the field is missing. */
    static String infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new IllegalStateException("INFO has no " + field);
    }
}
