package io.ferrite.core.api;

/**
 * The outcome of an engine operation. Expected outcomes ("not found", "wrong type",
 * "condition not met") are values of this enum rather than exceptions, so the hot path
 * never allocates or unwinds for them. Each door maps a status to its own error form
 * (a Redis error reply, a JCache exception, an SQLState).
 */
public enum Status {
    /** The operation happened (or, for reads, the key exists and was read). */
    OK,
    /** The key does not exist (or has expired). */
    NOT_FOUND,
    /** A condition such as NX, XX, GT or LT was not met, so nothing changed. */
    NOT_PERFORMED,
    /** The key holds a value of another type than the operation works on. */
    WRONG_TYPE,
    /** The stored value (or the argument) is not an integer, or is out of the 64-bit range. */
    NOT_AN_INTEGER,
    /** The stored value (or the argument) is not a valid float. */
    NOT_A_FLOAT,
    /** An integer increment or decrement would overflow 64 bits. */
    OVERFLOW,
    /** A float increment would produce NaN or Infinity. */
    NAN_OR_INFINITY,
    /** The resulting value would exceed the configured maximum value size. */
    VALUE_TOO_LARGE,
    /** The key exceeds the configured maximum key size. */
    KEY_TOO_LARGE,
    /** A bit offset, range or argument is out of the allowed range. */
    OUT_OF_RANGE,
    /** Source and destination are the same key where that is not allowed (e.g. COPY). */
    SAME_KEY,
    /** The memory budget is exhausted and nothing could be reclaimed: the write was refused. */
    OUT_OF_MEMORY
}
