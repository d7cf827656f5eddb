package io.ferrite.core.strings;

import static io.ferrite.core.strings.Vectors.latin1;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RedisNumbersFloatTest {

    private static final byte[] OUT = new byte[RedisNumbers.MAX_LONG_DOUBLE_CHARS];

    /** INCRBYFLOAT on a key holding {@code current} (null: missing); "ERR:..." for errors. */
    private static String incr(String current, String increment) {
        byte[] inc = latin1(increment);
        byte[] cur = current == null ? null : latin1(current);
        int n = RedisNumbers.incrByFloat(cur, 0, cur == null ? 0 : cur.length, inc, 0, inc.length, OUT, 0);
        return switch (n) {
            case RedisNumbers.FLOAT_VALUE_INVALID -> "ERR:value";
            case RedisNumbers.FLOAT_INCREMENT_INVALID -> "ERR:increment";
            case RedisNumbers.FLOAT_NAN_OR_INFINITY -> "ERR:naninf";
            default -> Vectors.str(OUT, 0, n);
        };
    }

    @Test
    void incrByFloatLikeRedisIncrTcl() {
        assertThat(incr(null, "1")).isEqualTo("1");
        assertThat(incr("1", "0.25")).isEqualTo("1.25");
        assertThat(incr("1.5", "1.5")).isEqualTo("3");
        assertThat(incr("17179869184", "1.5")).isEqualTo("17179869185.5");
        assertThat(incr("17179869184", "17179869184")).isEqualTo("34359738368");
        assertThat(incr("    11", "1.0")).isEqualTo("ERR:value");
        assertThat(incr("11    ", "1.0")).isEqualTo("ERR:value");
        assertThat(incr(" 11 ", "1.0")).isEqualTo("ERR:value");
        assertThat(incr("0", "+inf")).isEqualTo("ERR:naninf");
        assertThat(incr("1", "-1.1")).isEqualTo("-0.1");
        assertThat(incr("1\u00002", "1")).isEqualTo("ERR:value"); // "string to double with null terminator"
        // "No negative zero"
        String plus = BigDecimal.valueOf(1.0 / 41).toString();
        String after = incr(null, plus);
        assertThat(incr(after, "-" + plus)).isEqualTo("0");
    }

    @Test
    void incrByFloatPrintsTheLongDoubleResult() {
        assertThat(incr("10.5", "0.1")).isEqualTo("10.6");
        assertThat(incr("0.1", "0.2")).isEqualTo("0.3");
        assertThat(incr("5", "5.0e3")).isEqualTo("5005");
        assertThat(incr("3.0", "0")).isEqualTo("3");
        assertThat(incr(null, "5.0e3")).isEqualTo("5000");
        // Outside the decimal fast path the 64-bit significand shows through, as in Redis.
        assertThat(incr("10000000000", "0.1")).isEqualTo("10000000000.09999999962747097");
        assertThat(incr("5000", "0.1")).isEqualTo("5000.10000000000000009");
        assertThat(incr("5000.10000000000000009", "0.1")).isEqualTo("5000.20000000000000018");
        assertThat(incr("1234.56", "0.01")).isEqualTo("1234.57000000000000006");
        // exact ties between two long doubles round to even (2^61 + 1/8, 2^61 + 3/8)
        assertThat(incr("2305843009213693952.125", "0")).isEqualTo("2305843009213693952");
        assertThat(incr("2305843009213693952.375", "0")).isEqualTo("2305843009213693952.5");
        assertThat(incr("0.5", "2305843009213693952.125")).isEqualTo("2305843009213693952.5");
        assertThat(incr("0x10", "0x1p-2")).isEqualTo("16.25");
        assertThat(incr("1", "1e-4940")).isEqualTo("1");
        assertThat(incr("1", "+.5")).isEqualTo("1.5");
        assertThat(incr("1", "-.5e1")).isEqualTo("-4");
        assertThat(incr("1", "1.")).isEqualTo("2");
        assertThat(incr("-0", "-0.0")).isEqualTo("0");
        assertThat(incr(null, "-1e-20")).isEqualTo("0");
        String big = incr("1e400", "1");
        assertThat(big).startsWith("10000000000000000000281880683947586514586453433629052038625910693539685534");
        assertThat(big).hasSize(401);
    }

    @Test
    void incrByFloatErrors() {
        assertThat(incr("inf", "1")).isEqualTo("ERR:naninf");
        assertThat(incr("1", "nan")).isEqualTo("ERR:increment");
        assertThat(incr("nan", "1")).isEqualTo("ERR:value");
        assertThat(incr("1", "1e-5000")).isEqualTo("ERR:increment"); // underflow to zero
        assertThat(incr("1", "1e5000")).isEqualTo("ERR:increment"); // overflow
        assertThat(incr("1e5000", "x")).isEqualTo("ERR:value"); // current value is checked first
        assertThat(incr("1", " 1")).isEqualTo("ERR:increment");
        assertThat(incr("1", "1 ")).isEqualTo("ERR:increment");
        assertThat(incr("1", "0x")).isEqualTo("ERR:increment");
        assertThat(incr("1", "1e")).isEqualTo("ERR:increment");
        assertThat(incr("1", "")).isEqualTo("ERR:increment");
        assertThat(incr("", "1")).isEqualTo("ERR:value");
        assertThat(incr("1", "infinity")).isEqualTo("ERR:naninf");
        assertThat(incr("1.18973149535723176502e+4932", "1.18973149535723176502e+4932")).isEqualTo("ERR:naninf");
        assertThat(incr("1", "1" + "0".repeat(5119))).isEqualTo("ERR:increment"); // 5120 bytes: too long
        assertThat(incr("1", "1" + "0".repeat(5118))).isEqualTo("ERR:increment"); // 1e5118 overflows
    }

    @Test
    void incrByFloatMatchesRedisServerOnRecordedInputs() {
        int n = 0;
        int ok = 0;
        for (String[] row : Vectors.load("incrbyfloat")) {
            byte[] cur = row[0].equals("-") ? null : Vectors.hex(row[0]);
            byte[] inc = Vectors.hex(row[1]);
            int len = RedisNumbers.incrByFloat(cur, 0, cur == null ? 0 : cur.length, inc, 0, inc.length, OUT, 0);
            String expected = row[2];
            String actual;
            if (len >= 0) {
                actual = "OK:" + Vectors.str(OUT, 0, len);
                ok++;
            } else if (len == RedisNumbers.FLOAT_NAN_OR_INFINITY) {
                actual = "ERR:ERR increment would produce NaN or Infinity";
            } else {
                actual = "ERR:ERR value is not a valid float";
            }
            assertThat(actual).as("INCRBYFLOAT on %s by %s", row[0], row[1]).isEqualTo(expected);
            n++;
        }
        assertThat(n).isGreaterThan(5000);
        assertThat(ok).isGreaterThan(4000);
    }

    @Test
    void incrByFloatShortPathAgreesWithTheExactModel() {
        // Short decimals go through 64/128-bit arithmetic; it must print exactly what the
        // BigInteger x87 model prints (which the server vectors validate).
        SplittableRandom rnd = new SplittableRandom(99);
        byte[] fast = new byte[RedisNumbers.MAX_LONG_DOUBLE_CHARS];
        for (int i = 0; i < 300_000; i++) {
            String a = randomDecimal(rnd);
            String b;
            int mode = rnd.nextInt(8);
            if (mode == 0) {
                b = a.startsWith("-") ? a.substring(1) : "-" + a; // exact cancellation
            } else if (mode == 1) {
                b = (a.startsWith("-") ? "" : "-") + nudge(a.startsWith("-") ? a.substring(1) : a, rnd);
            } else {
                b = randomDecimal(rnd);
            }
            byte[] ab = latin1(a);
            byte[] bb = latin1(b);
            int n = RedisNumbers.incrByFloat(ab, 0, ab.length, bb, 0, bb.length, fast, 0);
            String expected = slowSum(a, b);
            String actual = n < 0 ? "ERR" + n : Vectors.str(fast, 0, n);
            if (!actual.equals(expected)) {
                assertThat(actual).as("%s + %s", a, b).isEqualTo(expected);
            }
        }
    }

    /** A decimal, mostly short, up to 40 digits, sometimes in exponent form. */
    private static String randomDecimal(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        if (rnd.nextBoolean()) {
            sb.append('-');
        }
        int digits = rnd.nextInt(4) == 0 ? rnd.nextInt(1, 41) : rnd.nextInt(1, 19);
        int decimals = rnd.nextInt(0, Math.min(digits, rnd.nextBoolean() ? 17 : 30) + 1);
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < digits; i++) {
            d.append((char) ('0' + rnd.nextInt(rnd.nextInt(4) == 0 ? 2 : 10)));
        }
        int intDigits = digits - decimals;
        sb.append(intDigits == 0 ? "0" : d.substring(0, intDigits));
        if (decimals > 0) {
            sb.append('.').append(d, intDigits, digits);
        }
        int e = rnd.nextInt(10);
        if (e == 0) {
            sb.append('e').append(rnd.nextInt(-3, 3));
        } else if (e == 1) {
            sb.append('e').append(rnd.nextInt(-60, 30));
        }
        return sb.toString();
    }

    /** The same number with its last digit changed, for near-cancellation. */
    private static String nudge(String a, SplittableRandom rnd) {
        int e = a.indexOf('e');
        String m = e < 0 ? a : a.substring(0, e);
        char last = m.charAt(m.length() - 1);
        char repl = (char) ('0' + (last - '0' + 1 + rnd.nextInt(8)) % 10);
        return m.substring(0, m.length() - 1) + repl + (e < 0 ? "" : a.substring(e));
    }

    /** The x87 model alone. */
    private static String slowSum(String a, String b) {
        byte[] ab = latin1(a);
        byte[] bb = latin1(b);
        FloatScan sa = new FloatScan();
        FloatScan sb = new FloatScan();
        assertThat(sa.scan(MemorySegment.ofArray(ab), 0, ab.length, 5119)).isTrue();
        assertThat(sb.scan(bb, 0, bb.length, 5119)).isTrue();
        ExtendedFloat x = ExtendedFloat.parse(sa);
        ExtendedFloat y = ExtendedFloat.parse(sb);
        ExtendedFloat s = ExtendedFloat.add(x, y);
        byte[] out = new byte[RedisNumbers.MAX_LONG_DOUBLE_CHARS];
        int n = s.formatHuman(out, 0);
        return Vectors.str(out, 0, n);
    }

    @Test
    void classifiesLongDoubles() {
        assertThat(classify("1.5")).isEqualTo(RedisNumbers.LONG_DOUBLE_FINITE);
        assertThat(classify("1e400")).isEqualTo(RedisNumbers.LONG_DOUBLE_FINITE);
        assertThat(classify("-0x1p3")).isEqualTo(RedisNumbers.LONG_DOUBLE_FINITE);
        assertThat(classify("inf")).isEqualTo(RedisNumbers.LONG_DOUBLE_INFINITE);
        assertThat(classify("-Infinity")).isEqualTo(RedisNumbers.LONG_DOUBLE_INFINITE);
        assertThat(classify("nan")).isEqualTo(RedisNumbers.LONG_DOUBLE_INVALID);
        assertThat(classify("1e5000")).isEqualTo(RedisNumbers.LONG_DOUBLE_INVALID);
        assertThat(classify("1e-5000")).isEqualTo(RedisNumbers.LONG_DOUBLE_INVALID);
        assertThat(classify("0e-5000")).isEqualTo(RedisNumbers.LONG_DOUBLE_FINITE);
        assertThat(classify("abc")).isEqualTo(RedisNumbers.LONG_DOUBLE_INVALID);
        assertThat(classify("")).isEqualTo(RedisNumbers.LONG_DOUBLE_INVALID);
    }

    private static int classify(String s) {
        byte[] b = latin1(s);
        return RedisNumbers.classifyLongDouble(b, 0, b.length);
    }

    // ---------------------------------------------------------------------------------
    // string2d
    // ---------------------------------------------------------------------------------

    private static double parse(String s) {
        byte[] b = latin1(s);
        return RedisNumbers.parseDouble(b, 0, b.length);
    }

    @Test
    void parsesDoublesLikeString2d() {
        assertThat(parse("1.5")).isEqualTo(1.5);
        assertThat(parse("-0.1")).isEqualTo(-0.1);
        assertThat(parse(".5")).isEqualTo(0.5);
        assertThat(parse("5.")).isEqualTo(5.0);
        assertThat(parse("1e3")).isEqualTo(1000.0);
        assertThat(parse("+1E-3")).isEqualTo(0.001);
        assertThat(parse("0x10")).isEqualTo(16.0);
        assertThat(parse("0x1.8p1")).isEqualTo(3.0);
        assertThat(parse("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("-INFINITY")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Double.doubleToRawLongBits(parse("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(parse("4.9e-324")).isEqualTo(Double.MIN_VALUE);
        assertThat(parse("1.7976931348623157e308")).isEqualTo(Double.MAX_VALUE);
        assertThat(parse("123456789012345678901234567890")).isEqualTo(1.2345678901234568e29);
        for (String bad : new String[] {"nan", "-nan", "nan(1)", "1e309", "1e-400", " 1", "1 ", "", "+", ".",
            "1e", "0x", "1..2", "1d", "1f", "Infinityy", "1\u0000"}) {
            assertThat(parse(bad)).as(bad).isNaN();
        }
        assertThat(parse("0e1000")).isZero();
    }

    @Test
    void parseDoubleMatchesRedisServerOnRecordedInputs() {
        int n = 0;
        for (String[] row : Vectors.load("string2d")) {
            byte[] text = Vectors.hex(row[0]);
            double d = RedisNumbers.parseDouble(text, 0, text.length);
            if (row[1].equals("ERR")) {
                assertThat(d).as("%s should be rejected", Vectors.str(text, 0, text.length)).isNaN();
            } else {
                double expected = row[1].equals("inf") ? Double.POSITIVE_INFINITY
                        : row[1].equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(row[1]);
                assertThat(d).as(Vectors.str(text, 0, text.length)).isEqualTo(expected);
            }
            n++;
        }
        assertThat(n).isGreaterThan(2500);
    }

    // ---------------------------------------------------------------------------------
    // double formatting
    // ---------------------------------------------------------------------------------

    private static String d2s(double d) {
        byte[] b = new byte[40];
        int n = RedisNumbers.formatDouble(d, b, 3);
        return Vectors.str(b, 3, n);
    }

    private static String g17(double d) {
        byte[] b = new byte[40];
        int n = RedisNumbers.formatDouble17g(d, b, 5);
        return Vectors.str(b, 5, n);
    }

    @Test
    void formatsDoublesLikeRedis72() {
        assertThat(d2s(1.1)).isEqualTo("1.1");
        assertThat(d2s(0.1)).isEqualTo("0.1");
        assertThat(d2s(3.0)).isEqualTo("3");
        assertThat(d2s(-0.0)).isEqualTo("-0");
        assertThat(d2s(0.0)).isEqualTo("0");
        assertThat(d2s(Double.NaN)).isEqualTo("nan");
        assertThat(d2s(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(d2s(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(d2s(1e300)).isEqualTo("1e+300");
        assertThat(d2s(1e17)).isEqualTo("100000000000000000");
        assertThat(d2s(0x1p62)).isEqualTo("4611686018427387904");
        // Beyond 2^62 Grisu2 prints its short digits padded with zeros, like Redis.
        assertThat(d2s(0x1p63)).isEqualTo("9223372036854776000");
        assertThat(d2s(1e21)).isEqualTo("1e+21");
        assertThat(d2s(1.5e-7)).isEqualTo("1.5e-7");
        assertThat(d2s(0.000123)).isEqualTo("0.000123");
        assertThat(d2s(-2.5)).isEqualTo("-2.5");
    }

    @Test
    void formatsDoublesLikeRedis70() {
        assertThat(g17(1.1)).isEqualTo("1.1000000000000001");
        assertThat(g17(0.1)).isEqualTo("0.10000000000000001");
        assertThat(g17(1e300)).isEqualTo("1.0000000000000001e+300");
        assertThat(g17(123456789)).isEqualTo("123456789");
        assertThat(g17(3.0)).isEqualTo("3");
        assertThat(g17(0.0)).isEqualTo("0");
        assertThat(g17(-0.0)).isEqualTo("-0");
        assertThat(g17(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(g17(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(g17(Double.NaN)).isEqualTo("nan");
        assertThat(g17(1e16)).isEqualTo("10000000000000000");
        assertThat(g17(1e17)).isEqualTo("1e+17");
        assertThat(g17(1e-4)).isEqualTo("0.0001");
        assertThat(g17(1e-5)).isEqualTo("1.0000000000000001e-05");
        assertThat(g17(Double.MIN_VALUE)).isEqualTo("4.9406564584124654e-324");
        assertThat(g17(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    }

    @Test
    void formatDoubleMatchesRecordedReferences() {
        int n = 0;
        for (String[] row : Vectors.load("d2string")) {
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(row[0], 16));
            assertThat(d2s(d)).as("d2string of %s", row[0]).isEqualTo(row[1]);
            assertThat(g17(d)).as("%%.17g of %s", row[0]).isEqualTo(row[2]);
            n++;
        }
        for (String[] row : Vectors.load("zscore17g")) {
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(row[0], 16));
            if (d == 0) {
                continue; // a sorted set stores -0 as the integer 0, so ZSCORE cannot show "-0"
            }
            assertThat(g17(d)).as("ZSCORE of %s", row[0]).isEqualTo(row[1]);
            n++;
        }
        assertThat(n).isGreaterThan(10_000);
    }

    @Test
    void format17gAgreesWithExactDecimalExpansion() {
        SplittableRandom rnd = new SplittableRandom(2024);
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            double d = Double.longBitsToDouble(rnd.nextLong());
            if (!Double.isNaN(d) && !Double.isInfinite(d)) {
                samples.add(d);
            }
        }
        for (double d : samples) {
            String expected = reference17g(d);
            String actual = g17(d);
            if (!actual.equals(expected)) {
                assertThat(actual).as("bits %x", Double.doubleToRawLongBits(d)).isEqualTo(expected);
            }
        }
    }

    /** C's %.17g from the exact decimal expansion. */
    private static String reference17g(double d) {
        if (d == 0) {
            return Double.doubleToRawLongBits(d) < 0 ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(d).round(new MathContext(17, RoundingMode.HALF_EVEN));
        int x = bd.precision() - bd.scale() - 1;
        String sign = bd.signum() < 0 ? "-" : "";
        String digits = bd.unscaledValue().abs().toString();
        digits = digits.replaceFirst("0+$", "");
        if (digits.isEmpty()) {
            digits = "0";
        }
        if (x < -4 || x >= 17) {
            String mant = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            return sign + mant + "e" + (x < 0 ? "-" : "+") + (Math.abs(x) < 10 ? "0" : "") + Math.abs(x);
        }
        BigDecimal plain = new BigDecimal(bd.unscaledValue().abs(), bd.scale()).stripTrailingZeros();
        return sign + plain.toPlainString();
    }

    @Test
    void grisuPowerTableMatchesRedis() {
        // A few entries of deps/fpconv/fpconv_powers.h.
        assertThat(Grisu2.cachedPower(0)).containsExactly(Long.parseUnsignedLong("18054884314459144840"), -1220);
        assertThat(Grisu2.cachedPower(1)).containsExactly(Long.parseUnsignedLong("13451937075301367670"), -1193);
        assertThat(Grisu2.cachedPower(43)).containsExactly(Long.parseUnsignedLong("15111572745182864684"), -77);
        assertThat(Grisu2.cachedPower(44)).containsExactly(Long.parseUnsignedLong("11258999068426240000"), -50);
        assertThat(Grisu2.cachedPower(46)).containsExactly(Long.parseUnsignedLong("12500000000000000000"), 3);
        assertThat(Grisu2.cachedPower(47)).containsExactly(Long.parseUnsignedLong("9313225746154785156"), 30);
        assertThat(Grisu2.cachedPower(86)).containsExactly(Long.parseUnsignedLong("12648080533535911531"), 1066);
    }

    @Test
    void formattingDoesNotAllocateOnTheCommonPath() {
        // Smoke check with the thread allocation counter: integer and double formatting, integer
        // parsing and a short INCRBYFLOAT stay allocation-free once warmed up.
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] buf = new byte[RedisNumbers.MAX_LONG_DOUBLE_CHARS];
        byte[] a = latin1("10.5");
        byte[] b = latin1("0.1");
        byte[] noisy = latin1("5000.10000000000000009");
        byte[] num = latin1("-123456789");
        LongParse lp = new LongParse();
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            // Warm-up rounds let the JIT compile the loops; the last one is measured.
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                sink += RedisNumbers.formatLong(i * 31L, buf, 0);
                sink += RedisNumbers.formatDouble(i * 0.37, buf, 0);
                sink += RedisNumbers.formatDouble17g(i * 0.37, buf, 0);
                sink += RedisNumbers.tryParseLong(num, 0, num.length, lp) ? lp.value : 0;
                sink += RedisNumbers.incrByFloat(a, 0, a.length, b, 0, b.length, buf, 0);
                sink += RedisNumbers.incrByFloat(noisy, 0, noisy.length, b, 0, b.length, buf, 0);
                sink += (long) RedisNumbers.parseDouble(a, 0, a.length);
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                assertThat(allocated).as("bytes allocated in the last round").isLessThan(10_000);
            }
        }
        assertThat(sink).isNotZero();
    }
}
