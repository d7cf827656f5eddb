package io.ferrite.server.rdb;

import static io.ferrite.server.rdb.RedisVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RdbStringCodecTest {
    private static String encode(String value) {
        return encode(value.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String encode(byte[] value) {
        RdbWriter out = new RdbWriter(0);
        RdbStringCodec.write(out, value);
        return HexFormat.of().formatHex(out.toByteArray());
    }

    private static String decode(String hex) throws RdbFormatException {
        return new String(RdbStringCodec.read(new RdbReader(hex(hex))), StandardCharsets.ISO_8859_1);
    }

    private static String length(long length) {
        return HexFormat.of().formatHex(new RdbWriter(0).writeLength(length).toByteArray());
    }

    @Test
    void integersInTheInt32RangeUseTheSmallestIntegerEncoding() {
        assertThat(encode("0")).isEqualTo("c000");
        assertThat(encode("-128")).isEqualTo("c080");
        assertThat(encode("127")).isEqualTo("c07f");
        assertThat(encode("128")).isEqualTo("c18000");
        assertThat(encode("-32769")).isEqualTo("c2ff7fffff");
        assertThat(encode("2147483647")).isEqualTo("c2ffffff7f");
        assertThat(encode("-2147483648")).isEqualTo("c200000080");
    }

    @Test
    void otherNumbersStayStrings() {
        assertThat(encode("2147483648")).isEqualTo("0a32313437343833363438");
        assertThat(encode("007")).isEqualTo("03303037");
        assertThat(encode("-0")).isEqualTo("022d30");
        assertThat(encode("+5")).isEqualTo("022b35");
        assertThat(encode("5 ")).isEqualTo("023520");
        assertThat(encode("-")).isEqualTo("012d");
        assertThat(encode("")).isEqualTo("00");
    }

    @Test
    void canonicalIntegerRecognition() {
        for (String yes : new String[] {"0", "1", "-1", "10", "-2147483648", "99999999999"}) {
            assertThat(RdbStringCodec.isCanonicalInteger(yes.getBytes(StandardCharsets.US_ASCII))).as(yes).isTrue();
        }
        for (String no : new String[] {"", "-", "-0", "00", "01", "+1", " 1", "1 ", "1a", "0x1", "1.0"}) {
            assertThat(RdbStringCodec.isCanonicalInteger(no.getBytes(StandardCharsets.US_ASCII))).as(no).isFalse();
        }
    }

    @Test
    void lengthsUseTheShortestForm() {
        assertThat(length(0)).isEqualTo("00");
        assertThat(length(63)).isEqualTo("3f");
        assertThat(length(64)).isEqualTo("4040");
        assertThat(length(16383)).isEqualTo("7fff");
        assertThat(length(16384)).isEqualTo("8000004000");
        assertThat(length(0xffffffffL)).isEqualTo("80ffffffff");
        assertThat(length(0x100000000L)).isEqualTo("810000000100000000");
    }

    @Test
    void readsEveryLengthForm() throws RdbFormatException {
        for (long n : new long[] {0, 63, 64, 16383, 16384, 0xffffffffL, 0x100000000L, Long.MAX_VALUE}) {
            RdbReader in = new RdbReader(hex(length(n)));
            assertThat(in.readLength()).isEqualTo(n);
            assertThat(in.encoded()).isFalse();
            assertThat(in.remaining()).isZero();
        }
        // Redis writes lengths in the shortest form but reads the longer ones too.
        assertThat(decodeHello("4005")).isEqualTo("hello");
        assertThat(decodeHello("8000000005")).isEqualTo("hello");
        assertThat(decodeHello("810000000000000005")).isEqualTo("hello");
        RdbReader special = new RdbReader(hex("c3"));
        assertThat(special.readLength()).isEqualTo(3);
        assertThat(special.encoded()).isTrue();
    }

    private static String decodeHello(String lengthHex) throws RdbFormatException {
        return decode(lengthHex + "68656c6c6f");
    }

    @Test
    void decodesIntegerEncodingsAsDecimalStrings() throws RdbFormatException {
        assertThat(decode("c0ff")).isEqualTo("-1");
        assertThat(decode("c1ff7f")).isEqualTo("32767");
        assertThat(decode("c10080")).isEqualTo("-32768");
        assertThat(decode("c2ffffff7f")).isEqualTo("2147483647");
        assertThat(decode("c200000080")).isEqualTo("-2147483648");
    }

    @Test
    void decodesLzfStrings() throws RdbFormatException {
        assertThat(decode("c30615016161e00a00")).isEqualTo("a".repeat(21));
        // Zero-length LZF strings decode whatever the stream holds, as in Redis.
        assertThat(decode("c30000")).isEmpty();
        assertThat(decode("c3020000ff")).isEmpty();
        // The compressed length may use the special-encoding form: Redis ignores the marker.
        assertThat(decode("c3c201" + "0061")).isEqualTo("a");
    }

    @Test
    void roundTripsEverything() throws RdbFormatException {
        for (byte[] value : new byte[][] {
                new byte[0], "x".getBytes(StandardCharsets.US_ASCII), "-42".getBytes(StandardCharsets.US_ASCII),
                "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII), RedisVectors.xorshift(70_000),
                RedisVectors.numbers(10_000)}) {
            RdbWriter out = new RdbWriter(0);
            RdbStringCodec.write(out, value);
            RdbReader in = new RdbReader(out.toByteArray());
            assertThat(RdbStringCodec.read(in)).isEqualTo(value);
            assertThat(in.remaining()).isZero();
        }
    }

    @Test
    void rejectsWhatRedisRejects() {
        assertThatThrownBy(() -> decode("c4")).isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> decode("82")).as("unknown length form").isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> decode("0568656c6c")).as("truncated").isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> decode("")).isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> decode("c1ff")).as("truncated int16").isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> decode("81ffffffffffffffff")).as("length over 2^63").isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> decode("c3020200")).as("LZF data missing").isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> decode("c301020061")).as("LZF output short").isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> decode("c30201" + "0161")).as("LZF output long").isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> decode("c3018080000000" + "00")).as("impossible LZF length")
                .isInstanceOf(RdbFormatException.class);
    }
}
