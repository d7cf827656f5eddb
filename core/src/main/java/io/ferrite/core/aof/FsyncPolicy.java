package io.ferrite.core.aof;

import java.util.Locale;

/** Redis's {@code appendfsync}: when the append-only file is forced to disk. */
public enum FsyncPolicy {
    /** After every write batch, before any of its commands is acknowledged (group commit). */
    ALWAYS,
    /** About once a second, in the background: a crash loses at most about a second. */
    EVERYSEC,
    /** Never explicitly: the operating system decides. */
    NO;

    /** Parses Redis's spelling ({@code always}, {@code everysec}, {@code no}). */
    public static FsyncPolicy parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "always" -> ALWAYS;
            case "everysec" -> EVERYSEC;
            case "no" -> NO;
            default -> throw new IllegalArgumentException("appendfsync must be always, everysec or no: " + value);
        };
    }

    /** Redis's spelling. */
    public String redisName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
