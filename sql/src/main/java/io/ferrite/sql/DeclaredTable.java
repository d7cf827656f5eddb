package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.aof.RespCommand;
import io.ferrite.core.api.LookupSink;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.LongParse;
import io.ferrite.core.types.StringCommands;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A table declared over keys ({@link TableDeclaration}): a row per key the pattern matches, its key
 * columns read from the key's text, its other columns from the hash's fields of the same names (or
 * the string's value), each parsed as its column's type; a value that does not parse reads as NULL
 * and a key whose parts do not parse is skipped, both counted in the statement's warnings
 * ({@link SqlWarnings}). INSERT writes the row's non-NULL columns (HSET: a row of an existing key
 * takes the new values, as HSET does; SET for a string), UPDATE HSETs the new values (HDEL for a
 * NULL) or SETs the string keeping its TTL, DELETE removes the key. Key columns cannot be updated.
 */
final class DeclaredTable extends KeyspaceTable {
    private final TableDeclaration declaration;
    private final SqlWarnings warnings;
    /** Per column, the hash field it maps: its name's UTF-8 bytes. */
    private final byte[][] fields;

    DeclaredTable(FerriteStore store, int db, TableDeclaration declaration, SqlWarnings warnings) {
        super(store, db, declaration.type(), declaration.columns());
        this.declaration = declaration;
        this.warnings = warnings;
        this.fields = declaration.columns().stream().map(column -> column.name().getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    @Override
    String name() {
        return declaration.name();
    }

    @Override
    List<String> primaryKey() {
        List<String> key = new ArrayList<>();
        for (int column : declaration.keyColumns()) {
            key.add(columns().get(column).name());
        }
        return key;
    }

    @Override
    String keyOf(String lookupValue) {
        return declaration.keys().format(List.of(lookupValue));
    }

    @Override
    String walkPrefix(String lookupPrefix) {
        return declaration.keys().prefix() + (lookupPrefix == null ? "" : lookupPrefix);
    }

    // ---- reading ----

    @Override
    KeyRows rowsOf(byte[] key, int[] projects, ScanFilter filter) {
        String text = text(key);
        Object[] keyValues = keyValues(text);
        if (keyValues == null) {
            return KeyRows.NONE;
        }
        Object[] row = new Object[columns().size()];
        for (int i = 0; i < keyValues.length; i++) {
            row[declaration.keyColumns()[i]] = keyValues[i];
        }
        MemorySegment k = MemorySegment.ofArray(key);
        boolean found = declaration.type() == ValueType.HASH ? readFields(k, row, projects) : readValue(k, row);
        return found ? once(project(projects, column -> row[column])) : KeyRows.NONE;
    }

    /** The key columns' values in {@code key}, in pattern order; null (counted) when it is not a row's key. */
    private Object[] keyValues(String key) {
        // another key with the table's prefix, or one that is not UTF-8 text (a JCache cache's
        // serialized or reference key): not one of its rows
        String[] parts = key.indexOf('\uFFFD') >= 0 ? null : declaration.keys().match(key);
        if (parts == null) {
            return null;
        }
        Object[] values = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Column column = columns().get(declaration.keyColumns()[i]);
            values[i] = TypedText.read(parts[i], column.type());
            if (values[i] == null) {
                warnings.count("key of " + name() + " whose " + column.name() + " is not " + article(column) + " (the key is"
                        + " not read as a row), e.g. '" + key + "'");
                return null;
            }
        }
        return values;
    }

    /** HMGET of the projected value columns into {@code row}; false when there is no such hash. */
    private boolean readFields(MemorySegment key, Object[] row, int[] projects) {
        LongParse length = new LongParse();
        if (store.hashes().length(db, key, length) != Status.OK || length.value == 0) {
            return false;
        }
        int[] wanted = new int[projects.length];
        MemorySegment[] asked = new MemorySegment[projects.length];
        int n = 0;
        for (int column : projects) { // a column read twice (projected and checked) is asked twice: harmless
            if (!declaration.isKey(column)) {
                wanted[n] = column;
                asked[n++] = MemorySegment.ofArray(fields[column]);
            }
        }
        if (n == 0) {
            return true;
        }
        int[] next = {0};
        Status status = store.hashes().getMany(db, key, asked, 0, n, new LookupSink() {
            @Override
            public void found(MemorySegment source, long offset, long length) {
                int column = wanted[next[0]++];
                row[column] = typed(source, offset, length, column);
            }

            @Override
            public void missing() {
                next[0]++;
            }
        });
        return status == Status.OK;
    }

    /** GET of the string into its value column; false when there is no such string. */
    private boolean readValue(MemorySegment key, Object[] row) {
        int column = valueColumn();
        Status status = store.strings().get(db, key, (source, offset, length) -> row[column] = typed(source, offset, length, column));
        return status == Status.OK;
    }

    private Object typed(MemorySegment source, long offset, long length, int column) {
        Column declared = columns().get(column);
        if (length > 0 && source.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset) == SERIALIZED) {
            warnings.count("value of " + name() + "." + declared.name() + " that is a serialized Java object (read as NULL)");
            return null;
        }
        Object value = TypedText.read(text(source, offset, length), declared.type());
        if (value == null) {
            warnings.count("value of " + name() + "." + declared.name() + " that is not " + article(declared) + " (read as NULL)");
        }
        return value;
    }

    /** The first byte of a value the JCache door serialized (never the first byte of UTF-8 text). */
    private static final byte SERIALIZED = (byte) 0xFF;

    private static String article(Column column) {
        String type = column.type().getName();
        return ("AEIOU".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }

    /** A string table's value column: its one column that is not a key column. */
    private int valueColumn() {
        for (int i = 0; i < columns().size(); i++) {
            if (!declaration.isKey(i)) {
                return i;
            }
        }
        throw new IllegalStateException(name() + " has no value column");
    }

    // ---- writing ----

    /** The key of {@code row}: its key columns' values (each required) in the pattern. */
    private byte[] keyOfRow(Object[] row) {
        List<String> parts = new ArrayList<>();
        for (int column : declaration.keyColumns()) {
            requiredValue(row[column], column);
            parts.add(TypedText.write(row[column], columns().get(column).type()));
        }
        return declaration.keys().format(parts).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] textOf(Object value, int column) {
        return TypedText.write(value, columns().get(column).type()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    void insert(Object[] row) {
        byte[] key = keyOfRow(row);
        if (declaration.type() == ValueType.STRING) {
            int column = valueColumn();
            requiredValue(row[column], column);
            setString(key, textOf(row[column], column), false);
            return;
        }
        List<Integer> given = new ArrayList<>();
        for (int i = 0; i < row.length; i++) {
            if (!declaration.isKey(i) && row[i] != null) {
                given.add(i);
            }
        }
        if (given.isEmpty()) {
            throw new SqlWriteException(SqlWriteException.NOT_NULL, "a row of " + name() + " needs a value besides its key"
                    + " columns: it is a hash, and a hash has a field at least");
        }
        hashSet(key, row, given);
    }

    @Override
    boolean updatable(int column) {
        return !declaration.isKey(column);
    }

    @Override
    String notUpdatable(int column) {
        return "column " + columns().get(column).name() + " of " + name() + " cannot be updated: it is part of the row's key"
                + " (DELETE the row and INSERT it under its new key)";
    }

    @Override
    boolean update(Object[] row, int[] columns, Object[] values) {
        byte[] key = keyOfRow(row);
        if (declaration.type() == ValueType.STRING) {
            requiredValue(values[0], columns[0]);
            return setString(key, textOf(values[0], columns[0]), true);
        }
        Object[] updated = row.clone();
        List<Integer> set = new ArrayList<>();
        List<Integer> removed = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            updated[columns[i]] = values[i];
            (values[i] == null ? removed : set).add(columns[i]);
        }
        if (!set.isEmpty()) {
            hashSet(key, updated, set);
        }
        if (!removed.isEmpty()) {
            MemorySegment[] fields = new MemorySegment[removed.size()];
            byte[][] command = new byte[removed.size() + 2][];
            command[0] = HDEL;
            command[1] = key;
            for (int i = 0; i < fields.length; i++) {
                command[i + 2] = this.fields[removed.get(i)];
                fields[i] = MemorySegment.ofArray(command[i + 2]);
            }
            write(key, () -> store.hashes().delete(db, MemorySegment.ofArray(key), fields, 0, fields.length, new LongParse()),
                    () -> RespCommand.of(command));
        }
        return true;
    }

    @Override
    boolean delete(Object[] row) {
        return deleteKey(keyOfRow(row));
    }

    /** HSET of {@code row}'s {@code columns} (their names the fields) into {@code key}. */
    private void hashSet(byte[] key, Object[] row, List<Integer> columns) {
        MemorySegment[] pairs = new MemorySegment[columns.size() * 2];
        byte[][] command = new byte[pairs.length + 2][];
        command[0] = HSET;
        command[1] = key;
        for (int i = 0; i < columns.size(); i++) {
            int column = columns.get(i);
            command[2 + 2 * i] = fields[column];
            command[3 + 2 * i] = textOf(row[column], column);
            pairs[2 * i] = MemorySegment.ofArray(command[2 + 2 * i]);
            pairs[2 * i + 1] = MemorySegment.ofArray(command[3 + 2 * i]);
        }
        write(key, () -> store.hashes().set(db, MemorySegment.ofArray(key), pairs, 0, columns.size(), new LongParse()),
                () -> RespCommand.of(command));
    }

    /** SET (KEEPTTL for an UPDATE, which changes only a string that is there); false when an UPDATE found none. */
    private boolean setString(byte[] key, byte[] value, boolean update) {
        if (!update) {
            write(key, () -> store.strings().set(db, MemorySegment.ofArray(key), MemorySegment.ofArray(value)),
                    () -> RespCommand.of(SET, key, value));
            return true;
        }
        return write(key, () -> store.strings().set(db, MemorySegment.ofArray(key), MemorySegment.ofArray(value),
                StringCommands.XX | StringCommands.KEEPTTL, 0, null), () -> RespCommand.of(SET, key, value, XX, KEEPTTL)) == Status.OK;
    }

    private static final byte[] HSET = {'H', 'S', 'E', 'T'};
    private static final byte[] HDEL = {'H', 'D', 'E', 'L'};
    private static final byte[] SET = {'S', 'E', 'T'};
    private static final byte[] XX = {'X', 'X'};
    private static final byte[] KEEPTTL = {'K', 'E', 'E', 'P', 'T', 'T', 'L'};
}
