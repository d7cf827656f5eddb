package io.ferrite.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespDecoderTest {
    private final RecordingHandler handler = new RecordingHandler();
    private final ProtocolLimits limits = new ProtocolLimits();
    private final RespDecoder decoder = new RespDecoder(handler, limits);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);
    private final List<ByteBuf> sent = new ArrayList<>();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void send(String text) {
        send(bytes(text));
    }

    private void send(byte[] data) {
        ByteBuf buf = Unpooled.copiedBuffer(data);
        sent.add(buf);
        channel.writeInbound(buf);
    }

    private String output() {
        StringBuilder text = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            text.append(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }
        return text.toString();
    }

    private void assertAllInputReleased() {
        channel.finishAndReleaseAll();
        assertThat(sent).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    }

    private void assertProtocolError(String input, String expectedReply) {
        send(input);
        assertThat(output()).isEqualTo("-ERR " + expectedReply + "\r\n");
        assertThat(channel.isOpen()).isFalse();
        assertAllInputReleased();
    }

    @Test
    void decodesMultibulkRequest() {
        send("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");
        assertThat(handler.requests).containsExactly(List.of("SET", "key", "value"));
        assertThat(handler.batches).isEqualTo(1);
        assertThat(channel.isOpen()).isTrue();
        assertAllInputReleased();
    }

    @Test
    void decodesBinaryAndEmptyArguments() {
        send("*3\r\n$3\r\nSET\r\n$0\r\n\r\n$4\r\n\r\n\0\u00ff\r\n");
        assertThat(handler.requests).containsExactly(List.of("SET", "", "\r\n\0\u00ff"));
        assertAllInputReleased();
    }

    @Test
    void decodesInlineRequest() {
        send("SET key value\r\nPING\nget  key \r\n");
        assertThat(handler.requests).containsExactly(
                List.of("SET", "key", "value"), List.of("PING"), List.of("get", "key"));
        assertThat(handler.batches).isEqualTo(1);
        assertAllInputReleased();
    }

    @Test
    void skipsEmptyRequestsAsRedisDoes() {
        send("*0\r\n*-1\r\n*-10\r\n\r\n   \r\n\n*1\r\n$4\r\nPING\r\n");
        assertThat(handler.requests).containsExactly(List.of("PING"));
        assertThat(channel.isOpen()).isTrue();
        assertAllInputReleased();
    }

    /** Requests mixing every shape, used to split the stream everywhere. */
    private static final String STREAM = "*2\r\n$4\r\nECHO\r\n$12\r\nhello\r\nworld\r\n"
            + "PING\r\n"
            + "*1\r\n$4\r\nPING\r\n"
            + "*0\r\n"
            + "set \"a b\" 'c d' \"\\x41\\n\"\r\n"
            + "*3\r\n$3\r\nSET\r\n$10\r\n0123456789\r\n$0\r\n\r\n";
    private static final List<List<String>> STREAM_REQUESTS = List.of(
            List.of("ECHO", "hello\r\nworld"),
            List.of("PING"),
            List.of("PING"),
            List.of("set", "a b", "c d", "A\n"),
            List.of("SET", "0123456789", ""));

    @Test
    void decodesStreamSplitAtEveryPoint() {
        byte[] all = bytes(STREAM);
        for (int split = 0; split <= all.length; split++) {
            RecordingHandler recorder = new RecordingHandler();
            EmbeddedChannel ch = new EmbeddedChannel(new RespDecoder(recorder, limits));
            ch.writeInbound(Unpooled.copiedBuffer(all, 0, split));
            ch.writeInbound(Unpooled.copiedBuffer(all, split, all.length - split));
            assertThat(recorder.requests).as("split at %d", split).isEqualTo(STREAM_REQUESTS);
            assertThat(ch.isOpen()).isTrue();
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void decodesStreamSplitAtEveryPairOfPoints() {
        byte[] all = bytes(STREAM);
        for (int first = 0; first <= all.length; first++) {
            for (int second = first; second <= all.length; second++) {
                RecordingHandler recorder = new RecordingHandler();
                EmbeddedChannel ch = new EmbeddedChannel(new RespDecoder(recorder, limits));
                ch.writeInbound(Unpooled.copiedBuffer(all, 0, first));
                ch.writeInbound(Unpooled.copiedBuffer(all, first, second - first));
                ch.writeInbound(Unpooled.copiedBuffer(all, second, all.length - second));
                assertThat(recorder.requests).as("split at %d and %d", first, second).isEqualTo(STREAM_REQUESTS);
                ch.finishAndReleaseAll();
            }
        }
    }

    @Test
    void decodesStreamFedByteByByte() {
        for (byte b : bytes(STREAM)) {
            send(new byte[] {b});
        }
        assertThat(handler.requests).isEqualTo(STREAM_REQUESTS);
        assertAllInputReleased();
    }

    @Test
    void dispatchesDeepPipelineInOrderWithOneBatchEnd() {
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String n = Integer.toString(i);
            pipeline.append("*2\r\n$4\r\nINCR\r\n$").append(n.length()).append("\r\n").append(n).append("\r\n");
        }
        send(pipeline.toString());
        assertThat(handler.requests).hasSize(10_000);
        assertThat(handler.requests.get(9_999)).containsExactly("INCR", "9999");
        assertThat(handler.batches).isEqualTo(1);
        assertAllInputReleased();
    }

    @Test
    void oneBatchEndPerReadEvenWhenTheReadCarriesManyBuffers() {
        channel.writeOneInbound(Unpooled.copiedBuffer(bytes("PING\r\n")));
        channel.writeOneInbound(Unpooled.copiedBuffer(bytes("PING\r\n")));
        channel.flushInbound();
        assertThat(handler.requests).hasSize(2);
        assertThat(handler.batches).isEqualTo(1);
    }

    @Test
    void noBatchEndWhenNothingWasDispatched() {
        send("*2\r\n$3\r\nGET");
        assertThat(handler.batches).isZero();
        send("\r\n$1\r\nk\r\n");
        assertThat(handler.batches).isEqualTo(1);
        assertAllInputReleased();
    }

    @Test
    void largeBulkArrivingInSmallFragments() {
        byte[] value = new byte[1 << 20];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('a' + i % 26);
        }
        byte[] head = bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + value.length + "\r\n");
        send(head);
        for (int at = 0; at < value.length; at += 1000) {
            send(Arrays.copyOfRange(value, at, Math.min(value.length, at + 1000)));
        }
        assertThat(handler.requests).isEmpty();
        send("\r\n");
        assertThat(handler.requests).hasSize(1);
        assertThat(handler.requests.getFirst().get(2).getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(value);
        assertAllInputReleased();
    }

    @Test
    void argumentCapacityGrowsAndIsReused() {
        StringBuilder request = new StringBuilder("*101\r\n$4\r\nMSET\r\n");
        for (int i = 0; i < 100; i++) {
            request.append("$1\r\n").append((char) ('a' + i % 26)).append("\r\n");
        }
        send(request.toString());
        send(request.toString());
        assertThat(handler.requests).hasSize(2);
        assertThat(handler.requests.get(1)).hasSize(101).endsWith("v");
        assertAllInputReleased();
    }

    @Test
    void requestIsReadableInPlaceDuringHandle() {
        byte[] get = bytes("GET");
        List<Boolean> matches = new ArrayList<>();
        handler.onRequest = (ctx, request) -> {
            matches.add(request.argEqualsIgnoreCase(0, get));
            assertThat(request.buffer().getByte(request.argOffset(1))).isEqualTo((byte) 'k');
        };
        send("*2\r\n$3\r\ngEt\r\n$1\r\nk\r\nget k\r\n*2\r\n$3\r\nSET\r\n$1\r\nk\r\n");
        assertThat(matches).containsExactly(true, true, false);
    }

    // --- inline quoting -------------------------------------------------------------------

    static Stream<Arguments> inlineLines() {
        return Stream.of(
                Arguments.of("set \"a b\" c", List.of("set", "a b", "c")),
                Arguments.of("set 'a b' c", List.of("set", "a b", "c")),
                Arguments.of("echo \"\\x41\\x4a\\x4A\\xzz\"", List.of("echo", "AJJxzz")),
                Arguments.of("echo \"tab\\there\\r\\n\\b\\a\\\\\\\"q\"", List.of("echo", "tab\there\r\n\b\u0007\\\"q")),
                Arguments.of("echo 'it\\'s' 'back\\slash'", List.of("echo", "it's", "back\\slash")),
                Arguments.of("echo \"\"", List.of("echo", "")),
                Arguments.of("echo ''", List.of("echo", "")),
                Arguments.of("echo a\"b c\"", List.of("echo", "ab c")),
                Arguments.of("  lead   trail  ", List.of("lead", "trail")),
                Arguments.of("echo a\tb\u000bc", List.of("echo", "a", "b\u000bc")),
                Arguments.of("echo \"x\"\u000b\"y\"", List.of("echo", "x", "y")));
    }

    @ParameterizedTest
    @MethodSource("inlineLines")
    void inlineQuotingFollowsSdssplitargs(String line, List<String> expected) {
        send(line + "\r\n");
        assertThat(handler.requests).containsExactly(expected);
        assertAllInputReleased();
    }

    @Test
    void inlineNulEndsTheLineLikeACString() {
        send("echo a\0 ignored\r\nPING\r\n");
        assertThat(handler.requests).containsExactly(List.of("echo", "a"), List.of("PING"));
    }

    @Test
    void inlineUnquotingDoesNotWriteIntoAdoptedBuffers() {
        byte[] original = bytes("echo \"a\\x41\"\r\n");
        ByteBuf wrapped = Unpooled.wrappedBuffer(original.clone());
        byte[] backing = wrapped.array();
        channel.writeInbound(wrapped);
        assertThat(handler.requests).containsExactly(List.of("echo", "aA"));
        assertThat(backing).isEqualTo(original);
    }

    // --- protocol errors --------------------------------------------------------------------

    @Test
    void wrongMultibulkPayloadHeader() {
        assertProtocolError("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", "Protocol error: expected '$', got 'f'");
        assertThat(handler.requests).isEmpty();
    }

    @Test
    void crAsUnexpectedTypeIsReportedAsSpace() {
        assertProtocolError("*1\r\n\r\n", "Protocol error: expected '$', got ' '");
    }

    @ParameterizedTest
    @CsvSource({"*20000000", "*abc", "*", "*1a", "*01", "*+1", "*99999999999999999999999"})
    void invalidMultibulkLength(String line) {
        assertProtocolError(line + "\r\n", "Protocol error: invalid multibulk length");
    }

    @Test
    void multibulkCountLineWithoutLfIsInvalid() {
        assertProtocolError("*1\rX$4\r\nPING\r\n", "Protocol error: invalid multibulk length");
    }

    @ParameterizedTest
    @CsvSource({"$-1", "$-10", "$abc", "$", "$1x", "$536870913"})
    void invalidBulkLength(String line) {
        assertProtocolError("*1\r\n" + line + "\r\n", "Protocol error: invalid bulk length");
    }

    @Test
    void bulkLengthLimitIsReadAtRuntime() {
        send("*1\r\n$100\r\n" + "x".repeat(100) + "\r\n");
        assertThat(handler.requests).hasSize(1);
        limits.maxBulkLength(99);
        assertProtocolError("*1\r\n$100\r\n", "Protocol error: invalid bulk length");
    }

    @Test
    void multibulkLimitIsReadAtRuntime() {
        limits.maxMultibulkLength(2);
        assertProtocolError("*3\r\n", "Protocol error: invalid multibulk length");
    }

    @Test
    void missingCrlfAfterBulk() {
        assertProtocolError("*1\r\n$4\r\nPINGxx", "Protocol error: expected CRLF after bulk argument");
    }

    @Test
    void tooBigInlineRequest() {
        send("x".repeat(64 * 1024));
        assertThat(channel.isOpen()).isTrue();
        assertProtocolError("y", "Protocol error: too big inline request");
    }

    @Test
    void inlineRequestOfExactlyTheLimitIsAccepted() {
        send("x".repeat(64 * 1024));
        send("\n");
        assertThat(handler.requests).hasSize(1);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void tooBigMultibulkCountString() {
        assertProtocolError("*" + "1".repeat(64 * 1024), "Protocol error: too big mbulk count string");
    }

    @Test
    void tooBigBulkCountString() {
        assertProtocolError("*1\r\n$" + "1".repeat(64 * 1024), "Protocol error: too big bulk count string");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"set \"foo", "set 'foo", "set \"foo\"bar", "set 'a'b", "echo \"a\\\""})
    void unbalancedQuotes(String line) {
        assertProtocolError(line + "\r\n", "Protocol error: unbalanced quotes in request");
    }

    @Test
    void repliesBeforeTheErrorAreFlushedFirst() {
        handler.writer = new RespWriter(UnpooledByteBufAllocator.DEFAULT);
        handler.onRequest = (ctx, request) -> handler.writer.reply(SharedReply.PONG);
        send("PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n:4\r\n");
        assertThat(output()).isEqualTo("+PONG\r\n+PONG\r\n-ERR Protocol error: expected '$', got ':'\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void inputAfterAnErrorIsDropped() {
        send("*x\r\nPING\r\n");
        assertThat(handler.requests).isEmpty();
        assertThat(channel.isOpen()).isFalse();
        assertAllInputReleased();
    }

    // --- query buffer limit -----------------------------------------------------------------

    @Test
    void queryBufferLimitRefusesADeclaredBulkBeforeBufferingIt() {
        limits.queryBufferLimit(1024);
        send("*2\r\n$3\r\nSET\r\n$2000\r\n");
        assertThat(output()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
        assertAllInputReleased();
    }

    @Test
    void queryBufferLimitCountsTheWholeIncompleteRequest() {
        limits.queryBufferLimit(1024);
        StringBuilder request = new StringBuilder("*1000\r\n");
        for (int i = 0; i < 200; i++) {
            request.append("$1\r\nx\r\n");
        }
        send(request.toString());
        assertThat(channel.isOpen()).isFalse();
        assertThat(output()).isEmpty();
        assertAllInputReleased();
    }

    @Test
    void completeRequestsDoNotCountAgainstTheQueryBufferLimit() {
        limits.queryBufferLimit(1024);
        send("PING\r\n".repeat(1000));
        assertThat(handler.requests).hasSize(1000);
        assertThat(channel.isOpen()).isTrue();
    }

    // --- authentication limits --------------------------------------------------------------

    @Test
    void unauthenticatedMultibulkLength() {
        decoder.requireAuthentication(true);
        send("*2\r\n$4\r\nAUTH\r\n$1\r\np\r\n");
        assertThat(handler.requests).hasSize(1);
        assertProtocolError("*11\r\n", "Protocol error: unauthenticated multibulk length");
    }

    @Test
    void unauthenticatedBulkLength() {
        decoder.requireAuthentication(true);
        assertProtocolError("*1\r\n$16385\r\n", "Protocol error: unauthenticated bulk length");
    }

    @Test
    void authenticatedConnectionsUseTheNormalLimits() {
        decoder.requireAuthentication(true);
        decoder.requireAuthentication(false);
        send("*11\r\n" + "$1\r\nx\r\n".repeat(11));
        assertThat(handler.requests).hasSize(1);
    }

    // --- suspend / resume / close -------------------------------------------------------------

    @Test
    void suspendStopsDispatchUntilResume() {
        handler.onRequest = (ctx, request) -> {
            if (request.argString(0).equals("BLOCK")) {
                decoder.suspend();
            }
        };
        send("A\r\nBLOCK\r\nB\r\nC\r\n");
        assertThat(handler.requests).extracting(List::getFirst).containsExactly("A", "BLOCK");
        assertThat(channel.config().isAutoRead()).isFalse();
        send("D\r\n");
        assertThat(handler.requests).hasSize(2);
        int batches = handler.batches;
        decoder.resume();
        assertThat(handler.requests).extracting(List::getFirst).containsExactly("A", "BLOCK", "B", "C", "D");
        assertThat(handler.batches).isEqualTo(batches + 1);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertAllInputReleased();
    }

    @Test
    void closingInTheHandlerStopsDispatch() {
        handler.onRequest = (ctx, request) -> {
            if (request.argString(0).equals("QUIT")) {
                ctx.close();
            }
        };
        send("A\r\nQUIT\r\nB\r\n");
        assertThat(handler.requests).extracting(List::getFirst).containsExactly("A", "QUIT");
        assertAllInputReleased();
    }

    @Test
    void handlerExceptionClosesTheConnectionAndReachesThePipeline() {
        handler.onRequest = (ctx, request) -> {
            throw new IllegalStateException("boom");
        };
        assertThatThrownBy(() -> send("A\r\n")).hasMessage("boom");
        assertThat(channel.isOpen()).isFalse();
        assertAllInputReleased();
    }

    @Test
    void nonBufferMessagesPassThrough() {
        channel.writeInbound("not bytes");
        assertThat((String) channel.readInbound()).isEqualTo("not bytes");
    }
}
