package io.ferrite.sql;

import java.util.ArrayDeque;

/**
 * The rows of one key, handed over a batch at a time so that a collection of any size streams:
 * each {@link #fill} adds up to about {@link #BATCH} rows (already projected) to the queue.
 */
interface KeyRows {
    /** About how many rows one {@link #fill} adds (a hash's or set's scan step). */
    int BATCH = 256;

    /** No rows (the key is gone, or is of another type). */
    KeyRows NONE = out -> false;

    /** Adds the next rows; false when there are no more (nothing was added). */
    boolean fill(ArrayDeque<Object[]> out);
}
