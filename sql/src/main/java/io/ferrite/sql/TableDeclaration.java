package io.ferrite.sql;

import io.ferrite.core.api.ValueType;
import io.ferrite.sql.parser.SqlCreateKeyTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.ddl.SqlColumnDeclaration;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A table declared over keys ({@code CREATE TABLE ... WITH (type = 'hash', keys = 'user:{id}')}),
 * checked: the keys' type ({@code hash}: a row per hash, a column per field of the column's name;
 * {@code string}: a row per string key, its one other column the value), the key pattern, whose
 * placeholders are the table's key columns (the primary key, declared or not), and the typed
 * columns. {@link #text} is the statement that declares it, as stored in the engine.
 */
record TableDeclaration(String name, ValueType type, KeyPattern keys, List<Column> columns, int[] keyColumns, String text) {
    /** SQLState of a table definition Ferrite cannot map (PostgreSQL's invalid_table_definition). */
    static final String INVALID_DEFINITION = "42P16";

    /** The declaration {@code create} makes. @throws SqlWriteException when it cannot be a table over keys */
    static TableDeclaration of(SqlCreateKeyTable create) {
        String name = create.name.names.getLast();
        String typeOption = null;
        String keysOption = null;
        for (int i = 0; i < create.options.size(); i += 2) {
            String option = ((SqlIdentifier) create.options.get(i)).getSimple().toLowerCase(Locale.ROOT);
            String value = ((SqlLiteral) create.options.get(i + 1)).getValueAs(String.class);
            switch (option) {
                case "type" -> typeOption = value;
                case "keys" -> keysOption = value;
                default -> throw invalid("22023", "unknown option '" + option + "' of table " + name + " (there are type and keys)");
            }
        }
        if (typeOption == null || keysOption == null) {
            throw invalid(INVALID_DEFINITION, "table " + name + " needs WITH (type = 'hash' or 'string', keys = 'pattern'), e.g."
                    + " WITH (type = 'hash', keys = 'user:{id}'): its rows are the keys the pattern matches");
        }
        ValueType type = switch (typeOption.toLowerCase(Locale.ROOT)) {
            case "hash" -> ValueType.HASH;
            case "string" -> ValueType.STRING;
            default -> throw invalid("22023", "type '" + typeOption + "' of table " + name + " is not one a table can map"
                    + " (hash or string)");
        };
        KeyPattern pattern;
        try {
            pattern = KeyPattern.parse(keysOption);
        } catch (IllegalArgumentException e) {
            throw invalid("22023", "keys '" + keysOption + "' of table " + name + ": " + e.getMessage());
        }
        List<Column> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (SqlNode node : create.columns) {
            SqlColumnDeclaration column = (SqlColumnDeclaration) node;
            String columnName = column.name.getSimple();
            if (!names.add(columnName.toLowerCase(Locale.ROOT))) {
                throw invalid("42701", "column " + columnName + " of table " + name + " is declared twice");
            }
            if (!(column.dataType.getTypeNameSpec() instanceof SqlBasicTypeNameSpec basic)) {
                throw invalid(SqlWriteException.NOT_SUPPORTED, "column " + columnName + " has type " + column.dataType
                        + ", which a table over keys does not hold (" + TypedText.SUPPORTED + ")");
            }
            SqlTypeName sqlType = SqlTypeName.get(basic.getTypeName().getSimple());
            if (sqlType == null || !TypedText.SUPPORTED.contains(sqlType)) {
                throw invalid(SqlWriteException.NOT_SUPPORTED, "column " + columnName + " has type " + basic.getTypeName().getSimple()
                        + ", which a table over keys does not hold (" + TypedText.SUPPORTED + ")");
            }
            if (sqlType == SqlTypeName.CHAR) {
                sqlType = SqlTypeName.VARCHAR; // keys and fields are text of any length: no padding
            }
            columns.add(new Column(columnName, sqlType, basic.getPrecision(), basic.getScale(), false));
        }
        int[] keyColumns = new int[pattern.columns.size()];
        for (int i = 0; i < keyColumns.length; i++) {
            keyColumns[i] = indexOf(columns, pattern.columns.get(i));
            if (keyColumns[i] < 0) {
                throw invalid("42703", "keys '" + keysOption + "' of table " + name + " name column " + pattern.columns.get(i)
                        + ", which the table does not declare");
            }
        }
        Set<Integer> declaredKey = new HashSet<>();
        for (SqlNode column : create.primaryKey) {
            int index = indexOf(columns, ((SqlIdentifier) column).getSimple());
            if (index < 0) {
                throw invalid("42703", "PRIMARY KEY names column " + column + ", which table " + name + " does not declare");
            }
            declaredKey.add(index);
        }
        Set<Integer> patternKey = new HashSet<>();
        for (int column : keyColumns) {
            if (!patternKey.add(column)) {
                throw invalid(INVALID_DEFINITION, "keys '" + keysOption + "' of table " + name + " name column "
                        + columns.get(column).name() + " twice");
            }
        }
        if (!declaredKey.isEmpty() && !declaredKey.equals(patternKey)) {
            throw invalid(INVALID_DEFINITION, "the PRIMARY KEY of table " + name + " must be the columns its keys name ("
                    + String.join(", ", pattern.columns) + "): a row is one key");
        }
        if (type == ValueType.STRING && columns.size() != keyColumns.length + 1) {
            throw invalid(INVALID_DEFINITION, "table " + name + " maps string keys, so it has one column besides its key"
                    + " columns, the value; it has " + (columns.size() - keyColumns.length));
        }
        if (type == ValueType.HASH && columns.size() == keyColumns.length) {
            throw invalid(INVALID_DEFINITION, "table " + name + " maps hashes, so it needs a column for a field besides its key columns");
        }
        if (keyColumns.length == 1) { // an equality on the one key column names one key: a lookup
            Column key = columns.get(keyColumns[0]);
            if (key.type() == SqlTypeName.VARCHAR || TypedText.INTEGERS.contains(key.type())) {
                columns.set(keyColumns[0], key.asLookup());
            }
        }
        String text = create.toSqlString(CalciteSqlDialect.DEFAULT).getSql();
        return new TableDeclaration(name, type, pattern, List.copyOf(columns), keyColumns, text);
    }

    /** True when column {@code column} is a key column. */
    boolean isKey(int column) {
        for (int key : keyColumns) {
            if (key == column) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static SqlWriteException invalid(String state, String message) {
        return new SqlWriteException(state, message);
    }
}
