package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.aof.RespCommand;
import io.ferrite.core.api.Status;
import io.ferrite.core.strings.LongParse;
import io.ferrite.sql.parser.FerriteSqlParserImpl;
import io.ferrite.sql.parser.SqlCreateKeyTable;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.server.DdlExecutor;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.ddl.SqlDropTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

/**
 * The declared tables of each database, kept in the engine so that they outlive connections and
 * restarts and every door and server sees them: the hash {@value #KEY} of the database, a field
 * per table (its name in lower case) holding the {@code CREATE TABLE} statement that declared
 * it. Being a key, it is in the AOF, RDB files and checkpoints, and FLUSHDB removes it with the
 * data. {@link #EXECUTOR} carries out {@code CREATE TABLE} ({@code IF NOT EXISTS},
 * {@code OR REPLACE}) and {@code DROP TABLE} ({@code IF EXISTS}), which removes the declaration,
 * never the keys.
 */
final class TableDeclarations {
    /** The hash holding a database's declarations. */
    static final String KEY = "ferrite:sql:tables";
    private static final byte[] KEY_BYTES = KEY.getBytes(StandardCharsets.UTF_8);

    static final String DUPLICATE_TABLE = "42P07";

    /** Runs the DDL statements of {@link FerriteParserFactory}'s grammar. */
    static final DdlExecutor EXECUTOR = TableDeclarations::execute;

    private static final SqlParser.Config PARSING = SqlParser.config().withParserFactory(FerriteSqlParserImpl.FACTORY)
            .withQuoting(Quoting.DOUBLE_QUOTE).withQuotedCasing(Casing.UNCHANGED).withUnquotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(false);

    private TableDeclarations() {}

    private static void execute(CalcitePrepare.Context context, SqlNode node) {
        if (node instanceof SqlCreateKeyTable create) {
            create(schemaOf(context, create.name), create);
        } else if (node instanceof SqlDropTable drop) {
            drop(schemaOf(context, drop.name), drop.name.names.getLast(), drop.ifExists);
        } else {
            throw new SqlWriteException(SqlWriteException.NOT_SUPPORTED, node.getKind() + " is not supported: Ferrite's DDL is"
                    + " CREATE TABLE ... WITH (type = ..., keys = ...) and DROP TABLE");
        }
    }

    private static void create(FerriteSchema schema, SqlCreateKeyTable create) {
        TableDeclaration declaration = TableDeclaration.of(create);
        if (schema.isSystemTable(declaration.name())) {
            throw new SqlWriteException(DUPLICATE_TABLE, "table " + declaration.name() + " is a system table");
        }
        byte[] field = fieldOf(declaration.name());
        byte[] text = declaration.text().getBytes(StandardCharsets.UTF_8);
        MemorySegment[] pair = {MemorySegment.ofArray(field), MemorySegment.ofArray(text)};
        LongParse set = new LongParse();
        FerriteStore store = schema.store();
        if (create.getReplace()) {
            write(store, schema.db(), () -> store.hashes().set(schema.db(), MemorySegment.ofArray(KEY_BYTES), pair, 0, 1, set),
                    () -> RespCommand.of(HSET, KEY_BYTES, field, text));
            return;
        }
        write(store, schema.db(), () -> store.hashes().setIfAbsent(schema.db(), MemorySegment.ofArray(KEY_BYTES), pair[0], pair[1], set),
                () -> RespCommand.of(HSETNX, KEY_BYTES, field, text));
        if (set.value == 0 && !create.ifNotExists) {
            throw new SqlWriteException(DUPLICATE_TABLE, "table " + declaration.name() + " already exists");
        }
    }

    private static void drop(FerriteSchema schema, String name, boolean ifExists) {
        if (schema.isSystemTable(name)) {
            throw new SqlWriteException(SqlWriteException.WRONG_OBJECT_TYPE, "table " + name + " is a system table: its rows are"
                    + " the database's keys, and it cannot be dropped");
        }
        byte[] field = fieldOf(name);
        LongParse removed = new LongParse();
        FerriteStore store = schema.store();
        write(store, schema.db(), () -> store.hashes().delete(schema.db(), MemorySegment.ofArray(KEY_BYTES),
                new MemorySegment[] {MemorySegment.ofArray(field)}, 0, 1, removed), () -> RespCommand.of(HDEL, KEY_BYTES, field));
        if (removed.value == 0 && !ifExists) {
            throw new SqlWriteException(SqlErrors.UNDEFINED_TABLE, "table " + name + " does not exist");
        }
    }

    /** The statements declaring {@code db}'s tables, by field (the lower-case name). */
    static Map<String, String> read(FerriteStore store, int db) {
        Map<String, String> declared = new LinkedHashMap<>();
        store.hashes().entries(db, MemorySegment.ofArray(KEY_BYTES), (field, fo, fl, value, vo, vl) ->
                declared.put(KeyspaceTable.text(field, fo, fl), KeyspaceTable.text(value, vo, vl)), new LongParse());
        return declared;
    }

    /** The declaration a stored statement makes. @throws SqlWriteException when it is not one (the hash was changed by hand) */
    static TableDeclaration parse(String text) {
        SqlNode node;
        try {
            node = SqlParser.create(text, PARSING).parseStmt();
        } catch (SqlParseException e) {
            throw new SqlWriteException(SqlErrors.SYNTAX_ERROR, e.getMessage());
        }
        if (!(node instanceof SqlCreateKeyTable create)) {
            throw new SqlWriteException(SqlErrors.SYNTAX_ERROR, "not a CREATE TABLE statement");
        }
        return TableDeclaration.of(create);
    }

    private static byte[] fieldOf(String name) {
        return name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }

    /** The database a DDL statement's table {@code name} is in: its schema, or the connection's. */
    private static FerriteSchema schemaOf(CalcitePrepare.Context context, SqlIdentifier name) {
        List<String> path = name.names.size() == 1 ? context.getDefaultSchemaPath() : name.names.subList(0, name.names.size() - 1);
        CalciteSchema schema = context.getRootSchema();
        for (String part : path) {
            schema = schema == null ? null : schema.getSubSchema(part, false);
        }
        if (schema == null || !(schema.schema instanceof FerriteSchema ferrite)) {
            throw new SqlWriteException("3F000", "schema " + String.join(".", path) + " does not exist (db0 ... db"
                    + "N are the databases)");
        }
        return ferrite;
    }

    private static void write(FerriteStore store, int db, java.util.function.Supplier<Status> body,
                              java.util.function.Supplier<byte[]> loggedForm) {
        KeyspaceTable.write(store, db, KEY_BYTES, "the table declarations", body, loggedForm);
    }

    private static final byte[] HSET = {'H', 'S', 'E', 'T'};
    private static final byte[] HSETNX = {'H', 'S', 'E', 'T', 'N', 'X'};
    private static final byte[] HDEL = {'H', 'D', 'E', 'L'};
}
