package io.ferrite.sql;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link DatabaseMetaData#getPrimaryKeys} for the system tables, which Calcite's metadata leaves
 * empty: a row's identity is its key and, in a collection's table, its field or member
 * ({@link KeyspaceTable#primaryKey}), so tools that browse the schema (or generate UPDATE and
 * DELETE statements from it) see what identifies a row. Everything else of the metadata is
 * Calcite's.
 */
final class PrimaryKeys {
    private PrimaryKeys() {}

    /** {@code connection} whose metadata answers getPrimaryKeys from {@code schemas} (schema name to its tables). */
    static Connection of(Connection connection, Map<String, FerriteSchema> schemas) {
        return (Connection) Proxy.newProxyInstance(PrimaryKeys.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, connection, args);
                    return method.getName().equals("getMetaData") ? metaData((DatabaseMetaData) result, connection, schemas) : result;
                });
    }

    private static DatabaseMetaData metaData(DatabaseMetaData meta, Connection connection, Map<String, FerriteSchema> schemas) {
        return (DatabaseMetaData) Proxy.newProxyInstance(PrimaryKeys.class.getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
                (proxy, method, args) -> method.getName().equals("getPrimaryKeys") && args != null && args.length == 3
                        ? primaryKeys(connection, schemas, (String) args[1], (String) args[2])
                        : invoke(method, meta, args));
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The key columns of {@code table} (in schema {@code schema}, or any when null), as JDBC lays them out, ordered by column name. */
    private static ResultSet primaryKeys(Connection connection, Map<String, FerriteSchema> schemas, String schema, String table)
            throws SQLException {
        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, FerriteSchema> entry : new java.util.TreeMap<>(schemas).entrySet()) {
            if (schema != null && !schema.equals(entry.getKey())) {
                continue;
            }
            KeyspaceTable found = table == null ? null : entry.getValue().table(table); // JDBC names the table; no pattern
            if (found == null) {
                continue;
            }
            List<String> key = found.primaryKey();
            List<String> byName = new ArrayList<>(key);
            byName.sort(null);
            for (String column : byName) {
                rows.add("(CAST(NULL AS VARCHAR), " + quote(entry.getKey()) + ", " + quote(table) + ", " + quote(column)
                        + ", CAST(" + (key.indexOf(column) + 1) + " AS SMALLINT), " + quote(table + "_pkey") + ")");
            }
        }
        boolean none = rows.isEmpty();
        if (none) { // VALUES needs a row: one of the right types, filtered out
            rows.add("(CAST(NULL AS VARCHAR), '', '', '', CAST(0 AS SMALLINT), '')");
        }
        Statement statement = connection.createStatement();
        statement.closeOnCompletion();
        return statement.executeQuery("SELECT * FROM (VALUES " + String.join(", ", rows) + ") AS t(\"TABLE_CAT\", \"TABLE_SCHEM\","
                + " \"TABLE_NAME\", \"COLUMN_NAME\", \"KEY_SEQ\", \"PK_NAME\")" + (none ? " WHERE FALSE" : ""));
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
