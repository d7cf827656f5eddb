package io.ferrite.core;

/**
 * When small collections change to their large encoding, under Redis 7.0's directive names and
 * defaults: a hash stays packed ("listpack") while it has at most
 * {@code hash-max-listpack-entries} fields and no field or value longer than
 * {@code hash-max-listpack-value} bytes; a set of integers stays an intset while it has at most
 * {@code set-max-intset-entries} members. Changes apply to writes from then on (CONFIG SET);
 * no collection converts back.
 */
public final class EncodingLimits {
    /** Redis's cap on an intset, whatever the directive says. */
    private static final long INTSET_CAP = 1L << 30;

    private volatile long hashMaxListpackEntries = 512;
    private volatile long hashMaxListpackValue = 64;
    private volatile long setMaxIntsetEntries = 512;

    public long hashMaxListpackEntries() {
        return hashMaxListpackEntries;
    }

    public void hashMaxListpackEntries(long value) {
        hashMaxListpackEntries = requireNonNegative(value);
    }

    public long hashMaxListpackValue() {
        return hashMaxListpackValue;
    }

    public void hashMaxListpackValue(long value) {
        hashMaxListpackValue = requireNonNegative(value);
    }

    public long setMaxIntsetEntries() {
        return setMaxIntsetEntries;
    }

    public void setMaxIntsetEntries(long value) {
        setMaxIntsetEntries = requireNonNegative(value);
    }

    /** The intset limit in force: the directive, capped as Redis caps it. */
    public long intsetLimit() {
        return Math.min(setMaxIntsetEntries, INTSET_CAP);
    }

    private static long requireNonNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return value;
    }
}
