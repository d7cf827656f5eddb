package io.ferrite.server.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Crc64Test {
    @Test
    void checkValueOfTheJonesVariant() {
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.of(data, 0, data.length)).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void emptyInputIsZero() {
        assertThat(Crc64.of(new byte[0], 0, 0)).isZero();
    }

    @Test
    void updatingInPiecesEqualsOnePass() {
        byte[] data = RedisVectors.xorshift(1000);
        long whole = Crc64.of(data, 0, data.length);
        long pieces = Crc64.update(Crc64.update(Crc64.of(data, 0, 1), data, 1, 400), data, 401, 599);
        assertThat(pieces).isEqualTo(whole);
    }

    /** Eight bytes at a time (slicing-by-8) equals Redis's byte-at-a-time loop, at every offset and length. */
    @Test
    void eightBytesAtATimeEqualsOneByteAtATime() {
        byte[] data = RedisVectors.xorshift(300);
        for (int offset = 0; offset < 9; offset++) {
            for (int length = 0; offset + length <= data.length; length += 7) {
                long bytewise = 0;
                for (int i = offset; i < offset + length; i++) {
                    bytewise = Crc64.update(bytewise, data, i, 1);
                }
                assertThat(Crc64.of(data, offset, length)).as("offset %d length %d", offset, length).isEqualTo(bytewise);
            }
        }
    }

    @Test
    void matchesTheFootersOfRedisPayloads() {
        for (RedisVectors.Vector vector : RedisVectors.SMALL) {
            byte[] payload = vector.payload();
            long footer = 0;
            for (int i = payload.length - 1; i >= payload.length - 8; i--) {
                footer = (footer << 8) | (payload[i] & 0xff);
            }
            assertThat(Crc64.of(payload, 0, payload.length - 8)).as(vector.text()).isEqualTo(footer);
        }
    }
}
