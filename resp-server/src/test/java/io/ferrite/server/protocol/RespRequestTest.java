package io.ferrite.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespRequestTest {

    /** A request over {@code text} whose arguments are its space-separated words. */
    private static RespRequest request(ByteBuf buf) {
        RespRequest request = new RespRequest();
        int base = buf.readerIndex();
        int start = 0;
        String text = buf.toString(StandardCharsets.ISO_8859_1);
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                request.addArg(start, i - start);
                start = i + 1;
            }
        }
        request.bind(buf, base);
        return request;
    }

    private static RespRequest request(String text) {
        // A prefix before the request proves offsets are relative to the request's base.
        ByteBuf buf = Unpooled.copiedBuffer("junk" + text, StandardCharsets.ISO_8859_1);
        buf.readerIndex(4);
        return request(buf);
    }

    @Test
    void exposesArgumentsInPlace() {
        RespRequest request = request("SET key value");
        assertThat(request.argc()).isEqualTo(3);
        assertThat(request.argOffset(1)).isEqualTo(8);
        assertThat(request.argLength(2)).isEqualTo(5);
        assertThat(request.argString(2)).isEqualTo("value");
        assertThat(request.argBytes(1)).isEqualTo("key".getBytes());
        assertThat(request.toString()).isEqualTo("RespRequest[\"SET\" \"key\" \"value\"]");
        assertThatThrownBy(() -> request.argLength(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void comparesIgnoringAsciiCase() {
        RespRequest request = request("gEt GETX G{T");
        byte[] get = "GET".getBytes(StandardCharsets.US_ASCII);
        assertThat(request.argEqualsIgnoreCase(0, get)).isTrue();
        assertThat(request.argEqualsIgnoreCase(1, get)).isFalse();
        // '{' is 'Z'+1 in the upper-case range but not a letter: it must not fold to '['.
        assertThat(request.argEqualsIgnoreCase(2, "G[T".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-1", "123", "9223372036854775807", "-9223372036854775808", "10", "-10"})
    void parsesValidIntegers(String text) {
        RespRequest request = request("X " + text);
        assertThat(request.argLong(1)).isTrue();
        assertThat(request.longValue()).isEqualTo(Long.parseLong(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", "01", "-0", "00", "1a", "a1", "1.0", "9223372036854775808",
            "-9223372036854775809", "99999999999999999999", "123456789012345678901", "0x10", "1e3"})
    void rejectsWhatString2llRejects(String text) {
        RespRequest request = request("X " + text);
        assertThat(request.argLong(1)).isFalse();
    }

    @Test
    void segmentViewsHeapBuffersWithoutCopying() {
        RespRequest request = request("SET key value");
        MemorySegment segment = request.argSegment(2);
        assertThat(segment.byteSize()).isEqualTo(5);
        assertThat(new String(segment.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII)).isEqualTo("value");
        request.buffer().setByte(request.argOffset(2), 'V');
        assertThat(segment.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 'V');
    }

    @Test
    void segmentViewsDirectBuffersWithoutCopying() {
        ByteBuf direct = Unpooled.directBuffer(64);
        direct.writeCharSequence("junkGET key", StandardCharsets.US_ASCII);
        direct.readerIndex(4);
        try {
            RespRequest request = request(direct);
            MemorySegment segment = request.argSegment(1);
            assertThat(new String(segment.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII)).isEqualTo("key");
            direct.setByte(request.argOffset(1), 'K');
            assertThat(segment.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 'K');
        } finally {
            direct.release();
        }
    }

    @Test
    void segmentFallsBackToNioBufferForCompositeBuffers() {
        ByteBuf composite = Unpooled.wrappedBuffer(
                Unpooled.directBuffer().writeBytes("GET ".getBytes()), Unpooled.directBuffer().writeBytes("k".getBytes()));
        try {
            RespRequest request = request(composite);
            assertThat(request.argSegment(1).get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 'k');
        } finally {
            composite.release();
        }
    }

    @Test
    void argumentArraysGrowAndShrinkBackAfterAHugeRequest() {
        RespRequest request = new RespRequest();
        for (int i = 0; i < 10_000; i++) {
            request.addArg(i, 1);
        }
        assertThat(request.argc()).isEqualTo(10_000);
        assertThat(request.capacity()).isGreaterThanOrEqualTo(10_000);
        request.reset();
        assertThat(request.argc()).isZero();
        assertThat(request.capacity()).isLessThan(10_000);
    }
}
