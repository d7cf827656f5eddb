package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.schema.SchemaPlus;

/**
 * Opens SQL connections on a store: database 0's tables are the default schema ({@code db0}),
 * the others are schemas {@code db1} ... Names behave as PostgreSQL and MySQL users expect:
 * unquoted names match whatever their case, double quotes quote, and the system tables' column
 * names ({@code key}, {@code value}, ...) work unquoted. The grammar is Calcite's with
 * {@code CREATE TABLE ... WITH (...)} and {@code DROP TABLE} for tables declared over keys
 * ({@link FerriteParserFactory}). Errors carry a SQLState ({@link SqlErrors}); values that do
 * not fit a declared table are the statement's warnings ({@link SqlWarnings}).
 */
public final class FerriteSql {
    private FerriteSql() {}

    /** Calcite's driver with a planner that also knows how to write the system tables ({@link FerriteModify}). */
    private static final org.apache.calcite.jdbc.Driver CALCITE = new org.apache.calcite.jdbc.Driver()
            .withPrepareFactory(() -> new CalcitePrepareImpl() {
                @Override
                protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext, org.apache.calcite.plan.Context externalContext,
                                                      RelOptCostFactory costFactory) {
                    RelOptPlanner planner = super.createPlanner(prepareContext, externalContext, costFactory);
                    planner.addRule(FerriteModify.TO_ENUMERABLE);
                    return planner;
                }
            });

    /** A new connection whose schemas are {@code store}'s databases; closing it leaves the store open. */
    public static Connection connect(FerriteStore store) throws SQLException {
        Properties info = new Properties();
        info.setProperty("caseSensitive", "false");
        info.setProperty("unquotedCasing", "UNCHANGED");
        info.setProperty("quotedCasing", "UNCHANGED");
        info.setProperty("quoting", "DOUBLE_QUOTE");
        info.setProperty("typeSystem", FerriteTypeSystem.class.getName() + "#INSTANCE");
        info.setProperty("parserFactory", FerriteParserFactory.class.getName() + "#FACTORY");
        Connection connection = CALCITE.connect("jdbc:calcite:", info);
        CalciteConnection calcite = connection.unwrap(CalciteConnection.class);
        SchemaPlus root = calcite.getRootSchema();
        java.util.Map<String, FerriteSchema> schemas = new java.util.LinkedHashMap<>();
        SqlWarnings warnings = new SqlWarnings();
        for (int db = 0; db < store.config().databases(); db++) {
            FerriteSchema schema = new FerriteSchema(store, db, warnings);
            schemas.put("db" + db, schema);
            root.add("db" + db, schema);
        }
        calcite.setSchema("db0");
        return SqlErrors.of(PrimaryKeys.of(connection, schemas), warnings);
    }
}
