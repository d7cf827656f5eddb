package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/**
 * The tables of one logical database: the system tables of every type the engine has, and the
 * tables declared over its keys ({@link TableDeclarations}) and those of its JCache caches
 * ({@link JCacheTables}), read from the engine each time Calcite asks, so a table another
 * connection, server or door declares shows at its next statement.
 */
final class FerriteSchema extends AbstractSchema {
    private final FerriteStore store;
    private final int db;
    private final SqlWarnings warnings;
    private final Map<String, Table> system;
    /** Declared tables by the statement that declares them: parsed once per connection. */
    private final Map<String, DeclaredTable> declared = new HashMap<>();

    FerriteSchema(FerriteStore store, int db, SqlWarnings warnings) {
        this.store = store;
        this.db = db;
        this.warnings = warnings;
        this.system = Map.of(
                "keys", new KeysTable(store, db),
                "strings", new StringsTable(store, db),
                "hashes", new HashesTable(store, db),
                "sets", new SetsTable(store, db),
                "lists", new ListsTable(store, db),
                "zsets", new ZSetsTable(store, db));
    }

    FerriteStore store() {
        return store;
    }

    int db() {
        return db;
    }

    boolean isSystemTable(String name) {
        return system.keySet().stream().anyMatch(name::equalsIgnoreCase);
    }

    /** The table {@code name} (a system table, or a declared one); null when there is none. */
    KeyspaceTable table(String name) {
        return (KeyspaceTable) getTableMap().get(name);
    }

    /** The table {@code statement} declares, parsed once per connection; null (counted) when it does not parse. */
    private DeclaredTable declared(String name, String statement, java.util.Set<String> live) {
        DeclaredTable table = declared.get(statement);
        if (table == null) {
            try {
                table = new DeclaredTable(store, db, TableDeclarations.parse(statement), warnings);
            } catch (SqlWriteException e) { // changed by hand into something else: the other tables still work
                warnings.count("declaration of table " + name + " of db" + db + " that cannot be read (" + e.getMessage()
                        + "), left out");
                return null;
            }
            declared.put(statement, table);
        }
        live.add(statement);
        return table;
    }

    @Override
    protected Map<String, Table> getTableMap() {
        Map<String, Table> tables = new LinkedHashMap<>(system);
        Map<String, String> statements = TableDeclarations.read(store, db);
        java.util.Set<String> live = new java.util.HashSet<>();
        synchronized (declared) {
            for (Map.Entry<String, String> entry : statements.entrySet()) {
                add(tables, declared(entry.getKey(), entry.getValue(), live));
            }
            for (Map.Entry<String, String> cache : JCacheTables.statements(store, db, warnings).entrySet()) {
                add(tables, declared(cache.getKey(), cache.getValue(), live));
            }
            declared.keySet().retainAll(live);
        }
        return tables;
    }

    /** Adds {@code table} unless it is null or a table of its name is there (a system table, or a declared one over a cache's). */
    private static void add(Map<String, Table> tables, DeclaredTable table) {
        if (table != null && tables.keySet().stream().noneMatch(table.name()::equalsIgnoreCase)) {
            tables.put(table.name(), table);
        }
    }
}
