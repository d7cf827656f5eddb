package io.ferrite.server.rdb;

import static io.ferrite.server.rdb.RedisVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LzfTest {
    /** Compresses with the room Redis gives (input length - 4); null when that does not fit. */
    private static byte[] compress(byte[] in) {
        byte[] out = new byte[in.length + 64];
        int length = Lzf.compress(in, in.length, out, Math.max(0, in.length - 4));
        return length == 0 ? null : Arrays.copyOf(out, length);
    }

    private static byte[] decompress(byte[] compressed, int expected) {
        byte[] out = new byte[expected];
        int length = Lzf.decompress(compressed, 0, compressed.length, out, expected);
        assertThat(length).isEqualTo(expected);
        return out;
    }

    private static int decompressedLength(String compressedHex, int room) {
        byte[] in = hex(compressedHex);
        return Lzf.decompress(in, 0, in.length, new byte[room], room);
    }

    @Test
    void roundTripsRepetitiveInputsOfManyLengths() {
        Random random = new Random(7);
        for (int length = 21; length < 3000; length += 7) {
            byte[] in = new byte[length];
            for (int i = 0; i < length; i++) {
                in[i] = (byte) "abcd".charAt(random.nextInt(4));
            }
            byte[] compressed = compress(in);
            if (length >= 200) {
                assertThat(compressed).as("length %d", length).isNotNull();
            }
            if (compressed != null) {
                assertThat(decompress(compressed, length)).isEqualTo(in);
            }
        }
    }

    @Test
    void roundTripsOneMebibyteOfText() {
        byte[] in = RedisVectors.numbers(150_000);
        byte[] compressed = compress(in);
        assertThat(compressed.length).isLessThan(in.length / 2);
        assertThat(decompress(compressed, in.length)).isEqualTo(in);
    }

    @Test
    void roundTripsLongRunsAndFarBackReferences() {
        byte[] block = RedisVectors.xorshift(8000); // just inside the 8 KiB window
        byte[] in = new byte[block.length * 3 + 5000];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(block, 0, in, i * block.length, block.length);
        }
        Arrays.fill(in, block.length * 3, in.length, (byte) 'z');
        byte[] compressed = compress(in);
        assertThat(compressed.length).isLessThan(block.length + 1000);
        assertThat(decompress(compressed, in.length)).isEqualTo(in);
    }

    @Test
    void incompressibleInputDoesNotFit() {
        assertThat(compress(RedisVectors.xorshift(100_000))).isNull();
        assertThat(compress("abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    @Test
    void refusesWhenTheOutputLimitIsTooSmall() {
        byte[] in = "x".repeat(100).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[200];
        int fits = Lzf.compress(in, in.length, out, 100);
        assertThat(fits).isPositive();
        assertThat(Lzf.compress(in, in.length, out, fits - 1)).isZero();
        assertThat(Lzf.compress(in, 0, out, 100)).isZero();
        assertThat(Lzf.compress(in, in.length, out, 0)).isZero();
    }

    @Test
    void compressesShortInputsAsLiterals() {
        byte[] out = new byte[10];
        assertThat(Lzf.compress(new byte[] {'q'}, 1, out, 9)).isEqualTo(2);
        assertThat(Arrays.copyOf(out, 2)).isEqualTo(hex("0071"));
        assertThat(Lzf.compress(new byte[] {'q', 'r'}, 2, out, 9)).isEqualTo(3);
        assertThat(Arrays.copyOf(out, 3)).isEqualTo(hex("017172"));
    }

    @Test
    void producesRedissStreamForRepeatedText() {
        // From Redis 7.0's DUMP of "Hello, World! " x 30: 15 literals, two back references of
        // the 3-byte form (264 bytes from 14 back, 139 from 266 back), 2 final literals.
        byte[] in = "Hello, World! ".repeat(30).getBytes(StandardCharsets.US_ASCII);
        assertThat(compress(in)).isEqualTo(hex("0e48656c6c6f2c20576f726c64212048e0ff0de18209012120"));
    }

    @Test
    void decodesLiteralsShortAndLongBackReferences() {
        assertThat(new String(decompress(hex("0161622001"), 5), StandardCharsets.US_ASCII)).isEqualTo("ababa");
        // Overlapping copy: one byte repeated.
        assertThat(new String(decompress(hex("0061e00300"), 13), StandardCharsets.US_ASCII)).isEqualTo("a".repeat(13));
    }

    @Test
    void reportsCorruptStreamsAsZero() {
        assertThat(decompressedLength("0061", 0)).as("output too small for a literal").isZero();
        assertThat(decompressedLength("0261", 3)).as("literal runs past the input").isZero();
        assertThat(decompressedLength("00612001", 4)).as("reference before the start").isZero();
        assertThat(decompressedLength("006120", 4)).as("reference without offset byte").isZero();
        assertThat(decompressedLength("0061e0", 20)).as("long reference without length byte").isZero();
        assertThat(decompressedLength("0061e003", 20)).as("long reference without offset byte").isZero();
        assertThat(decompressedLength("00612000", 3)).as("reference overflows the output").isZero();
        assertThat(decompressedLength("", 3)).as("no input").isZero();
        // Output the caller did not expect shows as a short count, which callers reject.
        assertThat(decompressedLength("0061", 5)).isEqualTo(1);
    }

    @Test
    void garbageNeverThrows() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] in = new byte[random.nextInt(40)];
            random.nextBytes(in);
            int room = random.nextInt(200);
            int length = Lzf.decompress(in, 0, in.length, new byte[room], room);
            assertThat(length).isBetween(0, room);
        }
    }
}
