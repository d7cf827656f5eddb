package io.ferrite.server.family;

import io.ferrite.core.strings.GlobMatcher;
import io.ferrite.server.command.CommandContext;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;

/**
 * The arguments of SCAN, HSCAN and SSCAN, parsed as Redis's {@code scanGenericCommand} parses
 * them: the cursor as {@code strtoul} reads it, then {@code COUNT n} (an integer, at least 1)
 * and {@code MATCH pattern} in any order, the last one winning; SCAN alone also takes
 * {@code TYPE}. Errors are written as Redis words them.
 */
final class ScanOptions {
    private static final byte[] MATCH = "MATCH".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] COUNT = "COUNT".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TYPE = "TYPE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    long count = 10;
    /** The MATCH pattern, or null when there is none (or it is {@code *}). */
    MemorySegment pattern;
    /** SCAN's TYPE argument as given, or null. */
    String type;

    /**
     * The cursor at argument {@code i}, or null after writing {@code ERR invalid cursor}.
     * Redis reads it with strtoul: an optional sign, a negative number wraps around, "" is 0.
     */
    static Long cursor(CommandContext ctx, int i) {
        String text = ctx.argString(i);
        Long cursor = parseCursor(text);
        if (cursor == null) {
            ctx.error("ERR invalid cursor");
        }
        return cursor;
    }

    static Long parseCursor(String text) {
        if (text.isEmpty()) {
            return 0L;
        }
        boolean signed = text.charAt(0) == '+' || text.charAt(0) == '-';
        String digits = signed ? text.substring(1) : text;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        BigInteger value = new BigInteger(digits);
        if (value.bitLength() > 64) {
            return null;
        }
        return text.charAt(0) == '-' ? -value.longValue() : value.longValue();
    }

    /**
     * Parses the options from argument {@code from} on; false after writing the error. TYPE is
     * an option only when {@code typeAllowed} (SCAN).
     */
    boolean parse(CommandContext ctx, int from, boolean typeAllowed) {
        for (int i = from; i < ctx.argc(); i++) {
            boolean more = i + 1 < ctx.argc();
            if (ctx.argIs(i, COUNT) && more) {
                if (!ctx.argLong(++i)) {
                    return false;
                }
                count = ctx.longValue();
                if (count < 1) {
                    ctx.syntaxError();
                    return false;
                }
            } else if (ctx.argIs(i, MATCH) && more) {
                pattern = MemorySegment.ofArray(ctx.request().argBytes(++i));
                if (GlobMatcher.isMatchAll(pattern, 0, pattern.byteSize())) {
                    pattern = null;
                }
            } else if (typeAllowed && ctx.argIs(i, TYPE) && more) {
                type = ctx.argString(++i);
            } else {
                ctx.syntaxError();
                return false;
            }
        }
        return true;
    }

    /** True when {@code s[offset, +length)} passes the MATCH pattern (always, without one). */
    boolean matches(MemorySegment s, long offset, long length) {
        return pattern == null || GlobMatcher.matches(pattern, 0, pattern.byteSize(), s, offset, length, false);
    }
}
