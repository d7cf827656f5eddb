package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.aof.RespCommand;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.LongParse;
import io.ferrite.core.types.ZSetCommands;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code zsets(key, member, score)}: one row per member of every sorted set, in the set's order
 * (score, then member), read an index range at a time (ZRANGE); a query asking for
 * {@code member = ...} reads that member's score alone (ZSCORE). INSERT is ZADD (a member already
 * there takes the new score), UPDATE of {@code score} ZADD XX, DELETE ZREM.
 */
final class ZSetsTable extends KeyspaceTable {
    ZSetsTable(FerriteStore store, int db) {
        super(store, db, ValueType.ZSET, List.of(Column.key("key"), Column.varchar("member"), Column.doubles("score")));
    }

    @Override
    KeyRows rowsOf(byte[] key, int[] projects, ScanFilter filter) {
        MemorySegment k = MemorySegment.ofArray(key);
        String name = text(key);
        String asked = filter.required(1);
        if (asked != null) {
            double[] score = new double[1];
            Status status = store.zsets().score(db, k, MemorySegment.ofArray(asked.getBytes(StandardCharsets.UTF_8)), score);
            return status != Status.OK ? KeyRows.NONE : once(project(projects, column -> switch (column) {
                case 0 -> name;
                case 1 -> asked;
                default -> score[0];
            }));
        }
        return ranged((start, stop, out, count) -> store.zsets().range(db, k, start, stop, false, (m, mo, ml, s, so, sl) -> {
            String member = text(m, mo, ml);
            double score = s.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, so);
            out.add(project(projects, column -> switch (column) {
                case 0 -> name;
                case 1 -> member;
                default -> score;
            }));
        }, count));
    }

    @Override
    List<String> primaryKey() {
        return List.of("key", "member");
    }

    @Override
    String name() {
        return "zsets";
    }

    @Override
    void insert(Object[] row) {
        add(required(row, 0), required(row, 1), row[2], 0);
    }

    @Override
    int updatableColumn() {
        return 2;
    }

    /** ZADD XX: the member's new score, if it is still there. */
    @Override
    boolean update(Object[] row, Object value) {
        return add(required(row, 0), required(row, 1), value, ZSetCommands.XX);
    }

    private boolean add(byte[] key, byte[] member, Object score, int flags) {
        requiredValue(score, 2);
        double value = ((Number) score).doubleValue();
        if (Double.isNaN(value)) {
            throw new SqlWriteException("22023", "the score of member '" + text(member) + "' of '" + text(key) + "' is NaN,"
                    + " which a sorted set cannot hold");
        }
        byte[] text = TypedText.write(value, SqlTypeName.DOUBLE).getBytes(StandardCharsets.UTF_8);
        LongParse result = new LongParse();
        Status status = write(key, () -> store.zsets().add(db, MemorySegment.ofArray(key), new double[] {value},
                new MemorySegment[] {MemorySegment.ofArray(member)}, 0, 1, flags | ZSetCommands.CH, result, new double[1]),
                () -> flags == 0 ? RespCommand.of(ZADD, key, text, member) : RespCommand.of(ZADD, key, XX, text, member));
        return status == Status.OK && (flags == 0 || exists(key, member));
    }

    private boolean exists(byte[] key, byte[] member) {
        return store.zsets().score(db, MemorySegment.ofArray(key), MemorySegment.ofArray(member), new double[1]) == Status.OK;
    }

    @Override
    boolean delete(Object[] row) {
        byte[] key = required(row, 0);
        byte[] member = required(row, 1);
        LongParse removed = new LongParse();
        write(key, () -> store.zsets().remove(db, MemorySegment.ofArray(key), new MemorySegment[] {MemorySegment.ofArray(member)},
                0, 1, removed), () -> RespCommand.of(ZREM, key, member));
        return removed.value > 0;
    }

    private static final byte[] ZADD = {'Z', 'A', 'D', 'D'};
    private static final byte[] ZREM = {'Z', 'R', 'E', 'M'};
    private static final byte[] XX = {'X', 'X'};
}
