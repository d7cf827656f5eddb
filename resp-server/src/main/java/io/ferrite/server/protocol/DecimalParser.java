package io.ferrite.server.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Strict decimal integer parsing with the rules of Redis's {@code string2ll}: an optional
 * '-', then either a lone "0" or a non-zero digit followed by digits; no '+', no spaces, no
 * leading zeros, no "-0", at most 20 bytes, and no overflow of a signed 64-bit value.
 *
 * <p>An instance is a reusable result holder: {@link #parse} reports success as a boolean and
 * leaves the number in {@link #value()}, so bad input costs neither an exception nor an
 * allocation. One instance per connection; not thread-safe.
 */
final class DecimalParser {
    /** Redis's LONG_STR_SIZE is 21: strings of 21 bytes or more are never numbers. */
    static final int MAX_LENGTH = 20;

    private long value;

    /** Parses {@code length} bytes at absolute {@code index} of {@code buf}; on success the number is in {@link #value()}. */
    boolean parse(ByteBuf buf, int index, int length) {
        if (length <= 0 || length > MAX_LENGTH) {
            return false;
        }
        int p = index;
        int end = index + length;
        byte first = buf.getByte(p);
        if (first == '0') {
            value = 0;
            return length == 1;
        }
        boolean negative = first == '-';
        if (negative) {
            if (++p == end) {
                return false;
            }
            first = buf.getByte(p);
        }
        if (first < '1' || first > '9') {
            return false;
        }
        // Accumulate as a negative number: its range is one larger, so Long.MIN_VALUE parses
        // without a special case.
        long acc = -(first - '0');
        for (p++; p < end; p++) {
            int digit = buf.getByte(p) - '0';
            if (digit < 0 || digit > 9 || acc < Long.MIN_VALUE / 10) {
                return false;
            }
            acc *= 10;
            if (acc < Long.MIN_VALUE + digit) {
                return false;
            }
            acc -= digit;
        }
        if (!negative) {
            if (acc == Long.MIN_VALUE) {
                return false;
            }
            acc = -acc;
        }
        value = acc;
        return true;
    }

    /** The number read by the last successful {@link #parse}. */
    long value() {
        return value;
    }
}
