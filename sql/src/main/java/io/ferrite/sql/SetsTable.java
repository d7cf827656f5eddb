package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.ValueType;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** {@code sets(key, member)}: one row per member of every set, read a scan step at a time (SSCAN). */
final class SetsTable extends KeyspaceTable {
    SetsTable(FerriteStore store, int db) {
        super(store, db, ValueType.SET, List.of(Column.varchar("key"), Column.varchar("member")));
    }

    @Override
    KeyRows rowsOf(byte[] key, int[] projects) {
        MemorySegment k = MemorySegment.ofArray(key);
        String name = text(key);
        return scanned((cursor, out, next) -> store.sets().scan(db, k, cursor, KeyRows.BATCH, (source, offset, length) -> {
            String member = text(source, offset, length);
            out.add(project(projects, column -> column == 0 ? name : member));
        }, next));
    }
}
