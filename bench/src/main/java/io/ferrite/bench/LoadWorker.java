package io.ferrite.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.SplittableRandom;

/**
 * One connection of the run phase, on its own thread: it keeps a pipeline of {@code depth}
 * commands in flight (send a batch of GETs and SETs in one write, read all its replies,
 * repeat) until the {@link RunControl} says stop. Each command's latency is the time from
 * its batch's send to its reply's arrival, recorded only for batches sent after measuring
 * started. Every GET reply is checked to be key's value (length and key prefix), and every
 * {@code verifyEvery}-th one byte for byte; SETs write a fresh generation of the key's value.
 */
final class LoadWorker implements Runnable {
    private static final byte[] GET_HEAD = {'*', '2', '\r', '\n', '$', '3', '\r', '\n', 'G', 'E', 'T', '\r', '\n'};
    private static final byte[] SET_HEAD = {'*', '3', '\r', '\n', '$', '3', '\r', '\n', 'S', 'E', 'T', '\r', '\n'};

    /** The run phase's settings common to every connection. */
    record Settings(int depth, double getRatio, int verifyEvery, TextValues values, KeyDistribution.Chooser keys) {}

    private final Socket socket;
    private final Settings settings;
    private final RunControl control;
    private final ReplyProblems problems;
    private final SplittableRandom random;
    private final LatencyHistogram histogram = new LatencyHistogram();
    private long measuredGets;
    private long measuredSets;
    private long lastReplyNanos;

    LoadWorker(Socket socket, Settings settings, RunControl control, ReplyProblems problems, long seed) {
        this.socket = socket;
        this.settings = settings;
        this.control = control;
        this.problems = problems;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (IOException | RuntimeException e) {
            problems.connectionFailed(e);
            control.stop();
        }
    }

    private void loop() throws IOException {
        int depth = settings.depth();
        int size = settings.values().size();
        TextValues values = settings.values();
        byte[] batch = new byte[depth * (size + 64)];
        int[] keys = new int[depth];
        boolean[] gets = new boolean[depth];
        byte[] body = new byte[size];
        byte[] expected = new byte[size];
        long getsSeen = 0;
        OutputStream out = socket.getOutputStream();
        ReplyReader replies = new ReplyReader(socket.getInputStream());
        while (!control.stopped()) {
            int n = 0;
            for (int j = 0; j < depth; j++) {
                keys[j] = settings.keys().next(random);
                gets[j] = random.nextDouble() < settings.getRatio();
                n = gets[j] ? appendGet(batch, n, keys[j]) : appendSet(batch, n, keys[j], random.nextInt(), values);
            }
            long sent = System.nanoTime();
            out.write(batch, 0, n);
            boolean measured = sent >= control.measureFrom();
            long now = sent;
            for (int j = 0; j < depth; j++) {
                byte type = replies.next();
                if (type == '$' && !replies.isNil()) {
                    if (replies.bulkLength() > body.length) {
                        body = new byte[replies.bulkLength()];
                    }
                    replies.readBulk(body);
                }
                now = System.nanoTime();
                if (measured) {
                    histogram.record(now - sent);
                }
                if (gets[j]) {
                    checkGet(type, replies, keys[j], body, expected, ++getsSeen % settings.verifyEvery() == 0);
                } else if (!replies.isOk()) {
                    problems.errorReply("SET", keys[j], replies.headerLine());
                }
            }
            if (measured) {
                for (boolean get : gets) {
                    if (get) {
                        measuredGets++;
                    } else {
                        measuredSets++;
                    }
                }
                lastReplyNanos = now;
            }
        }
    }

    private void checkGet(byte type, ReplyReader replies, int key, byte[] body, byte[] expected, boolean fully) {
        TextValues values = settings.values();
        if (type == '-') {
            problems.errorReply("GET", key, replies.headerLine());
        } else if (type != '$') {
            problems.wrongReply("not a bulk string", key, replies.headerLine());
        } else if (replies.isNil()) {
            problems.wrongReply("nil (the key was loaded)", key, "$-1");
        } else if (!values.looksRight(body, replies.bulkLength(), key)
                || (fully && !values.exact(body, replies.bulkLength(), key, expected))) {
            problems.wrongReply("not the key's value", key, ReplyProblems.excerpt(body, replies.bulkLength()));
        }
    }

    private static int appendGet(byte[] dst, int offset, int key) {
        System.arraycopy(GET_HEAD, 0, dst, offset, GET_HEAD.length);
        return appendKey(dst, offset + GET_HEAD.length, key);
    }

    private static int appendSet(byte[] dst, int offset, int key, int generation, TextValues values) {
        System.arraycopy(SET_HEAD, 0, dst, offset, SET_HEAD.length);
        int p = appendKey(dst, offset + SET_HEAD.length, key);
        p = appendLength(dst, p, values.size());
        values.write(key, generation, dst, p);
        p += values.size();
        dst[p++] = '\r';
        dst[p++] = '\n';
        return p;
    }

    private static int appendKey(byte[] dst, int offset, int key) {
        int p = appendLength(dst, offset, TextValues.keyLength(key));
        p = TextValues.writeKey(dst, p, key);
        dst[p++] = '\r';
        dst[p++] = '\n';
        return p;
    }

    /** {@code $<length>\r\n}. */
    private static int appendLength(byte[] dst, int offset, int length) {
        dst[offset++] = '$';
        int digits = 1;
        for (int rest = length; rest >= 10; rest /= 10) {
            digits++;
        }
        offset += digits;
        for (int p = offset, rest = length; digits-- > 0; rest /= 10) {
            dst[--p] = (byte) ('0' + rest % 10);
        }
        dst[offset++] = '\r';
        dst[offset++] = '\n';
        return offset;
    }

    LatencyHistogram histogram() {
        return histogram;
    }

    long measuredGets() {
        return measuredGets;
    }

    long measuredSets() {
        return measuredSets;
    }

    /** When this connection's last measured reply arrived (0 if none was measured). */
    long lastReplyNanos() {
        return lastReplyNanos;
    }
}
