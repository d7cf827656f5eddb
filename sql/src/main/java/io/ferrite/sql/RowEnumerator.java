package io.ferrite.sql;

import java.util.ArrayDeque;
import org.apache.calcite.linq4j.Enumerator;

/** The rows of a table scan, pulled key by key and batch by batch: nothing is read ahead of what the query consumes. */
final class RowEnumerator implements Enumerator<Object[]> {
    private final KeyStream keys;
    private final KeyspaceTable table;
    private final int[] projects;
    private final ArrayDeque<Object[]> pending = new ArrayDeque<>();
    private KeyRows rows = KeyRows.NONE;
    private Object[] current;

    RowEnumerator(KeyStream keys, KeyspaceTable table, int[] projects) {
        this.keys = keys;
        this.table = table;
        this.projects = projects;
    }

    @Override
    public Object[] current() {
        return current;
    }

    @Override
    public boolean moveNext() {
        while (pending.isEmpty()) {
            if (!rows.fill(pending)) {
                if (!keys.hasNext()) {
                    current = null;
                    return false;
                }
                rows = table.rowsOf(keys.next(), projects);
            }
        }
        current = pending.poll();
        return true;
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
