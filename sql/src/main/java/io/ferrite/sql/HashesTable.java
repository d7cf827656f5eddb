package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.aof.RespCommand;
import io.ferrite.core.api.HashFieldVisitor;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hashes(key, field, value)}: one row per field of every hash, read a scan step at a time
 * (HSCAN), or just one field's (HGET) when the query asks for {@code field = ...}. INSERT is HSET of the field (a field that exists takes the new value, as HSET);
 * UPDATE of {@code value} is HSET of the row's field; DELETE is HDEL of the field.
 */
final class HashesTable extends KeyspaceTable {
    HashesTable(FerriteStore store, int db) {
        super(store, db, ValueType.HASH, List.of(Column.key("key"), Column.varchar("field"), Column.varchar("value")));
    }

    @Override
    KeyRows rowsOf(byte[] key, int[] projects, ScanFilter filter) {
        MemorySegment k = MemorySegment.ofArray(key);
        String name = projects(projects, 0) ? text(key) : null;
        String asked = filter.required(1);
        if (asked != null) { // one field asked for: HGET it instead of reading them all
            String[] value = {null};
            boolean valueRead = projects(projects, 2);
            Status status = store.hashes().get(db, k, filter.requiredBytes(1),
                    (source, offset, length) -> value[0] = valueRead ? text(source, offset, length) : null);
            return status != Status.OK ? KeyRows.NONE : once(project(projects, column -> switch (column) {
                case 0 -> name;
                case 1 -> asked;
                default -> value[0];
            }));
        }
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

    /**
     * A walk asking for one field ({@code field = 'city'}) reads it in the walk that finds each
     * hash ({@code HashCommands#scanField}: one index lookup per hash, not a SCAN and an HGET);
     * a large hash's field is an HGET after the step.
     */
    @Override
    RowSource walk(ScanFilter filter, int[] read) {
        String asked = filter.required(1);
        if (asked == null) {
            return super.walk(filter, read);
        }
        MemorySegment field = filter.requiredBytes(1);
        MemorySegment prefix = filter.keyPrefix == null ? null
                : MemorySegment.ofArray(filter.keyPrefix.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        boolean keyRead = projects(read, 0);
        boolean valueRead = projects(read, 2);
        return new RowSource() {
            private long cursor;
            private boolean done;

            @Override
            public KeyRows next() {
                if (done) {
                    return null;
                }
                ArrayDeque<Object[]> rows = new ArrayDeque<>();
                List<byte[]> large = new ArrayList<>();
                cursor = store.hashes().scanField(db, cursor, KeyStream.STEP, field, (key, source, offset, length) -> {
                    if (length == HashFieldVisitor.MISSING || !KeyStream.startsWith(key, prefix)) {
                        return;
                    }
                    if (length == HashFieldVisitor.NOT_READ) {
                        large.add(key.toArray(ValueLayout.JAVA_BYTE));
                        return;
                    }
                    String name = keyRead ? text(key, 0, key.byteSize()) : null;
                    String value = valueRead ? text(source, offset, length) : null;
                    rows.add(project(read, column -> switch (column) {
                        case 0 -> name;
                        case 1 -> asked;
                        default -> value;
                    }));
                });
                done = cursor == 0;
                for (byte[] key : large) { // outside the walk's lock: an HGET each
                    KeyRows own = rowsOf(key, read, filter);
                    while (own.fill(rows)) {
                        // drained
                    }
                }
                return batch(rows);
            }
        };
    }

    @Override
    List<String> primaryKey() {
        return List.of("key", "field");
    }

    @Override
    String name() {
        return "hashes";
    }

    @Override
    void insert(Object[] row) {
        byte[] key = required(row, 0);
        byte[] field = required(row, 1);
        byte[] value = required(row, 2);
        write(key, () -> store.hashes().set(db, MemorySegment.ofArray(key),
                new MemorySegment[] {MemorySegment.ofArray(field), MemorySegment.ofArray(value)}, 0, 1, new LongParse()),
                () -> RespCommand.of(HSET, key, field, value));
    }

    @Override
    boolean delete(Object[] row) {
        byte[] key = required(row, 0);
        byte[] field = required(row, 1);
        LongParse removed = new LongParse();
        write(key, () -> store.hashes().delete(db, MemorySegment.ofArray(key), new MemorySegment[] {MemorySegment.ofArray(field)},
                0, 1, removed), () -> RespCommand.of(HDEL, key, field));
        return removed.value > 0;
    }

    @Override
    int updatableColumn() {
        return 2;
    }

    /** HSET of the row's field. */
    @Override
    boolean update(Object[] row, Object value) {
        insert(new Object[] {row[0], row[1], value});
        return true;
    }

    private static final byte[] HSET = {'H', 'S', 'E', 'T'};
    private static final byte[] HDEL = {'H', 'D', 'E', 'L'};
}
