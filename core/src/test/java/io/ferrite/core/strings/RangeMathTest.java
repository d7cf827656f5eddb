package io.ferrite.core.strings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RangeMathTest {

    private static String getrange(String v, long start, long end) {
        long len = RangeMath.rangeLength(v.length(), start, end);
        if (len == 0) {
            return "";
        }
        int from = (int) RangeMath.rangeStart(v.length(), start, end);
        return v.substring(from, from + (int) len);
    }

    @Test
    void getrangeLikeStringTcl() {
        // "GETRANGE against string value"
        String v = "Hello World";
        assertThat(getrange(v, 0, -1)).isEqualTo("Hello World");
        assertThat(getrange(v, 0, -100)).isEqualTo("H");
        assertThat(getrange(v, 0, 3)).isEqualTo("Hell");
        assertThat(getrange(v, -5, -1)).isEqualTo("World");
        assertThat(getrange(v, 5, 3)).isEmpty();
        assertThat(getrange(v, 5, 5000)).isEqualTo(" World");
        assertThat(getrange(v, -5000, 10000)).isEqualTo("Hello World");
        assertThat(getrange(v, -1, -5)).isEmpty(); // both negative, start > end
        assertThat(getrange(v, -100, -50)).isEqualTo("H"); // both clamp to 0, as in Redis 7
        // "GETRANGE against integer-encoded value"
        assertThat(getrange("1234", 0, 2)).isEqualTo("123");
        assertThat(getrange("1234", 0, -1)).isEqualTo("1234");
        assertThat(getrange("1234", -3, -1)).isEqualTo("234");
        assertThat(getrange("1234", 5, 3)).isEmpty();
        assertThat(getrange("1234", 3, 5000)).isEqualTo("4");
        assertThat(getrange("1234", -5000, 10000)).isEqualTo("1234");
        // empty value and extreme indexes
        assertThat(getrange("", 0, -1)).isEmpty();
        assertThat(getrange("", 0, 0)).isEmpty();
        assertThat(getrange("abc", Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo("abc");
        assertThat(getrange("abc", Long.MAX_VALUE, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void getrangeMatchesRedisServer() {
        int n = 0;
        for (String[] row : Vectors.load("getrange")) {
            String v = row[0].equals("-") ? "" : row[0];
            String expected = row[3].equals("-") ? "" : row[3];
            assertThat(getrange(v, Long.parseLong(row[1]), Long.parseLong(row[2])))
                    .as("GETRANGE %s %s %s", v, row[1], row[2]).isEqualTo(expected);
            n++;
        }
        assertThat(n).isGreaterThan(1500);
    }

    @Test
    void setrangeChecks() {
        long max = 512L * 1024 * 1024;
        assertThat(RangeMath.checkSetRange(-1, 3, max)).isEqualTo(RangeMath.OFFSET_OUT_OF_RANGE);
        assertThat(RangeMath.checkSetRange(-1, 0, max)).isEqualTo(RangeMath.OFFSET_OUT_OF_RANGE);
        assertThat(RangeMath.checkSetRange(0, 3, max)).isEqualTo(RangeMath.OK);
        // "SETRANGE with huge offset": 512MB - 1 + 1 byte fits, one more does not
        assertThat(RangeMath.checkSetRange(max - 1, 1, max)).isEqualTo(RangeMath.OK);
        assertThat(RangeMath.checkSetRange(max, 1, max)).isEqualTo(RangeMath.STRING_TOO_LONG);
        assertThat(RangeMath.checkSetRange(Long.MAX_VALUE, 1, max)).isEqualTo(RangeMath.STRING_TOO_LONG);
        assertThat(RangeMath.checkSetRange(Long.MAX_VALUE, 10, Long.MAX_VALUE)).isEqualTo(RangeMath.STRING_TOO_LONG);
        // an empty value never exceeds anything: Redis replies the current length
        assertThat(RangeMath.checkSetRange(Long.MAX_VALUE, 0, max)).isEqualTo(RangeMath.OK);
        assertThat(RangeMath.setRangeResultLength(5, Long.MAX_VALUE, 0)).isEqualTo(5);
        assertThat(RangeMath.setRangeResultLength(5, 1, 2)).isEqualTo(5);
        assertThat(RangeMath.setRangeResultLength(5, 4, 2)).isEqualTo(6);
        assertThat(RangeMath.setRangeResultLength(0, 10, 1)).isEqualTo(11);
    }

    @Test
    void appendSizeCheck() {
        long max = 512L * 1024 * 1024;
        assertThat(RangeMath.exceedsMaxSize(max - 10, 10, max)).isFalse();
        assertThat(RangeMath.exceedsMaxSize(max - 10, 11, max)).isTrue();
        assertThat(RangeMath.exceedsMaxSize(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE)).isTrue(); // overflow
        assertThat(RangeMath.exceedsMaxSize(0, 0, 0)).isFalse();
    }
}
