package io.ferrite.core.strings;

/**
 * A reusable, mutable holder for the result of an allocation-free parse or computation that
 * yields a {@code long}. The methods that take one return {@code true}/{@code false} for
 * success and, on success only, store the result in {@link #value}. Keep one per connection or
 * per thread; instances are not thread-safe.
 */
public final class LongParse {
    /** The last successfully parsed value; unspecified after a failed parse. */
    public long value;
}
