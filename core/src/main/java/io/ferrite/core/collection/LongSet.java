package io.ferrite.core.collection;

import java.util.Arrays;

/**
 * A set of longs by open addressing, for the positions a random draw of distinct elements has
 * already taken (SRANDMEMBER, HRANDFIELD, SPOP with a count): no boxed keys. Long.MIN_VALUE is
 * the empty slot and cannot be stored.
 */
final class LongSet {
    private static final long EMPTY = Long.MIN_VALUE;
    private long[] slots;
    private int size;

    LongSet(int expected) {
        slots = new long[Integer.highestOneBit(Math.max(8, expected * 2 - 1)) << 1];
        Arrays.fill(slots, EMPTY);
    }

    /** Adds {@code v}; false when it was there already. */
    boolean add(long v) {
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == EMPTY) {
                slots[i] = v;
                size++;
                return true;
            }
            if (slots[i] == v) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        Arrays.fill(slots, EMPTY);
        size = 0;
        for (long v : old) {
            if (v != EMPTY) {
                add(v);
            }
        }
    }

    private static int mix(long v) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
