package io.ferrite.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class RespWriterTest {

    private static String encode(int protocol, Consumer<RespWriter> replies) {
        return encode(UnpooledByteBufAllocator.DEFAULT, protocol, replies);
    }

    private static String encode(ByteBufAllocator allocator, int protocol, Consumer<RespWriter> replies) {
        RespWriter writer = new RespWriter(allocator).protocol(protocol);
        replies.accept(writer);
        ByteBuf out = writer.take();
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    private static void assertBoth(Consumer<RespWriter> replies, String resp2, String resp3) {
        assertThat(encode(2, replies)).as("RESP2").isEqualTo(resp2);
        assertThat(encode(3, replies)).as("RESP3").isEqualTo(resp3);
    }

    @Test
    void simpleTypes() {
        assertBoth(w -> w.simpleString("OK"), "+OK\r\n", "+OK\r\n");
        assertBoth(w -> w.error("ERR unknown command 'foo'"), "-ERR unknown command 'foo'\r\n", "-ERR unknown command 'foo'\r\n");
        assertBoth(w -> w.simpleString("a\r\nb"), "+a  b\r\n", "+a  b\r\n");
        assertBoth(w -> w.reply(SharedReply.PONG), "+PONG\r\n", "+PONG\r\n");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 9, 10, 99, 100, 1023, 1024, 1025, 123456789, -1, -9, -10, -1024,
            Long.MAX_VALUE, Long.MIN_VALUE, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, -1_000_000_000_000_000_000L})
    void integersAndLengths(long value) {
        assertBoth(w -> w.integer(value), ":" + value + "\r\n", ":" + value + "\r\n");
        assertBoth(w -> w.bulkLong(value), "$" + Long.toString(value).length() + "\r\n" + value + "\r\n",
                "$" + Long.toString(value).length() + "\r\n" + value + "\r\n");
        assertThat(RespWriter.digitCount(value)).isEqualTo(Long.toString(value).length());
    }

    @Test
    void arrayHeaders() {
        assertBoth(w -> w.arrayHeader(0), "*0\r\n", "*0\r\n");
        assertBoth(w -> w.arrayHeader(5000), "*5000\r\n", "*5000\r\n");
        assertBoth(w -> w.mapHeader(2), "*4\r\n", "%2\r\n");
        assertBoth(w -> w.setHeader(3), "*3\r\n", "~3\r\n");
        assertBoth(w -> w.pushHeader(3), "*3\r\n", ">3\r\n");
    }

    @Test
    void nulls() {
        assertBoth(RespWriter::nullBulk, "$-1\r\n", "_\r\n");
        assertBoth(RespWriter::nullArray, "*-1\r\n", "_\r\n");
    }

    @Test
    void bulkFromEverySource() {
        byte[] value = "hello".getBytes(StandardCharsets.US_ASCII);
        assertBoth(w -> w.bulk(value), "$5\r\nhello\r\n", "$5\r\nhello\r\n");
        assertBoth(w -> w.bulk(value, 1, 3), "$3\r\nell\r\n", "$3\r\nell\r\n");
        assertBoth(w -> w.bulk("héllo"), "$6\r\nh\u00c3\u00a9llo\r\n", "$6\r\nh\u00c3\u00a9llo\r\n");
        assertBoth(w -> w.bulk(new byte[0]), "$0\r\n\r\n", "$0\r\n\r\n");
        ByteBuf source = Unpooled.copiedBuffer("xxhelloxx", StandardCharsets.US_ASCII);
        assertBoth(w -> w.bulk(source, 2, 5), "$5\r\nhello\r\n", "$5\r\nhello\r\n");
        assertThat(source.readerIndex()).isZero();
        source.release();
    }

    @Test
    void bulkFromHeapAndNativeSegmentsIntoHeapAndDirectBuffers() {
        byte[] value = "0123456789".getBytes(StandardCharsets.US_ASCII);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offHeap = arena.allocate(value.length);
            offHeap.copyFrom(MemorySegment.ofArray(value));
            for (MemorySegment segment : List.of(MemorySegment.ofArray(value), offHeap)) {
                for (ByteBufAllocator allocator : List.of(new UnpooledByteBufAllocator(false), new UnpooledByteBufAllocator(true))) {
                    assertThat(encode(allocator, 2, w -> w.bulk(segment, 3, 4))).isEqualTo("$4\r\n3456\r\n");
                }
            }
        }
    }

    @Test
    void largeBulkGrowsTheBufferOnce() {
        byte[] big = new byte[100_000];
        String encoded = encode(2, w -> w.simpleString("first").bulk(big));
        assertThat(encoded).startsWith("+first\r\n$100000\r\n").hasSize(8 + 9 + 100_000 + 2);
    }

    @Test
    void doublesUsePercent17g() {
        assertBoth(w -> w.doubleValue(1.1), "$18\r\n1.1000000000000001\r\n", ",1.1000000000000001\r\n");
        assertBoth(w -> w.doubleValue(3), "$1\r\n3\r\n", ",3\r\n");
        assertBoth(w -> w.doubleValue(Double.POSITIVE_INFINITY), "$3\r\ninf\r\n", ",inf\r\n");
        assertBoth(w -> w.doubleValue(Double.NEGATIVE_INFINITY), "$4\r\n-inf\r\n", ",-inf\r\n");
        assertBoth(w -> w.doubleValue(Double.NaN), "$3\r\nnan\r\n", ",nan\r\n");
    }

    @Test
    void booleansVerbatimAndBigNumbers() {
        assertBoth(w -> w.bool(true), ":1\r\n", "#t\r\n");
        assertBoth(w -> w.bool(false), ":0\r\n", "#f\r\n");
        assertBoth(w -> w.verbatim("txt", "Some string".getBytes()), "$11\r\nSome string\r\n", "=15\r\ntxt:Some string\r\n");
        assertBoth(w -> w.bigNumber("3492890328409238509324850943850943825024385"),
                "$43\r\n3492890328409238509324850943850943825024385\r\n", "(3492890328409238509324850943850943825024385\r\n");
    }

    @Test
    void encodesBuiltValuesWithThePatternSwitch() {
        RespValue value = new RespValue.ArrayReply(List.of(
                new RespValue.SimpleString("OK"),
                new RespValue.ErrorReply("ERR x"),
                new RespValue.IntegerReply(-5),
                RespValue.BulkString.of("v"),
                RespValue.NullReply.BULK,
                RespValue.NullReply.ARRAY,
                new RespValue.MapReply(List.of(new RespValue.MapReply.Entry(RespValue.BulkString.of("k"), new RespValue.IntegerReply(1)))),
                new RespValue.SetReply(List.of(RespValue.BulkString.of("m"))),
                new RespValue.DoubleReply(0.5),
                new RespValue.BooleanReply(true),
                new RespValue.VerbatimString("mkd", "# t".getBytes()),
                new RespValue.BigNumber("12"),
                new RespValue.PushReply(List.of(RespValue.BulkString.of("message")))));
        assertBoth(w -> w.value(value),
                "*13\r\n+OK\r\n-ERR x\r\n:-5\r\n$1\r\nv\r\n$-1\r\n*-1\r\n*2\r\n$1\r\nk\r\n:1\r\n*1\r\n$1\r\nm\r\n"
                        + "$3\r\n0.5\r\n:1\r\n$3\r\n# t\r\n$2\r\n12\r\n*1\r\n$7\r\nmessage\r\n",
                "*13\r\n+OK\r\n-ERR x\r\n:-5\r\n$1\r\nv\r\n_\r\n_\r\n%1\r\n$1\r\nk\r\n:1\r\n~1\r\n$1\r\nm\r\n"
                        + ",0.5\r\n#t\r\n=7\r\nmkd:# t\r\n(12\r\n>1\r\n$7\r\nmessage\r\n");
    }

    @Test
    void flushWritesPendingRepliesOnce() {
        EmbeddedChannel channel = new EmbeddedChannel();
        RespWriter writer = new RespWriter(channel.alloc());
        writer.flush(null); // nothing pending: must not touch the context
        assertThat(writer.hasPending()).isFalse();
        writer.reply(SharedReply.OK).integer(7);
        assertThat(writer.pendingBytes()).isEqualTo(9);
        ByteBuf taken = writer.take();
        assertThat(taken.toString(StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n:7\r\n");
        taken.release();
        assertThat(writer.hasPending()).isFalse();
        writer.reply(SharedReply.OK);
        writer.discard();
        assertThat(writer.hasPending()).isFalse();
    }

    @Test
    void resetToMarkDropsLaterReplies() {
        RespWriter writer = new RespWriter(UnpooledByteBufAllocator.DEFAULT);
        int empty = writer.mark();
        writer.integer(1);
        writer.resetTo(empty);
        assertThat(writer.hasPending()).isFalse();
        writer.integer(2);
        int mark = writer.mark();
        writer.bulk("dropped").arrayHeader(3);
        writer.resetTo(mark);
        writer.reply(SharedReply.OK);
        ByteBuf out = writer.take();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(":2\r\n+OK\r\n");
        out.release();
    }

    @Test
    void sharedRepliesAreReadOnlyDuplicates() {
        ByteBuf first = SharedReply.OK.buffer();
        ByteBuf second = SharedReply.OK.buffer();
        first.skipBytes(2);
        assertThat(second.readableBytes()).isEqualTo(5);
        assertThat(first.isReadOnly()).isTrue();
        assertThat(SharedReply.NULL_BULK_RESP2.text()).isEqualTo("$-1\r\n");
    }
}
