package io.ferrite.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random streams through the decoder: valid ones must decode to exactly what was encoded,
 * whatever the fragmentation; corrupted and truncated ones must never throw out of the
 * pipeline, hang, or leak a buffer.
 */
class RespDecoderFuzzTest {
    private static final long SEED = 0xFE22173L;

    private record Stream(byte[] bytes, List<List<String>> requests) {
    }

    private static Stream randomStream(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<List<String>> requests = new ArrayList<>();
        int count = 1 + random.nextInt(8);
        for (int r = 0; r < count; r++) {
            switch (random.nextInt(10)) {
                case 0 -> out.writeBytes(random.nextBoolean() ? "*0\r\n".getBytes() : "\r\n".getBytes());
                case 1, 2 -> {
                    List<String> args = new ArrayList<>();
                    int argc = 1 + random.nextInt(4);
                    StringBuilder line = new StringBuilder();
                    for (int a = 0; a < argc; a++) {
                        StringBuilder arg = new StringBuilder();
                        int length = 1 + random.nextInt(8);
                        for (int i = 0; i < length; i++) {
                            arg.append((char) ('!' + random.nextInt(90)));
                        }
                        String plain = arg.toString().replace("\"", "").replace("'", "").replace("*", "");
                        if (plain.isEmpty()) {
                            plain = "x";
                        }
                        args.add(plain);
                        line.append(a == 0 ? "" : " ".repeat(1 + random.nextInt(2))).append(plain);
                    }
                    out.writeBytes(line.append(random.nextBoolean() ? "\r\n" : "\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                    requests.add(args);
                }
                default -> {
                    List<String> args = new ArrayList<>();
                    int argc = 1 + random.nextInt(6);
                    out.writeBytes(("*" + argc + "\r\n").getBytes());
                    for (int a = 0; a < argc; a++) {
                        int length = random.nextInt(10) == 0 ? random.nextInt(3000) : random.nextInt(12);
                        byte[] arg = new byte[length];
                        random.nextBytes(arg);
                        out.writeBytes(("$" + length + "\r\n").getBytes());
                        out.writeBytes(arg);
                        out.writeBytes("\r\n".getBytes());
                        args.add(new String(arg, StandardCharsets.ISO_8859_1));
                    }
                    requests.add(args);
                }
            }
        }
        return new Stream(out.toByteArray(), requests);
    }

    /** Feeds {@code data} in random fragments; returns the input buffers for leak checks. */
    private static List<ByteBuf> feed(EmbeddedChannel channel, byte[] data, Random random) {
        List<ByteBuf> sent = new ArrayList<>();
        int at = 0;
        while (at < data.length && channel.isOpen()) {
            int size = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 1 + random.nextInt(data.length);
            size = Math.min(size, data.length - at);
            ByteBuf buf = Unpooled.copiedBuffer(data, at, size);
            sent.add(buf);
            channel.writeInbound(buf); // rethrows anything that reached the end of the pipeline
            at += size;
        }
        return sent;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void validStreamsDecodeExactlyWhateverTheFragmentation() {
        Random random = new Random(SEED);
        for (int iteration = 0; iteration < 3000; iteration++) {
            Stream stream = randomStream(random);
            RecordingHandler handler = new RecordingHandler();
            EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder(handler, new ProtocolLimits()));
            List<ByteBuf> sent = feed(channel, stream.bytes(), random);
            assertThat(handler.requests).as("iteration %d", iteration).isEqualTo(stream.requests());
            assertThat(channel.isOpen()).isTrue();
            channel.finishAndReleaseAll();
            assertThat(sent).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void corruptedStreamsNeverThrowHangOrLeak() {
        Random random = new Random(SEED + 1);
        for (int iteration = 0; iteration < 20_000; iteration++) {
            byte[] data = randomStream(random).bytes();
            data = corrupt(data, random);
            ProtocolLimits limits = new ProtocolLimits();
            if (random.nextBoolean()) {
                limits.maxInlineSize(1 + random.nextInt(64))
                        .maxBulkLength(1 + random.nextInt(64))
                        .maxMultibulkLength(1 + random.nextInt(4))
                        .queryBufferLimit(1 + random.nextInt(256));
            }
            RecordingHandler handler = new RecordingHandler();
            RespDecoder decoder = new RespDecoder(handler, limits);
            decoder.requireAuthentication(random.nextInt(4) == 0);
            EmbeddedChannel channel = new EmbeddedChannel(decoder);
            List<ByteBuf> sent = feed(channel, data, random);
            for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
                String reply = out.toString(StandardCharsets.ISO_8859_1);
                assertThat(reply).startsWith("-ERR Protocol error: ").endsWith("\r\n");
                assertThat(channel.isOpen()).isFalse();
                out.release();
            }
            channel.finishAndReleaseAll();
            assertThat(sent).as("iteration %d", iteration).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        }
    }

    private static byte[] corrupt(byte[] data, Random random) {
        byte[] copy = data.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(4); i < n && copy.length > 0; i++) {
                    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> copy = java.util.Arrays.copyOf(copy, random.nextInt(copy.length + 1));
            case 2 -> {
                byte[] garbage = new byte[random.nextInt(64)];
                random.nextBytes(garbage);
                int at = random.nextInt(copy.length + 1);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(copy, 0, at);
                out.writeBytes(garbage);
                out.write(copy, at, copy.length - at);
                copy = out.toByteArray();
            }
            default -> {
                byte[] special = {'*', '$', '\r', '\n', '-', '0', '9', '"', '\'', '\\', 'x', ' ', 0};
                for (int i = 0, n = 1 + random.nextInt(6); i < n && copy.length > 0; i++) {
                    copy[random.nextInt(copy.length)] = special[random.nextInt(special.length)];
                }
            }
        }
        return copy;
    }
}
