package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.ValueType;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** {@code hashes(key, field, value)}: one row per field of every hash, read a scan step at a time (HSCAN). */
final class HashesTable extends KeyspaceTable {
    HashesTable(FerriteStore store, int db) {
        super(store, db, ValueType.HASH, List.of(Column.varchar("key"), Column.varchar("field"), Column.varchar("value")));
    }

    @Override
    KeyRows rowsOf(byte[] key, int[] projects) {
        MemorySegment k = MemorySegment.ofArray(key);
        String name = text(key);
        return scanned((cursor, out, next) -> store.hashes().scan(db, k, cursor, KeyRows.BATCH, (field, fo, fl, value, vo, vl) -> {
            String f = text(field, fo, fl);
            String v = text(value, vo, vl);
            out.add(project(projects, column -> switch (column) {
                case 0 -> name;
                case 1 -> f;
                default -> v;
            }));
        }, next));
    }
}
