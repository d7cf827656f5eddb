package io.ferrite.server.rdb;

import static io.ferrite.server.rdb.RedisVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DumpPayloadTest {
    /** {@code body} with a version and a correct CRC, as a hand-made RESTORE payload. */
    static byte[] payload(String bodyHex, int version) {
        byte[] body = hex(bodyHex);
        byte[] out = Arrays.copyOf(body, body.length + 10);
        out[body.length] = (byte) version;
        out[body.length + 1] = (byte) (version >>> 8);
        long crc = Crc64.of(out, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            out[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return out;
    }

    private static String decoded(byte[] payload) throws RdbFormatException {
        assertThat(DumpPayload.verify(payload)).isTrue();
        return new String(DumpPayload.decodeString(payload), StandardCharsets.ISO_8859_1);
    }

    @Test
    void encodesExactlyAsRedis() {
        for (RedisVectors.Vector vector : RedisVectors.SMALL) {
            assertThat(HexFormat.of().formatHex(DumpPayload.ofString(vector.value())))
                    .as(vector.text())
                    .isEqualTo(HexFormat.of().formatHex(vector.payload()));
        }
    }

    @Test
    void encodesLargeValuesExactlyAsRedis() {
        for (RedisVectors.LargeVector vector : RedisVectors.LARGE) {
            byte[] payload = DumpPayload.ofString(vector.value());
            assertThat(payload.length).as(vector.name()).isEqualTo(vector.payloadLength());
            assertThat(HexFormat.of().formatHex(payload, payload.length - 10, payload.length))
                    .as(vector.name()).isEqualTo(vector.footerHex());
        }
    }

    @Test
    void decodesRedisPayloads() throws RdbFormatException {
        for (RedisVectors.Vector vector : RedisVectors.SMALL) {
            assertThat(DumpPayload.verify(vector.payload())).as(vector.text()).isTrue();
            assertThat(DumpPayload.decodeString(vector.payload())).as(vector.text()).isEqualTo(vector.value());
        }
    }

    @Test
    void roundTripsLargeValues() throws RdbFormatException {
        for (RedisVectors.LargeVector vector : RedisVectors.LARGE) {
            byte[] payload = DumpPayload.ofString(vector.value());
            assertThat(DumpPayload.verify(payload)).isTrue();
            assertThat(DumpPayload.decodeString(payload)).as(vector.name()).isEqualTo(vector.value());
        }
    }

    @Test
    void verifiesVersionAndChecksum() {
        byte[] good = payload("000568656c6c6f", 10);
        assertThat(DumpPayload.verify(good)).isTrue();
        assertThat(DumpPayload.verify(payload("000568656c6c6f", 9))).as("older version").isTrue();
        assertThat(DumpPayload.verify(payload("000568656c6c6f", 0))).isTrue();
        assertThat(DumpPayload.verify(payload("000568656c6c6f", 11))).as("newer version").isFalse();
        assertThat(DumpPayload.verify(payload("000568656c6c6f", 0x100))).as("version is 16-bit").isFalse();
        byte[] flipped = good.clone();
        flipped[3] ^= 1;
        assertThat(DumpPayload.verify(flipped)).isFalse();
        byte[] zeroCrc = good.clone();
        Arrays.fill(zeroCrc, zeroCrc.length - 8, zeroCrc.length, (byte) 0);
        assertThat(DumpPayload.verify(zeroCrc)).as("no zero-CRC bypass for DUMP payloads").isFalse();
        assertThat(DumpPayload.verify(new byte[9])).isFalse();
        assertThat(DumpPayload.verify(new byte[0])).isFalse();
    }

    @Test
    void decodesLikeRedisAtTheEdges() throws RdbFormatException {
        assertThat(decoded(payload("000568656c6c6f58595a", 10))).as("bytes after the object are ignored").isEqualTo("hello");
        // Redis reads the object from the whole payload: a length may run into the footer.
        byte[] intoFooter = payload("000a", 10);
        assertThat(DumpPayload.decodeString(intoFooter))
                .isEqualTo(Arrays.copyOfRange(intoFooter, 2, 12));
        assertThat(decoded(payload("00c0", 10))).as("int8 read from the version byte").isEqualTo("10");
        assertThat(decoded(payload("", 0))).as("type and length read from a zero version").isEmpty();
        assertThat(decoded(payload("00c30000", 10))).isEmpty();
        assertThat(decoded(payload("00c3040400612000", 10))).isEqualTo("aaaa");
    }

    @Test
    void refusesUndecodablePayloads() {
        assertThatThrownBy(() -> DumpPayload.decodeString(payload("000b", 10))).as("length beyond the footer")
                .isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> DumpPayload.decodeString(payload("", 10))).as("type 10 read from the version")
                .isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> DumpPayload.decodeString(payload("08", 10))).isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> DumpPayload.decodeString(payload("00c4", 10))).isInstanceOf(RdbFormatException.class);
        // A real Redis 7.0 DUMP of a one-element list: valid, but lists do not exist here yet.
        assertThatThrownBy(() -> DumpPayload.decodeString(hex("1201020a0a0000000100816102ff0a0009b9edf594ded995")))
                .isInstanceOf(RdbFormatException.class);
    }
}
