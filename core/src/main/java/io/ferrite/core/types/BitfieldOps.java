package io.ferrite.core.types;

import io.ferrite.core.strings.BitOps;
import io.ferrite.core.strings.BitfieldResult;

/**
 * A BITFIELD command as a reusable list of operations and their results: the RESP layer
 * fills it with {@link #add}, the engine runs all operations under one lock, the RESP layer
 * reads {@link #result} and {@link #isNull}. One per connection.
 */
public final class BitfieldOps {
    /** What one operation does. */
    public enum Kind { GET, SET, INCRBY }

    private Kind[] kinds = new Kind[8];
    private int[] bits = new int[8];
    private boolean[] signed = new boolean[8];
    private long[] offsets = new long[8];
    private long[] values = new long[8];
    private BitOps.Overflow[] overflows = new BitOps.Overflow[8];
    private long[] results = new long[8];
    private boolean[] nulls = new boolean[8];
    private int count;
    final BitfieldResult scratch = new BitfieldResult();

    public void clear() {
        count = 0;
    }

    public int count() {
        return count;
    }

    public void add(Kind kind, int bits, boolean signed, long bitOffset, long value, BitOps.Overflow overflow) {
        if (count == kinds.length) {
            grow();
        }
        kinds[count] = kind;
        this.bits[count] = bits;
        this.signed[count] = signed;
        offsets[count] = bitOffset;
        values[count] = value;
        overflows[count] = overflow;
        count++;
    }

    /** True when any operation writes (so the key is created or changed). */
    public boolean writes() {
        for (int i = 0; i < count; i++) {
            if (kinds[i] != Kind.GET) {
                return true;
            }
        }
        return false;
    }

    /** The string length the writes need. */
    long requiredLength() {
        long max = 0;
        for (int i = 0; i < count; i++) {
            if (kinds[i] != Kind.GET) {
                max = Math.max(max, BitOps.bitfieldRequiredLength(offsets[i], bits[i]));
            }
        }
        return max;
    }

    Kind kind(int i) { return kinds[i]; }
    int bits(int i) { return bits[i]; }
    boolean signed(int i) { return signed[i]; }
    long offset(int i) { return offsets[i]; }
    long value(int i) { return values[i]; }
    BitOps.Overflow overflow(int i) { return overflows[i]; }

    void result(int i, long value, boolean isNull) {
        results[i] = value;
        nulls[i] = isNull;
    }

    /** The reply value of operation {@code i} (meaningless when {@link #isNull}). */
    public long result(int i) {
        return results[i];
    }

    /** True when operation {@code i} replies null (OVERFLOW FAIL refused it). */
    public boolean isNull(int i) {
        return nulls[i];
    }

    private void grow() {
        int n = kinds.length * 2;
        kinds = java.util.Arrays.copyOf(kinds, n);
        bits = java.util.Arrays.copyOf(bits, n);
        signed = java.util.Arrays.copyOf(signed, n);
        offsets = java.util.Arrays.copyOf(offsets, n);
        values = java.util.Arrays.copyOf(values, n);
        overflows = java.util.Arrays.copyOf(overflows, n);
        results = java.util.Arrays.copyOf(results, n);
        nulls = java.util.Arrays.copyOf(nulls, n);
    }
}
