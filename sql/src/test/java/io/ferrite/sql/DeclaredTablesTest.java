package io.ferrite.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.ferrite.sql.TestRows.bytes;
import static io.ferrite.sql.TestRows.collect;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tables declared over keys with {@code CREATE TABLE ... WITH (type, keys)}: typed columns read from
 * hashes' fields and string values that another door wrote, key lookups, writes that land as the
 * equivalent Redis commands, declarations kept in the engine, and the errors of each wrong
 * declaration.
 */
class DeclaredTablesTest {
    private FerriteStore store;
    private Connection sql;

    @BeforeEach
    void open() throws SQLException {
        store = FerriteStore.open(StoreConfig.builder().build());
        sql = FerriteSql.connect(store);
        TestRows.hash(store, "user:1", "name", "Ada", "age", "36", "email", "ada@x.io");
        TestRows.hash(store, "user:2", "name", "Bob", "age", "29");
        TestRows.hash(store, "user:3", "name", "Cy", "age", "old");
        TestRows.hash(store, "session:9", "name", "not a user");
        store.strings().set(0, bytes("price:apple"), bytes("1.25"));
        store.strings().set(0, bytes("price:pear"), bytes("0.80"));
        store.strings().set(0, bytes("price:plum"), bytes("cheap"));
        execute("CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, age INTEGER) WITH (type = 'hash', keys = 'user:{id}')");
        execute("CREATE TABLE prices (sku VARCHAR, price DECIMAL(10, 2)) WITH (type = 'string', keys = 'price:{sku}')");
    }

    @AfterEach
    void close() throws SQLException {
        sql.close();
        store.close();
    }

    @Test
    void aHashTableReadsEachFieldAsItsColumnsType() throws SQLException {
        assertThat(rows("SELECT id, name, age FROM users ORDER BY id")).containsExactly("1|Ada|36", "2|Bob|29", "3|Cy|null");
        assertThat(rows("SELECT SUM(age), MAX(name) FROM users WHERE age > 30")).containsExactly("36|Ada");
        try (ResultSet rs = sql.getMetaData().getColumns(null, "db0", "users", "age")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("TYPE_NAME")).isEqualTo("INTEGER");
        }
    }

    @Test
    void dateTimeBooleanAndFloatingColumnsTravelAsTheirTextBothWays() throws SQLException {
        execute("CREATE TABLE events (id BIGINT PRIMARY KEY, on_day DATE, at_time TIME, happened TIMESTAMP(3), done BOOLEAN, ratio DOUBLE)"
                + " WITH (type = 'hash', keys = 'event:{id}')");
        assertThat(update("INSERT INTO events VALUES (1, DATE '2026-12-04', TIME '10:15:30', TIMESTAMP '2026-12-04 10:15:30.5',"
                + " TRUE, 0.25)")).isEqualTo(1);
        assertThat(field("event:1", "on_day")).isEqualTo("2026-12-04");
        assertThat(field("event:1", "at_time")).isEqualTo("10:15:30");
        assertThat(field("event:1", "happened")).isEqualTo("2026-12-04 10:15:30.5");
        assertThat(field("event:1", "done")).isEqualTo("true");
        assertThat(field("event:1", "ratio")).isEqualTo("0.25");
        TestRows.hash(store, "event:2", "on_day", "2020-02-29", "at_time", "23:59:59", "happened", "2020-02-29T23:59:59", "done", "0",
                "ratio", "inf");
        assertThat(rows("SELECT id, on_day, at_time, happened, done, ratio FROM events ORDER BY id")).containsExactly(
                "1|2026-12-04|10:15:30|2026-12-04 10:15:30.500|true|0.25", "2|2020-02-29|23:59:59|2020-02-29 23:59:59.000|false|Infinity");
        assertThat(rows("SELECT id FROM events WHERE on_day < DATE '2021-01-01' AND NOT done")).containsExactly("2");
    }

    @Test
    void aDeclarationChangedByHandIntoSomethingElseIsLeftOutWithAWarning() throws SQLException {
        TestRows.hash(store, TableDeclarations.KEY, "broken", "not a CREATE statement");
        try (Statement statement = sql.createStatement(); ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM users")) {
            assertThat(collect(rs)).containsExactly("3"); // the other tables still work
            assertThat(statement.getWarnings().getMessage()).contains("table broken").contains("cannot be read");
        }
        assertThatThrownBy(() -> rows("SELECT * FROM broken")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42P01");
    }

    @Test
    void eachRegisteredJCacheCacheIsATableTypedFromItsJavaTypes() throws SQLException {
        // the JCache door's registration (its CacheCatalog): Properties text per cache name
        TestRows.hash(store, JCacheTables.KEY, "visits", "prefix=visits\\:\nkeyType=java.lang.String\nvalueType=java.lang.Long\n",
                "odd", "prefix=a{b\nkeyType=java.lang.String\nvalueType=java.lang.String\n");
        store.strings().set(0, bytes("visits:home"), bytes("10"));
        store.strings().set(0, bytes("visits:about"), bytes("3"));
        try (Statement statement = sql.createStatement();
             ResultSet rs = statement.executeQuery("SELECT SUM(\"value\") FROM visits WHERE key <> 'nope'")) {
            assertThat(collect(rs)).containsExactly("13");
            assertThat(statement.getWarnings().getMessage()).contains("cache odd").contains("left out");
        }
        try (ResultSet rs = sql.getMetaData().getColumns(null, "db0", "visits", "value")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("TYPE_NAME")).isEqualTo("BIGINT");
        }
        assertThatThrownBy(() -> rows("SELECT * FROM odd")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42P01");
    }

    @Test
    void aValueThatDoesNotParseReadsAsNullAndIsAWarningOfTheStatement() throws SQLException {
        try (Statement statement = sql.createStatement(); ResultSet rs = statement.executeQuery("SELECT id, age FROM users ORDER BY id")) {
            List<String> rows = collect(rs);
            assertThat(rows).containsExactly("1|36", "2|29", "3|null");
            SQLWarning warning = statement.getWarnings();
            assertThat((Object) warning).isNotNull();
            assertThat(warning.getSQLState()).isEqualTo("01000");
            assertThat(warning.getMessage()).contains("1 x").contains("users.age").contains("INTEGER");
            assertThat((Object) warning.getNextWarning()).isNull();
            statement.executeQuery("SELECT id FROM users").close();
            assertThat((Object) statement.getWarnings()).isNull(); // each execution starts afresh
        }
        try (Statement statement = sql.createStatement(); ResultSet rs = statement.executeQuery("SELECT sku, price FROM prices ORDER BY sku")) {
            assertThat(collect(rs)).containsExactly("apple|1.25", "pear|0.80", "plum|null");
            assertThat(statement.getWarnings().getMessage()).contains("prices.price").contains("DECIMAL");
        }
    }

    @Test
    void anEqualityOnTheKeyColumnIsALookupOfOneKey() throws SQLException {
        assertThat(String.join("\n", rows("EXPLAIN PLAN FOR SELECT name FROM users WHERE id = '2'")))
                .contains("FerriteScan").contains("filters=[[=($0, '2')]]");
        assertThat(rows("SELECT name FROM users WHERE id = '2'")).containsExactly("Bob");
        assertThat(rows("SELECT name FROM users WHERE id IN ('1', '3', '7') ORDER BY name")).containsExactly("Ada", "Cy");
        assertThat(rows("SELECT name FROM users WHERE id LIKE '1%'")).containsExactly("Ada");
        try (PreparedStatement select = sql.prepareStatement("SELECT name, age FROM users WHERE id = ?")) {
            select.setString(1, "1");
            assertThat(collect(select.executeQuery())).containsExactly("Ada|36");
            select.setString(1, "9");
            assertThat(collect(select.executeQuery())).isEmpty(); // no such key; session:9 is not a user
        }
        assertThat(rows("SELECT price FROM prices WHERE sku = 'pear'")).containsExactly("0.80");
    }

    @Test
    void integerAndCompositeKeysAreReadFromTheKeysText() throws SQLException {
        TestRows.hash(store, "order:ada:7", "total", "12.50");
        TestRows.hash(store, "order:bob:8", "total", "3");
        TestRows.hash(store, "order:bob:x", "total", "1"); // id is not an INTEGER: not a row, counted
        execute("CREATE TABLE orders (customer VARCHAR, id INTEGER, total DOUBLE, PRIMARY KEY (customer, id))"
                + " WITH (type = 'hash', keys = 'order:{customer}:{id}')");
        try (Statement statement = sql.createStatement();
             ResultSet rs = statement.executeQuery("SELECT customer, id, total FROM orders ORDER BY id")) {
            assertThat(collect(rs)).containsExactly("ada|7|12.5", "bob|8|3.0");
            assertThat(statement.getWarnings().getMessage()).contains("orders").contains("order:bob:x");
        }
        TestRows.hash(store, "ticket:41", "title", "Fix it");
        execute("CREATE TABLE tickets (id BIGINT PRIMARY KEY, title VARCHAR) WITH (type = 'hash', keys = 'ticket:{id}')");
        assertThat(rows("SELECT title FROM tickets WHERE id = 41")).containsExactly("Fix it");
        assertThat(String.join("\n", rows("EXPLAIN PLAN FOR SELECT title FROM tickets WHERE id = 41"))).contains("filters=");
        assertThat(sql.getMetaData().getPrimaryKeys(null, "db0", "orders").next()).isTrue();
    }

    @Test
    void writesLandAsTheRedisCommandsOfTheirRows() throws SQLException {
        assertThat(update("INSERT INTO users (id, name, age) VALUES ('4', 'Dee', 41), ('5', 'Eve', NULL)")).isEqualTo(2);
        assertThat(field("user:4", "age")).isEqualTo("41");
        assertThat(field("user:5", "name")).isEqualTo("Eve");
        assertThat(field("user:5", "age")).isNull(); // NULL writes no field
        assertThat(update("UPDATE users SET age = age + 1, name = 'Ada L.' WHERE id = '1'")).isEqualTo(1);
        assertThat(field("user:1", "age")).isEqualTo("37");
        assertThat(field("user:1", "name")).isEqualTo("Ada L.");
        assertThat(field("user:1", "email")).isEqualTo("ada@x.io"); // a field no column maps stays
        assertThat(update("UPDATE users SET age = NULL WHERE id = '2'")).isEqualTo(1);
        assertThat(field("user:2", "age")).isNull(); // HDEL
        assertThat(update("DELETE FROM users WHERE id = '4'")).isEqualTo(1);
        assertThat(store.keys().exists(0, bytes("user:4"))).isFalse();

        assertThat(update("INSERT INTO prices VALUES ('fig', 2.5)")).isEqualTo(1);
        assertThat(string("price:fig")).isEqualTo("2.50"); // DECIMAL(10, 2)
        assertThat(update("UPDATE prices SET price = price * 2 WHERE sku = 'apple'")).isEqualTo(1);
        assertThat(string("price:apple")).isEqualTo("2.50");

        assertThatThrownBy(() -> update("UPDATE users SET id = '9' WHERE id = '1'")).isInstanceOf(SQLException.class)
                .hasMessageContaining("part of the row's key").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
        assertThatThrownBy(() -> update("INSERT INTO users (id) VALUES ('8')")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23502");
        assertThatThrownBy(() -> update("INSERT INTO users (name) VALUES ('nobody')")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23502");
        assertThatThrownBy(() -> update("INSERT INTO prices VALUES ('kiwi', NULL)")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23502");
        assertThatThrownBy(() -> update("UPDATE prices SET price = NULL WHERE sku = 'pear'")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23502");
        assertThat(string("price:pear")).isEqualTo("0.80");
    }

    @Test
    void aKeyOfAnotherTypeUnderThePatternIsNoRowAndCannotBeWritten() throws SQLException {
        store.strings().set(0, bytes("user:9"), bytes("a string, not a hash"));
        assertThat(rows("SELECT id FROM users ORDER BY id")).containsExactly("1", "2", "3");
        assertThat(rows("SELECT id FROM users WHERE id = '9'")).isEmpty();
        assertThatThrownBy(() -> update("INSERT INTO users VALUES ('9', 'Nine', 9)")).isInstanceOf(SQLException.class)
                .hasMessageContaining("holds a Redis string").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42809");
        assertThat(string("user:9")).isEqualTo("a string, not a hash");
        // DML with values of the wrong type: SQLExceptions with SQLStates, nothing written
        assertThatThrownBy(() -> update("INSERT INTO users VALUES ('8', 'Eight', 'not a number')")).isInstanceOf(SQLException.class)
                .hasMessageContaining("not a number").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22018");
        assertThatThrownBy(() -> update("INSERT INTO zsets VALUES ('z', 'm', 'high')")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22018"); // a constant Calcite casts once
        assertThatThrownBy(() -> update("INSERT INTO users VALUES ('8', 'Eight', DATE '2020-01-01')")).isInstanceOf(SQLException.class)
                .hasMessageContaining("Cannot assign").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42000");
        assertThat(store.keys().exists(0, bytes("user:8"))).isFalse();
        assertThatThrownBy(() -> update("INSERT INTO zsets VALUES ('z', 'm', CAST('NaN' AS DOUBLE))")).isInstanceOf(SQLException.class)
                .hasMessageContaining("NaN").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22023");
        assertThat(store.keys().exists(0, bytes("z"))).isFalse();
    }

    @Test
    void declarationsLiveInTheEngineAndDropTableKeepsTheData() throws SQLException {
        assertThat(field(TableDeclarations.KEY, "users")).startsWith("CREATE TABLE").contains("user:{id}");
        try (Connection other = FerriteSql.connect(store); Statement statement = other.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM users")) {
            assertThat(collect(rs)).containsExactly("3");
        }
        execute("DROP TABLE users");
        assertThat(store.keys().exists(0, bytes("user:1"))).isTrue();
        assertThatThrownBy(() -> rows("SELECT * FROM users")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42P01");
        assertThatThrownBy(() -> execute("DROP TABLE users")).isInstanceOf(SQLException.class)
                .hasMessageContaining("does not exist").extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42P01");
        execute("DROP TABLE IF EXISTS users");
        assertThatThrownBy(() -> execute("DROP TABLE hashes")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42809");

        execute("CREATE TABLE db1.people (id VARCHAR, name VARCHAR) WITH (type = 'hash', keys = 'person:{id}')");
        assertThat(field(1, TableDeclarations.KEY, "people")).isNotNull();
        assertThat(rows("SELECT COUNT(*) FROM db1.people")).containsExactly("0");
    }

    @Test
    void aTableDeclaredTwiceOrOverASystemTablesNameIsRefused() throws SQLException {
        assertThat(stateOf("CREATE TABLE users (id VARCHAR, n VARCHAR) WITH (type = 'hash', keys = 'u:{id}')")).isEqualTo("42P07");
        assertThat(stateOf("CREATE TABLE Strings (id VARCHAR, v VARCHAR) WITH (type = 'string', keys = 's:{id}')")).isEqualTo("42P07");
        execute("CREATE TABLE IF NOT EXISTS users (id VARCHAR, n VARCHAR) WITH (type = 'hash', keys = 'u:{id}')");
        assertThat(rows("SELECT name FROM users WHERE id = '2'")).containsExactly("Bob"); // unchanged
        execute("CREATE OR REPLACE TABLE users (id VARCHAR, name VARCHAR) WITH (type = 'hash', keys = 'user:{id}')");
        assertThat(rows("SELECT * FROM users WHERE id = '2'")).containsExactly("2|Bob"); // replaced: no age
    }

    @Test
    void aDeclarationThatCannotMapKeysIsRefusedWithWhatIsWrong() {
        assertThat(stateOf("CREATE TABLE t (id VARCHAR, v VARCHAR)")).isEqualTo("42P16");
        assertThat(stateOf("CREATE TABLE t (id VARCHAR, v VARCHAR) WITH (type = 'hash', keys = 't:{id}', ttl = '5')"))
                .isEqualTo("22023");
        assertThat(stateOf("CREATE TABLE t (id VARCHAR, v VARCHAR) WITH (type = 'list', keys = 't:{id}')")).isEqualTo("22023");
        assertThat(stateOf("CREATE TABLE t (id VARCHAR, v VARCHAR) WITH (type = 'hash', keys = 't:id')")).isEqualTo("22023");
        assertThat(stateOf("CREATE TABLE t (id VARCHAR, v VARCHAR) WITH (type = 'hash', keys = 't:{id')")).isEqualTo("22023");
        assertThat(stateOf("CREATE TABLE t (a VARCHAR, b VARCHAR, v VARCHAR) WITH (type = 'hash', keys = 't:{a}{b}')"))
                .isEqualTo("22023");
        assertThat(stateOf("CREATE TABLE t (id VARCHAR, v VARCHAR) WITH (type = 'hash', keys = 't:{nope}')")).isEqualTo("42703");
        assertThat(stateOf("CREATE TABLE t (id VARCHAR, v VARCHAR PRIMARY KEY) WITH (type = 'hash', keys = 't:{id}')"))
                .isEqualTo("42P16");
        assertThat(stateOf("CREATE TABLE t (id VARCHAR, a VARCHAR, b VARCHAR) WITH (type = 'string', keys = 't:{id}')"))
                .isEqualTo("42P16");
        assertThat(stateOf("CREATE TABLE t (id VARCHAR) WITH (type = 'hash', keys = 't:{id}')")).isEqualTo("42P16");
        assertThat(stateOf("CREATE TABLE t (id VARCHAR, v VARBINARY) WITH (type = 'hash', keys = 't:{id}')")).isEqualTo("0A000");
        assertThat(stateOf("CREATE TABLE t (id VARCHAR, id INTEGER) WITH (type = 'hash', keys = 't:{id}')")).isEqualTo("42701");
        assertThat(stateOf("CREATE TABLE nowhere.t (id VARCHAR, v VARCHAR) WITH (type = 'hash', keys = 't:{id}')"))
                .isEqualTo("3F000");
        assertThat(stateOf("CREATE TABLE t (id VARCHAR, v VARCHAR) WITH (type = 'hash' keys = 't:{id}')")).isEqualTo("42601");
    }

    private String stateOf(String ddl) {
        try {
            execute(ddl);
        } catch (SQLException e) {
            return e.getSQLState();
        }
        throw new AssertionError("accepted: " + ddl);
    }

    private void execute(String statement) throws SQLException {
        try (Statement s = sql.createStatement()) {
            s.execute(statement);
        }
    }

    private int update(String statement) throws SQLException {
        try (Statement s = sql.createStatement()) {
            return s.executeUpdate(statement);
        }
    }

    private List<String> rows(String query) throws SQLException {
        try (Statement statement = sql.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            return collect(rs);
        }
    }

    private String field(String key, String field) {
        return field(0, key, field);
    }

    private String field(int db, String key, String field) {
        String[] value = {null};
        store.hashes().get(db, bytes(key), bytes(field), (source, offset, length) -> value[0] = KeyspaceTable.text(source, offset, length));
        return value[0];
    }

    private String string(String key) {
        String[] value = {null};
        store.strings().get(0, bytes(key), (source, offset, length) -> value[0] = KeyspaceTable.text(source, offset, length));
        return value[0];
    }
}
