package io.ferrite.sql;

import java.util.ArrayDeque;
import org.apache.calcite.linq4j.Enumerator;

/**
 * The rows of a table scan, pulled from its {@link RowSource} batch by batch: nothing is read ahead of what
 * the query consumes. Rows are read with the columns the filter checks too, checked, and cut back
 * to the projected columns.
 */
final class RowEnumerator implements Enumerator<Object[]> {
    private final RowSource source;
    private final int[] projects;
    private final ScanFilter filter;
    /** The columns read: the projected ones, then the ones only the filter needs. */
    private final int[] read;
    private final ArrayDeque<Object[]> pending = new ArrayDeque<>();
    private KeyRows rows = KeyRows.NONE;
    private Object[] current;

    RowEnumerator(RowSource source, int[] projects, int[] read, ScanFilter filter) {
        this.source = source;
        this.projects = projects;
        this.read = read;
        this.filter = filter;
    }

    @Override
    public Object[] current() {
        return current;
    }

    @Override
    public boolean moveNext() {
        while (true) {
            while (pending.isEmpty()) {
                if (!rows.fill(pending)) {
                    KeyRows next = source.next();
                    if (next == null) {
                        current = null;
                        return false;
                    }
                    rows = next;
                }
            }
            Object[] row = pending.poll();
            if (read == projects) {
                current = row;
                return true;
            }
            if (filter.passes(row, read)) {
                current = row.length == projects.length ? row : java.util.Arrays.copyOf(row, projects.length);
                return true;
            }
        }
    }

    @Override
    public void reset() {
        throw new UnsupportedOperationException("a scan of the keyspace cannot be rewound");
    }

    @Override
    public void close() {
        pending.clear();
    }
}
