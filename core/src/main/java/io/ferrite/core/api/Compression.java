package io.ferrite.core.api;

import java.util.Locale;

/** How cold blocks are compressed on disk; the code is stored in every block header. */
public enum Compression {
    NONE(0),
    LZ4(1),
    ZSTD(2);

    private final int code;

    Compression(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Compression ofCode(int code) {
        for (Compression c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression code " + code);
    }

    /** Parses the configuration value ({@code lz4}, {@code zstd}, {@code none}). */
    public static Compression parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
