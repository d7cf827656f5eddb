package io.ferrite.sql;

import java.util.ArrayDeque;
import org.apache.calcite.linq4j.Enumerator;

/**
 * The rows of a table scan, pulled key by key and batch by batch: nothing is read ahead of what
 * the query consumes. Rows are read with the columns the filter checks too, checked, and cut back
 * to the projected columns.
 */
final class RowEnumerator implements Enumerator<Object[]> {
    private final KeyStream keys;
    private final KeyspaceTable table;
    private final int[] projects;
    private final ScanFilter filter;
    /** The columns read: the projected ones, then the ones only the filter needs. */
    private final int[] read;
    private final ArrayDeque<Object[]> pending = new ArrayDeque<>();
    private KeyRows rows = KeyRows.NONE;
    private Object[] current;

    RowEnumerator(KeyStream keys, KeyspaceTable table, int[] projects, ScanFilter filter) {
        this.keys = keys;
        this.table = table;
        this.projects = projects;
        this.filter = filter;
        this.read = filter.checksRows() ? filter.withCheckedColumns(projects) : projects;
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
                    if (!keys.hasNext()) {
                        current = null;
                        return false;
                    }
                    rows = table.rowsOf(keys.next(), read, filter);
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
