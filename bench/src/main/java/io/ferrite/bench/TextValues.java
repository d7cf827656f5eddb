package io.ferrite.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The keys {@code key:<i>} and their values for the tiered-storage benchmark, all computable
 * from the key's number and a generation, so that no expected value has to be stored.
 *
 * <p>A value is {@code key:<i>@<generation as 8 hex digits>:} followed by words drawn by a
 * PRNG seeded from key and generation, cut to the value size. The words make the data
 * compress roughly like text (a small vocabulary, no long repeats) rather than like a
 * constant fill that any compressor would shrink to nothing, and the seed makes every key's
 * value, and every rewrite of it, different. The load writes generation 0; later SETs write
 * a fresh generation. A GET reply is then checked against the value of the generation it
 * names: the prefix ties it to the key, the words to that generation, byte for byte.
 */
final class TextValues {
    private static final byte[][] WORDS = words(
            "the of and to in is that for it as was with be by on not he this are or his from at which but have "
            + "an they you were her she there been one all we their has would when what if more no out so said up "
            + "its about into than them can only other time new some could these two may");

    private final int size;

    TextValues(int size) {
        this.size = size;
    }

    int size() {
        return size;
    }

    /** The smallest value size that holds the prefix of every key below {@code keys}. */
    static int minimumSize(int keys) {
        return keyLength(Math.max(0, keys - 1)) + 10;
    }

    /** Length of {@code key:<i>}. */
    static int keyLength(int i) {
        return 4 + digits(i);
    }

    /** Writes {@code key:<i>} at {@code offset}; returns the offset after it. */
    static int writeKey(byte[] dst, int offset, int i) {
        dst[offset] = 'k';
        dst[offset + 1] = 'e';
        dst[offset + 2] = 'y';
        dst[offset + 3] = ':';
        int end = offset + keyLength(i);
        int p = end;
        do {
            dst[--p] = (byte) ('0' + i % 10);
            i /= 10;
        } while (i > 0);
        return end;
    }

    /** {@code key:<i>} as a new array. */
    static byte[] key(int i) {
        byte[] key = new byte[keyLength(i)];
        writeKey(key, 0, i);
        return key;
    }

    /** Writes the {@link #size()} bytes of key {@code i}'s value of {@code generation} at {@code offset}. */
    void write(int i, int generation, byte[] dst, int offset) {
        int end = offset + size;
        int p = writeKey(dst, offset, i);
        dst[p++] = '@';
        for (int shift = 28; shift >= 0; shift -= 4) {
            dst[p++] = (byte) Character.forDigit((generation >>> shift) & 0xF, 16);
        }
        dst[p++] = ':';
        long state = ((long) i << 32) ^ (generation & 0xFFFFFFFFL);
        while (p < end) {
            long bits = mix(state += 0x9E3779B97F4A7C15L);
            // ten 6-bit word choices per PRNG step
            for (int k = 0; k < 10 && p < end; k++, bits >>>= 6) {
                byte[] word = WORDS[(int) (bits & 63)];
                int n = Math.min(word.length, end - p);
                System.arraycopy(word, 0, dst, p, n);
                p += n;
            }
        }
    }

    /** Key {@code i}'s value of {@code generation} as a new array. */
    byte[] value(int i, int generation) {
        byte[] value = new byte[size];
        write(i, generation, value, 0);
        return value;
    }

    /** The cheap check made on every GET: the right length and key {@code i}'s prefix. */
    boolean looksRight(byte[] body, int length, int i) {
        if (length != size) {
            return false;
        }
        int keyEnd = keyLength(i);
        if (body[keyEnd] != '@' || body[0] != 'k' || body[3] != ':') {
            return false;
        }
        for (int p = keyEnd - 1, rest = i; p >= 4; p--, rest /= 10) {
            if (body[p] != '0' + rest % 10) {
                return false;
            }
        }
        return true;
    }

    /**
     * The full check made on a sample of GETs: {@code body} is, byte for byte, key {@code i}'s
     * value of the generation written in its prefix. {@code scratch} holds {@link #size()} bytes.
     */
    boolean exact(byte[] body, int length, int i, byte[] scratch) {
        if (!looksRight(body, length, i)) {
            return false;
        }
        int p = keyLength(i) + 1;
        int generation = 0;
        for (int end = p + 8; p < end; p++) {
            int digit = Character.digit(body[p], 16);
            if (digit < 0) {
                return false;
            }
            generation = generation << 4 | digit;
        }
        write(i, generation, scratch, 0);
        return Arrays.equals(body, 0, size, scratch, 0, size);
    }

    private static int digits(int i) {
        int n = 1;
        while (i >= 10) {
            i /= 10;
            n++;
        }
        return n;
    }

    /** SplitMix64's output function. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static byte[][] words(String text) {
        String[] split = text.split(" ");
        if (split.length != 64) {
            throw new AssertionError("need 64 words, have " + split.length);
        }
        byte[][] words = new byte[64][];
        for (int i = 0; i < 64; i++) {
            words[i] = (split[i] + ' ').getBytes(StandardCharsets.US_ASCII);
        }
        return words;
    }
}
