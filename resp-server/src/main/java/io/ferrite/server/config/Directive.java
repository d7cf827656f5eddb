package io.ferrite.server.config;

import java.util.List;
import java.util.Objects;

/**
 * One configuration directive: its name and aliases (matched case-insensitively), value type,
 * default, whether CONFIG SET may change it while the server runs, and a one-line summary.
 * Immutable; the definitions live in {@link Directives}.
 *
 * @param <T> the Java type of the value
 */
public final class Directive<T> {
    private final String name;
    private final List<String> aliases;
    private final ValueType<T> type;
    private final T defaultValue;
    private final boolean mutable;
    private final String summary;

    Directive(String name, List<String> aliases, ValueType<T> type, T defaultValue, boolean mutable, String summary) {
        this.name = Objects.requireNonNull(name, "name");
        this.aliases = List.copyOf(aliases);
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
        this.mutable = mutable;
        this.summary = Objects.requireNonNull(summary, "summary");
    }

    /** The canonical (lower-case) name. */
    public String name() {
        return name;
    }

    /** Other names accepted for this directive (e.g. lua-time-limit for busy-reply-threshold). */
    public List<String> aliases() {
        return aliases;
    }

    public ValueType<T> type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** True if CONFIG SET may change it at runtime; otherwise only the config file and command line can. */
    public boolean mutable() {
        return mutable;
    }

    /** What the directive controls, in one line. */
    public String summary() {
        return summary;
    }

    @Override
    public String toString() {
        return name;
    }
}
