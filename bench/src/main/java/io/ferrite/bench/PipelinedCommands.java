package io.ferrite.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Bulk loading as {@code redis-cli --pipe} does it: a writer thread streams commands
 * {@code 0 .. n-1} over one socket without waiting, while the calling thread reads the replies.
 * Error replies do not stop the load: they are counted by message and returned, so that a
 * server refusing writes (say, {@code -OOM} past {@code maxmemory}) is reported as "N of M
 * commands failed with ..." rather than as the first bad reply. A reply counts as a success
 * when it is {@code +OK} or an integer (what SET, HSET and SADD answer).
 */
final class PipelinedCommands {
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    private PipelinedCommands() {}

    /**
     * Sends {@code SET key(i) value(i)} for every {@code i} in {@code [from, to)}; returns the
     * error replies by message (empty when every reply was {@code +OK}). {@code value} may
     * return the same buffer every time: each value is written out before the next is asked for.
     */
    static Map<String, Long> sets(Socket socket, int from, int to, IntFunction<byte[]> key, IntFunction<byte[]> value)
            throws IOException, InterruptedException {
        byte[][] command = {SET, null, null};
        return load(socket, from, to, i -> {
            command[1] = key.apply(i);
            command[2] = value.apply(i);
            return command;
        });
    }

    /**
     * Sends {@code command(i)} (its arguments, name first) for every {@code i} in
     * {@code [from, to)}; returns the error replies by message. The array may be reused: each
     * command is written out before the next is asked for.
     */
    static Map<String, Long> load(Socket socket, int from, int to, IntFunction<byte[][]> command)
            throws IOException, InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().name("command-pipeline-writer").start(() -> {
            try {
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                for (int i = from; i < to; i++) {
                    byte[][] args = command.apply(i);
                    out.write('*');
                    out.write(Integer.toString(args.length).getBytes(StandardCharsets.US_ASCII));
                    out.write(CRLF);
                    for (byte[] arg : args) {
                        writeBulk(out, arg);
                    }
                }
                out.flush();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Map<String, Long> errors = new TreeMap<>();
        try {
            ReplyReader replies = new ReplyReader(socket.getInputStream());
            for (int i = from; i < to; i++) {
                byte type = replies.next();
                if (replies.isOk() || type == ':') {
                    continue;
                }
                if (type == '$' && !replies.isNil()) {
                    replies.skipBulk();
                }
                errors.merge(type == '-' ? replies.headerLine() : "unexpected reply " + replies.headerLine(), 1L, Long::sum);
            }
        } catch (IOException e) {
            socket.close(); // unblocks the writer, should the server have stopped reading
            writer.join();
            throw e;
        }
        writer.join();
        if (failure.get() != null) {
            throw new IOException("writing commands failed", failure.get());
        }
        return errors;
    }

    private static void writeBulk(OutputStream out, byte[] bytes) throws IOException {
        out.write('$');
        out.write(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
        out.write(bytes);
        out.write(CRLF);
    }
}
