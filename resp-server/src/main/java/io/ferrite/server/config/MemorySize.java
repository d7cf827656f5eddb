package io.ferrite.server.config;

import java.util.Locale;

/**
 * Memory sizes as redis.conf writes them: {@code 1gb} (2^30), {@code 1g} (10^9), {@code mb},
 * {@code m}, {@code kb}, {@code k}, {@code b} or bare bytes, case-insensitive (Redis's
 * {@code memtoull}); and back again for CONFIG REWRITE.
 */
public final class MemorySize {
    private static final long KB = 1024;
    private static final long MB = 1024 * KB;
    private static final long GB = 1024 * MB;

    private MemorySize() {
    }

    /** The number of bytes {@code text} denotes, or -1 if it is not a memory size (negative, unknown unit, overflow). */
    public static long parse(String text) {
        int i = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        long multiplier = switch (text.substring(i).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> KB;
            case "m" -> 1000 * 1000;
            case "mb" -> MB;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> GB;
            default -> -1;
        };
        if (multiplier < 0 || i > 19) {
            return -1;
        }
        // Like strtoull on an empty digit string, "" and "mb" alone mean 0.
        long value = i == 0 ? 0 : Long.parseLong(text, 0, i, 10);
        if (value > Long.MAX_VALUE / multiplier) {
            return -1;
        }
        return value * multiplier;
    }

    /** The shortest exact redis.conf spelling of {@code bytes}: "1gb", "512mb", "64kb" or plain bytes. */
    public static String format(long bytes) {
        if (bytes != 0 && bytes % GB == 0) {
            return bytes / GB + "gb";
        }
        if (bytes != 0 && bytes % MB == 0) {
            return bytes / MB + "mb";
        }
        if (bytes != 0 && bytes % KB == 0) {
            return bytes / KB + "kb";
        }
        return Long.toString(bytes);
    }
}
