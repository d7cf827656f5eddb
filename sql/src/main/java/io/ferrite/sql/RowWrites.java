package io.ferrite.sql;

import java.util.AbstractCollection;
import java.util.Collections;
import java.util.Iterator;

/**
 * What Calcite's INSERT and DELETE write into: each row added is inserted into the table, each
 * row removed deleted from it, at once, through the engine's API (one key's change at a time,
 * atomic for that key, with the change events and the AOF entry of the equivalent Redis
 * command). A statement is not atomic as a whole: a row that fails stops it, and the rows
 * before it stay written. {@link #size} counts from a base so that Calcite's difference of two
 * sizes is the number of rows the statement changed.
 */
final class RowWrites extends AbstractCollection<Object[]> {
    private static final int BASE = Integer.MAX_VALUE / 2;

    private final KeyspaceTable table;
    private int size = BASE;

    RowWrites(KeyspaceTable table) {
        this.table = table;
    }

    @Override
    public boolean add(Object[] row) {
        table.insert(row);
        size++;
        return true;
    }

    @Override
    public boolean remove(Object row) {
        if (table.delete((Object[]) row)) {
            size--;
            return true;
        }
        return false;
    }

    /** Calcite's DELETE hands over the rows to delete (AbstractCollection's would walk this empty collection instead). */
    @Override
    public boolean removeAll(java.util.Collection<?> rows) {
        boolean changed = false;
        for (Object row : rows) {
            changed |= remove(row);
        }
        return changed;
    }

    @Override
    public Iterator<Object[]> iterator() {
        return Collections.emptyIterator(); // the table's rows are read by its scan, never through here
    }

    @Override
    public int size() {
        return size;
    }
}
