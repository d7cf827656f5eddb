package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.aof.RespCommand;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * {@code lists(key, idx, value)}: one row per element of every list, {@code idx} counting from 0 at
 * the head, read an index range at a time (LRANGE; a list changed between two ranges is read as
 * LRANGE pages would be). INSERT appends (RPUSH) and takes no {@code idx}; UPDATE and DELETE of
 * elements wait for LSET and LREM in the engine and are refused (0A000).
 */
final class ListsTable extends KeyspaceTable {
    ListsTable(FerriteStore store, int db) {
        super(store, db, ValueType.LIST, List.of(Column.key("key"), Column.bigint("idx"), Column.varchar("value")));
    }

    @Override
    KeyRows rowsOf(byte[] key, int[] projects, ScanFilter filter) {
        MemorySegment k = MemorySegment.ofArray(key);
        String name = text(key);
        return ranged((start, stop, out, count) -> {
            long[] index = {start};
            return store.lists().range(db, k, start, stop, (source, offset, length) -> {
                String value = text(source, offset, length);
                long idx = index[0]++;
                out.add(project(projects, column -> switch (column) {
                    case 0 -> name;
                    case 1 -> idx;
                    default -> value;
                }));
            }, count);
        });
    }

    @Override
    List<String> primaryKey() {
        return List.of("key", "idx");
    }

    @Override
    String name() {
        return "lists";
    }

    @Override
    void insert(Object[] row) {
        byte[] key = required(row, 0);
        if (row[1] != null) {
            throw new SqlWriteException(SqlWriteException.NOT_SUPPORTED, "a row of lists is appended to its list (RPUSH):"
                    + " leave idx out, or NULL");
        }
        byte[] value = required(row, 2);
        write(key, () -> store.lists().push(db, MemorySegment.ofArray(key), new MemorySegment[] {MemorySegment.ofArray(value)},
                0, 1, false, false, new LongParse()), () -> RespCommand.of(RPUSH, key, value));
    }

    @Override
    boolean delete(Object[] row) {
        throw new SqlWriteException(SqlWriteException.NOT_SUPPORTED, "rows of lists cannot be deleted yet (the engine has no"
                + " LREM): DELETE FROM keys WHERE key = ... removes the whole list");
    }

    private static final byte[] RPUSH = {'R', 'P', 'U', 'S', 'H'};
}
