package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import java.lang.foreign.MemorySegment;
import java.util.List;
import io.ferrite.core.aof.RespCommand;
import io.ferrite.core.strings.LongParse;

/**
 * {@code sets(key, member)}: one row per member of every set, read a scan step at a time (SSCAN).
 * A query asking for {@code member = ...} checks that member alone (SISMEMBER). INSERT is SADD (a member already there changes nothing), DELETE is SREM.
 */
final class SetsTable extends KeyspaceTable {
    SetsTable(FerriteStore store, int db) {
        super(store, db, ValueType.SET, List.of(Column.key("key"), Column.varchar("member")));
    }

    @Override
    KeyRows rowsOf(byte[] key, int[] projects, ScanFilter filter) {
        MemorySegment k = MemorySegment.ofArray(key);
        String name = projects(projects, 0) ? text(key) : null;
        String asked = filter.required(1);
        if (asked != null) { // one member asked for: SISMEMBER instead of reading them all
            LongParse found = new LongParse();
            Status status = store.sets().contains(db, k, filter.requiredBytes(1), found);
            return status != Status.OK || found.value == 0 ? KeyRows.NONE : once(project(projects, column -> column == 0 ? name : asked));
        }
        return scanned((cursor, out, next) -> store.sets().scan(db, k, cursor, KeyRows.BATCH, (source, offset, length) -> {
            String member = text(source, offset, length);
            out.add(project(projects, column -> column == 0 ? name : member));
        }, next));
    }

    @Override
    List<String> primaryKey() {
        return List.of("key", "member");
    }

    @Override
    String name() {
        return "sets";
    }

    @Override
    void insert(Object[] row) {
        byte[] key = required(row, 0);
        byte[] member = required(row, 1);
        write(key, () -> store.sets().add(db, MemorySegment.ofArray(key), new MemorySegment[] {MemorySegment.ofArray(member)},
                0, 1, new LongParse()), () -> RespCommand.of(SADD, key, member));
    }

    @Override
    boolean delete(Object[] row) {
        byte[] key = required(row, 0);
        byte[] member = required(row, 1);
        LongParse removed = new LongParse();
        write(key, () -> store.sets().remove(db, MemorySegment.ofArray(key), new MemorySegment[] {MemorySegment.ofArray(member)},
                0, 1, removed), () -> RespCommand.of(SREM, key, member));
        return removed.value > 0;
    }

    private static final byte[] SADD = {'S', 'A', 'D', 'D'};
    private static final byte[] SREM = {'S', 'R', 'E', 'M'};
}
