package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** {@code strings(key, value)}: the database's string keys and their values, as UTF-8 text. */
final class StringsTable extends KeyspaceTable {
    StringsTable(FerriteStore store, int db) {
        super(store, db, ValueType.STRING, List.of(Column.varchar("key"), Column.varchar("value")));
    }

    @Override
    KeyRows rowsOf(byte[] key, int[] projects) {
        String[] value = {null};
        Status status = store.strings().get(db, MemorySegment.ofArray(key),
                (source, offset, length) -> value[0] = text(source, offset, length));
        if (status != Status.OK) {
            return KeyRows.NONE; // gone since the walk found it, or not a string
        }
        return once(project(projects, column -> column == 0 ? text(key) : value[0]));
    }
}
