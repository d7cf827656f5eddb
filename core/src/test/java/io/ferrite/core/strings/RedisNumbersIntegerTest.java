package io.ferrite.core.strings;

import static io.ferrite.core.strings.Vectors.latin1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisNumbersIntegerTest {

    private static boolean ok(String s) {
        byte[] b = latin1(s);
        boolean viaArray = RedisNumbers.isLong(b, 0, b.length);
        boolean viaSegment = RedisNumbers.isLong(MemorySegment.ofArray(b), 0, b.length);
        assertThat(viaSegment).as("segment and array agree for %s", s).isEqualTo(viaArray);
        return viaArray;
    }

    private static long value(String s) {
        byte[] b = latin1(s);
        LongParse out = new LongParse();
        assertThat(RedisNumbers.tryParseLong(b, 0, b.length, out)).as(s).isTrue();
        long v = out.value;
        out.value = 12345;
        assertThat(RedisNumbers.tryParseLong(MemorySegment.ofArray(b), 0, b.length, out)).isTrue();
        assertThat(out.value).isEqualTo(v);
        assertThat(RedisNumbers.parseLong(b, 0, b.length)).isEqualTo(v);
        return v;
    }

    @Test
    void parsesLikeRedisString2llUnitTests() {
        // The cases of Redis's own util.c test_string2ll.
        assertThat(ok("+1")).isFalse();
        assertThat(ok(" 1")).isFalse();
        assertThat(ok("1 ")).isFalse();
        assertThat(ok("01")).isFalse();
        assertThat(value("-1")).isEqualTo(-1);
        assertThat(value("0")).isZero();
        assertThat(value("1")).isEqualTo(1);
        assertThat(value("99")).isEqualTo(99);
        assertThat(value("-99")).isEqualTo(-99);
        assertThat(value("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(ok("-9223372036854775809")).isFalse();
        assertThat(value("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(ok("9223372036854775808")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+", "-0", "00", "-01", "1.0", "1e3", "0x10", "12a", "a12", "1-", "--1",
        "18446744073709551616", "99999999999999999999", "-99999999999999999999", "000000000000000000001",
        "100000000000000000000", "1\0", "\u00001", " ", "1_000"})
    void rejects(String s) {
        assertThat(ok(s)).isFalse();
        byte[] b = latin1(s);
        assertThatThrownBy(() -> RedisNumbers.parseLong(b, 0, b.length)).isInstanceOf(NumberFormatException.class);
        LongParse out = new LongParse();
        out.value = 42;
        assertThat(RedisNumbers.tryParseLong(b, 0, b.length, out)).isFalse();
    }

    @Test
    void parsesWithinALargerBufferAndNativeMemory() {
        byte[] b = latin1("xx-12345yy");
        assertThat(RedisNumbers.parseLong(b, 2, 6)).isEqualTo(-12345);
        assertThat(RedisNumbers.isLong(b, 2, 7)).isFalse();
        assertThat(RedisNumbers.isLong(b, 2, 0)).isFalse();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(32);
            seg.asByteBuffer().put(latin1("..9223372036854775807.."));
            assertThat(RedisNumbers.parseLong(seg, 2, 19)).isEqualTo(Long.MAX_VALUE);
            assertThat(RedisNumbers.isLong(seg, 2, 20)).isFalse();
        }
    }

    @Test
    void matchesRedisServerOnRecordedInputs() {
        LongParse out = new LongParse();
        int n = 0;
        for (String[] row : Vectors.load("string2ll")) {
            byte[] text = Vectors.hex(row[0]);
            boolean valid = RedisNumbers.tryParseLong(text, 0, text.length, out);
            if (row[1].equals("ERR")) {
                assertThat(valid).as("%s should be rejected", row[0]).isFalse();
            } else {
                assertThat(valid).as("%s should parse", row[0]).isTrue();
                assertThat(out.value).isEqualTo(Long.parseLong(row[1]));
            }
            n++;
        }
        assertThat(n).isGreaterThan(2000);
    }

    @Test
    void formatsLikeLl2string() {
        byte[] buf = new byte[40];
        long[] samples = {0, 1, -1, 9, 10, -10, 99, 100, 123456789, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MIN_VALUE + 1, 1_000_000_000_000_000_000L, 999_999_999_999_999_999L, -1_000_000_000_000_000_000L};
        for (long v : samples) {
            int n = RedisNumbers.formatLong(v, buf, 3);
            assertThat(Vectors.str(buf, 3, n)).isEqualTo(Long.toString(v));
            assertThat(RedisNumbers.longLength(v)).isEqualTo(n);
        }
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long v = rnd.nextLong() >> rnd.nextInt(64);
            int n = RedisNumbers.formatLong(v, buf, 0);
            assertThat(n).isEqualTo(RedisNumbers.longLength(v));
            String s = Vectors.str(buf, 0, n);
            if (!s.equals(Long.toString(v))) {
                assertThat(s).isEqualTo(Long.toString(v));
            }
            // and it round-trips through the strict parser
            if (RedisNumbers.parseLong(buf, 0, n) != v) {
                assertThat(RedisNumbers.parseLong(buf, 0, n)).isEqualTo(v);
            }
        }
        assertThat(RedisNumbers.formatLong(Long.MIN_VALUE, buf, 0)).isEqualTo(RedisNumbers.MAX_LONG_CHARS);
    }

    @Test
    void formatsIntoNativeSegment() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(32);
            int n = RedisNumbers.formatLong(-9876543210L, seg, 5);
            byte[] out = seg.asSlice(5, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            assertThat(Vectors.str(out, 0, n)).isEqualTo("-9876543210");
            n = RedisNumbers.formatLong(Long.MIN_VALUE, seg, 0);
            assertThat(Vectors.str(seg.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, n))
                    .isEqualTo("-9223372036854775808");
        }
    }
}
