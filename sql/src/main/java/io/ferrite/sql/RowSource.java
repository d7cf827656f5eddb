package io.ferrite.sql;

/**
 * Where a table scan's rows come from: the next key's rows (or a batch of keys' rows) at each
 * {@link #next}, null when there are no more. {@link RowEnumerator} pulls from it only as the
 * query consumes rows.
 */
interface RowSource {
    /** No rows at all. */
    RowSource NONE = () -> null;

    /** The next rows; null at the end. */
    KeyRows next();

    /** The rows of each of {@code keys} in turn, read by {@code table} with the columns {@code read}. */
    static RowSource of(KeyStream keys, KeyspaceTable table, int[] read, ScanFilter filter) {
        return () -> keys.hasNext() ? table.rowsOf(keys.next(), read, filter) : null;
    }
}
