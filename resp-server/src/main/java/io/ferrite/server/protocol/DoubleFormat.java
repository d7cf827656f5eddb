package io.ferrite.server.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats doubles exactly as C's {@code printf("%.17g")} does, which is how Redis 7.0 writes
 * scores and float replies (ZSCORE, INCRBYFLOAT's reply in RESP3 and so on): 17 significant
 * digits, trailing zeros removed, exponent form below 1e-4 or from 1e17 on. Infinities are
 * spelled {@code inf}/{@code -inf} and NaN {@code nan}, as Redis does on every platform.
 */
public final class DoubleFormat {
    private static final MathContext SEVENTEEN_DIGITS = new MathContext(17, RoundingMode.HALF_EVEN);
    /** Below this magnitude every integral double has at most 17 digits, so %.17g prints it as a plain integer. */
    private static final double PLAIN_INTEGER_LIMIT = 1e17;

    private DoubleFormat() {
    }

    /** The {@code %.17g} text of {@code value}. */
    public static String g17(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < PLAIN_INTEGER_LIMIT) {
            // Fast path for the common integral scores; keeps the sign of -0.0 like printf.
            if (value == 0) {
                return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
            }
            return Long.toString((long) value);
        }
        // new BigDecimal(double) is the exact binary value, so rounding it half-even to 17
        // digits gives the same digits as glibc's correctly rounded printf.
        BigDecimal rounded = new BigDecimal(value).round(SEVENTEEN_DIGITS);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 17) {
            return exponential(rounded, exponent);
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    private static String exponential(BigDecimal rounded, int exponent) {
        String digits = rounded.unscaledValue().abs().toString();
        int last = digits.length();
        while (last > 1 && digits.charAt(last - 1) == '0') {
            last--;
        }
        StringBuilder text = new StringBuilder(24);
        if (rounded.signum() < 0) {
            text.append('-');
        }
        text.append(digits.charAt(0));
        if (last > 1) {
            text.append('.').append(digits, 1, last);
        }
        text.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            text.append('0');
        }
        return text.append(magnitude).toString();
    }
}
