package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import java.util.Map;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/** The tables of one logical database: the system tables of every type the engine has. */
final class FerriteSchema extends AbstractSchema {
    private final Map<String, Table> tables;

    FerriteSchema(FerriteStore store, int db) {
        this.tables = Map.of(
                "keys", new KeysTable(store, db),
                "strings", new StringsTable(store, db),
                "hashes", new HashesTable(store, db),
                "sets", new SetsTable(store, db));
    }

    /** The system table {@code name}; null when there is none. */
    KeyspaceTable table(String name) {
        return (KeyspaceTable) tables.get(name);
    }

    @Override
    protected Map<String, Table> getTableMap() {
        return tables;
    }
}
