package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import java.lang.foreign.MemorySegment;
import java.util.List;
import io.ferrite.core.aof.RespCommand;
import io.ferrite.core.api.ExpireMode;

/**
 * {@code strings(key, value)}: the database's string keys and their values, as UTF-8 text.
 * INSERT is SET (a TTL the key had is dropped, as SET drops it); UPDATE of {@code value} is SET
 * KEEPTTL and DELETE removes the key, both only if it still holds the value the statement read.
 */
final class StringsTable extends KeyspaceTable {
    StringsTable(FerriteStore store, int db) {
        super(store, db, ValueType.STRING, List.of(Column.key("key"), Column.varchar("value")));
    }

    @Override
    KeyRows rowsOf(byte[] key, int[] projects, ScanFilter filter) {
        String[] value = {null};
        Status status = store.strings().get(db, MemorySegment.ofArray(key),
                (source, offset, length) -> value[0] = text(source, offset, length));
        if (status != Status.OK) {
            return KeyRows.NONE; // gone since the walk found it, or not a string
        }
        return once(project(projects, column -> column == 0 ? text(key) : value[0]));
    }

    @Override
    String name() {
        return "strings";
    }

    @Override
    void insert(Object[] row) {
        byte[] key = required(row, 0);
        byte[] value = required(row, 1);
        write(key, () -> store.strings().set(db, MemorySegment.ofArray(key), MemorySegment.ofArray(value)),
                () -> RespCommand.of(SET, key, value));
    }

    @Override
    boolean delete(Object[] row) {
        byte[] key = required(row, 0);
        byte[] value = required(row, 1);
        return write(key, () -> store.strings().compareAndSet(db, MemorySegment.ofArray(key), MemorySegment.ofArray(value),
                null, ExpireMode.KEEP, 0), () -> RespCommand.of(DEL, key)) == Status.OK;
    }

    @Override
    int updatableColumn() {
        return 1;
    }

    /** SET, keeping the TTL, if the key still holds the value the statement read (another door's write meanwhile wins). */
    @Override
    boolean update(Object[] row, Object value) {
        byte[] key = required(row, 0);
        byte[] old = required(row, 1);
        byte[] now = requiredValue(value, 1);
        return write(key, () -> store.strings().compareAndSet(db, MemorySegment.ofArray(key), MemorySegment.ofArray(old),
                MemorySegment.ofArray(now), ExpireMode.KEEP, 0), () -> RespCommand.of(SET, key, now, KEEPTTL)) == Status.OK;
    }

    private static final byte[] KEEPTTL = {'K', 'E', 'E', 'P', 'T', 'T', 'L'};
    private static final byte[] SET = {'S', 'E', 'T'};
    private static final byte[] DEL = {'D', 'E', 'L'};
}
