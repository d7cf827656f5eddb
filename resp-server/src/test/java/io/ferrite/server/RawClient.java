package io.ferrite.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A minimal RESP client over a plain socket, for tests that need exact bytes. */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code args} as a RESP array. */
    public RawClient send(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        return sendRaw(sb.toString());
    }

    public RawClient sendRaw(String raw) {
        return sendRaw(raw.getBytes(StandardCharsets.UTF_8));
    }

    public RawClient sendRaw(byte[] raw) {
        try {
            out.write(raw);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Reads one whole reply and returns its raw text. */
    public String reply() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        readValue(buf);
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Sends {@code args} and returns the raw reply. */
    public String call(String... args) {
        return send(args).reply();
    }

    private void readValue(ByteArrayOutputStream buf) {
        String line = readLine(buf);
        char type = line.charAt(0);
        switch (type) {
            case '$', '=' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length >= 0) {
                    readExactly(buf, length + 2);
                }
            }
            case '*', '~', '>', '%' -> {
                int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < count * (type == '%' ? 2 : 1); i++) {
                    readValue(buf);
                }
            }
            default -> { }
        }
    }

    private String readLine(ByteArrayOutputStream buf) {
        StringBuilder line = new StringBuilder();
        try {
            int prev = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IllegalStateException("connection closed; read so far: " + buf);
                }
                buf.write(b);
                if (prev == '\r' && b == '\n') {
                    return line.substring(0, line.length() - 1);
                }
                line.append((char) b);
                prev = b;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readExactly(ByteArrayOutputStream buf, int n) {
        try {
            buf.write(in.readNBytes(n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the server closed the connection (reads EOF within the timeout). */
    public boolean isClosedByServer() {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    public void timeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
