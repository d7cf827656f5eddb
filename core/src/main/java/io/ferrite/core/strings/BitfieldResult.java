package io.ferrite.core.strings;

/**
 * A reusable, mutable result of one BITFIELD SET or INCRBY operation (see
 * {@link BitOps#bitfieldSet} and {@link BitOps#bitfieldIncrBy}). Not thread-safe; keep one per
 * connection or thread.
 */
public final class BitfieldResult {
    /**
     * What Redis replies for the operation: the previous value for SET, the new value for
     * INCRBY. Unspecified when the operation failed (OVERFLOW FAIL, reply is null).
     */
    public long value;
    /** The value now stored in the field (unchanged from before when the operation failed). */
    public long newValue;
    /** The value or sum did not fit the field (it was wrapped, saturated, or refused). */
    public boolean overflow;
    /** The stored bits differ from before (Redis counts such an operation as a change). */
    public boolean changed;
}
