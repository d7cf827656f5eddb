package io.ferrite.server.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.server.Main;
import io.ferrite.server.config.ConfigFileParser;
import io.ferrite.server.config.ServerConfig;
import io.ferrite.sql.FerriteSql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * The SQL door and the RESP door over one engine: what Jedis writes, a SELECT reads at once,
 * key lookups pushed into the engine.
 */
class SqlDoorTest {
    private static Main.Running server;
    private static Jedis jedis;
    private static Connection sql;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-sql");
        ServerConfig config = new ServerConfig();
        new ConfigFileParser(config).loadText("port 0\nbind 127.0.0.1\nsave \"\"\ndir " + dir + "\n");
        server = Main.start(config, Optional.empty());
        jedis = new Jedis("127.0.0.1", server.port());
        sql = FerriteSql.connect(server.context().store());
    }

    @AfterAll
    static void stop() throws SQLException {
        sql.close();
        jedis.close();
        server.close();
    }

    @BeforeEach
    void empty() {
        jedis.flushAll();
    }

    private static List<String> rows(String query) throws SQLException {
        try (Statement statement = sql.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            List<String> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }

    @Test
    void listsAndSortedSetsAreRowsInTheirOrderAndSqlWritesThem() throws SQLException {
        jedis.rpush("queue", "a", "b", "c");
        jedis.zadd("board", Map.of("ada", 36.5, "bob", 29.0, "cy", 29.0));
        assertThat(rows("SELECT idx, value FROM lists WHERE key = 'queue'")).containsExactly("0|a", "1|b", "2|c");
        assertThat(rows("SELECT member, score FROM zsets WHERE key = 'board'")).containsExactly("bob|29.0", "cy|29.0", "ada|36.5");
        assertThat(rows("SELECT score FROM zsets WHERE key = 'board' AND member = 'ada'")).containsExactly("36.5");
        assertThat(rows("SELECT type, COUNT(*) FROM keys GROUP BY type ORDER BY type")).containsExactly("list|1", "zset|1");
        for (int i = 0; i < 600; i++) { // more than one index range
            jedis.rpush("long", "e" + i);
        }
        assertThat(rows("SELECT COUNT(*), MAX(idx) FROM lists WHERE key = 'long'")).containsExactly("600|599");

        try (Statement statement = sql.createStatement()) {
            assertThat(statement.executeUpdate("INSERT INTO lists (key, value) VALUES ('queue', 'd')")).isEqualTo(1);
            assertThat(statement.executeUpdate("INSERT INTO zsets VALUES ('board', 'dee', 41)")).isEqualTo(1);
            assertThat(statement.executeUpdate("UPDATE zsets SET score = score + 1 WHERE key = 'board' AND member = 'bob'"))
                    .isEqualTo(1);
            assertThat(statement.executeUpdate("DELETE FROM zsets WHERE key = 'board' AND member = 'cy'")).isEqualTo(1);
        }
        assertThat(jedis.lrange("queue", 0, -1)).containsExactly("a", "b", "c", "d");
        assertThat(jedis.zscore("board", "dee")).isEqualTo(41.0);
        assertThat(jedis.zscore("board", "bob")).isEqualTo(30.0);
        assertThat(jedis.zscore("board", "cy")).isNull();
        assertThat(stateOf("INSERT INTO lists VALUES ('queue', 7, 'x')")).startsWith("0A000");
        assertThat(stateOf("DELETE FROM lists WHERE key = 'queue'")).startsWith("0A000");
        assertThat(stateOf("INSERT INTO zsets VALUES ('board', 'eve', NULL)")).startsWith("23502");
        assertThat(stateOf("UPDATE zsets SET member = 'x'")).startsWith("0A000");
        assertThat(jedis.lrange("queue", 0, -1)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void stringsHashesAndSetsWrittenThroughRespAreRows() throws SQLException {
        jedis.set("greeting", "hello");
        jedis.set("n", "42");
        jedis.hset("user:1", Map.of("name", "Ada", "age", "36"));
        jedis.hset("user:2", Map.of("name", "Alan", "age", "41"));
        jedis.sadd("tags:1", "math", "engines");
        jedis.sadd("tags:2", "math", "computing");

        assertThat(rows("SELECT key, value FROM strings ORDER BY key")).containsExactly("greeting|hello", "n|42");
        assertThat(rows("select KEY, Value from STRINGS where key = 'greeting'")).containsExactly("greeting|hello");
        assertThat(rows("SELECT field, value FROM hashes WHERE key = 'user:1' ORDER BY field"))
                .containsExactly("age|36", "name|Ada");
        assertThat(rows("SELECT member FROM sets WHERE key IN ('tags:1', 'tags:22') ORDER BY member"))
                .containsExactly("engines", "math");
        assertThat(rows("SELECT type, COUNT(*) FROM keys GROUP BY type ORDER BY type"))
                .containsExactly("hash|2", "set|2", "string|2");
        assertThat(rows("SELECT key, size, encoding FROM keys WHERE key IN ('user:1', 'tags:2', 'n', 'missing') ORDER BY key"))
                .containsExactly("n|2|int", "tags:2|2|hashtable", "user:1|2|listpack");
        assertThat(rows("""
                SELECT h.value AS name, COUNT(s.member) AS tags
                FROM hashes h JOIN sets s ON s.key = 'tags:' || SUBSTRING(h.key FROM 6)
                WHERE h.field = 'name' GROUP BY h.value ORDER BY name"""))
                .containsExactly("Ada|2", "Alan|2");
        assertThat(rows("SELECT CAST(value AS INTEGER) + 1 FROM hashes WHERE key LIKE 'user:%' AND field = 'age' ORDER BY 1"))
                .containsExactly("37", "42");
    }

    @Test
    void keyLookupsArePushedIntoTheScan() throws SQLException {
        String plan = String.join("\n", rows("EXPLAIN PLAN FOR SELECT value FROM strings WHERE key IN ('a', 'b')"));
        assertThat(plan).contains("filters=").contains("SEARCH($0");
        String walk = String.join("\n", rows("EXPLAIN PLAN FOR SELECT value FROM strings WHERE value = 'a'"));
        assertThat(walk).doesNotContain("filters=[[SEARCH($0").doesNotContain("filters=[=($0");
    }

    @Test
    void aPreparedPointSelectFindsTheKey() throws SQLException {
        jedis.set("price:1", "9.99");
        try (PreparedStatement select = sql.prepareStatement("SELECT value FROM strings WHERE key = ?")) {
            select.setString(1, "price:1");
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("9.99");
                assertThat(rs.next()).isFalse();
            }
            select.setString(1, "price:2"); // the parameter is the lookup's key, read at each execution
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isFalse();
            }
            select.setNull(1, java.sql.Types.VARCHAR); // key = NULL holds for no row
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void ttlsShowAndAnExpiredKeyIsGone() throws Exception {
        jedis.set("short", "x", SetParams.setParams().px(150));
        jedis.set("long", "y", SetParams.setParams().ex(100));
        jedis.set("forever", "z");
        List<String> ttls = rows("SELECT key, ttl_ms IS NULL, ttl_ms > 90000 FROM keys ORDER BY key");
        assertThat(ttls).containsExactly("forever|true|null", "long|false|true", "short|false|false");
        Thread.sleep(300);
        assertThat(rows("SELECT key FROM strings ORDER BY key")).containsExactly("forever", "long");
    }

    @Test
    void otherDatabasesAreSchemas() throws SQLException {
        jedis.select(3);
        jedis.set("in3", "three");
        jedis.select(0);
        assertThat(rows("SELECT key FROM strings")).isEmpty();
        assertThat(rows("SELECT key, value FROM db3.strings")).containsExactly("in3|three");
    }

    @Test
    void aHashOfManyFieldsStreamsThroughEveryRow() throws SQLException {
        Map<String, String> fields = new java.util.HashMap<>();
        for (int i = 0; i < 5000; i++) {
            fields.put("f" + i, "v" + i);
        }
        jedis.hset("big", fields);
        assertThat(rows("SELECT COUNT(*), COUNT(DISTINCT field) FROM hashes WHERE key = 'big'")).containsExactly("5000|5000");
    }

    private static int update(String statement) throws SQLException {
        try (Statement s = sql.createStatement()) {
            return s.executeUpdate(statement);
        }
    }

    private static String stateOf(String statement) {
        try {
            update(statement);
            throw new AssertionError("no error from " + statement);
        } catch (SQLException e) {
            return e.getSQLState() + " " + e.getMessage();
        }
    }

    @Test
    void insertAndDeleteWriteKeysThatRespReadsAtOnce() throws SQLException {
        assertThat(update("INSERT INTO strings (key, value) VALUES ('a', '1'), ('b', '2')")).isEqualTo(2);
        assertThat(jedis.get("a")).isEqualTo("1");
        assertThat(update("INSERT INTO hashes VALUES ('user:9', 'name', 'Grace'), ('user:9', 'age', '85')")).isEqualTo(2);
        assertThat(jedis.hgetAll("user:9")).isEqualTo(Map.of("name", "Grace", "age", "85"));
        jedis.sadd("tags:1", "math", "engines");
        jedis.sadd("tags:2", "math", "computing");
        assertThat(update("INSERT INTO sets (key, member) SELECT DISTINCT 'all', member FROM sets WHERE key IN ('tags:1', 'tags:2')"))
                .isEqualTo(3);
        assertThat(jedis.smembers("all")).containsExactlyInAnyOrder("math", "engines", "computing");

        assertThat(update("DELETE FROM hashes WHERE key = 'user:9' AND field = 'age'")).isEqualTo(1);
        assertThat(jedis.hgetAll("user:9")).isEqualTo(Map.of("name", "Grace"));
        assertThat(update("DELETE FROM sets WHERE key = 'all' AND member <> 'math'")).isEqualTo(2);
        assertThat(jedis.smembers("all")).containsExactly("math");
        assertThat(update("DELETE FROM strings WHERE key = 'a'")).isEqualTo(1);
        assertThat(jedis.exists("a")).isFalse();
        jedis.set("tmp:1", "x");
        jedis.hset("tmp:2", "f", "v");
        assertThat(update("DELETE FROM keys WHERE key LIKE 'tmp:%'")).isEqualTo(2);
        assertThat(jedis.exists("tmp:1", "tmp:2")).isZero();
        assertThat(rows("SELECT key FROM keys ORDER BY key")).containsExactly("all", "b", "tags:1", "tags:2", "user:9");
    }

    @Test
    void updatesWriteKeysThatRespReadsAtOnce() throws SQLException {
        jedis.hset("user:1", Map.of("name", "Ada", "age", "36"));
        jedis.hset("user:2", Map.of("name", "Alan", "age", "41"));
        assertThat(update("UPDATE hashes SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE field = 'age'")).isEqualTo(2);
        assertThat(jedis.hget("user:1", "age")).isEqualTo("37");
        assertThat(jedis.hget("user:2", "age")).isEqualTo("42");
        try (PreparedStatement rename = sql.prepareStatement("UPDATE hashes SET value = ? WHERE key = ? AND field = 'name'")) {
            rename.setString(1, "Ada L.");
            rename.setString(2, "user:1");
            assertThat(rename.executeUpdate()).isEqualTo(1);
            rename.setString(2, "user:9");
            assertThat(rename.executeUpdate()).isZero();
        }
        assertThat(jedis.hgetAll("user:1")).isEqualTo(Map.of("name", "Ada L.", "age", "37"));

        jedis.set("greet:1", "hello", SetParams.setParams().ex(100));
        jedis.set("greet:2", "hi");
        assertThat(update("UPDATE strings SET value = value || '!' WHERE key LIKE 'greet:%'")).isEqualTo(2);
        assertThat(jedis.mget("greet:1", "greet:2")).containsExactly("hello!", "hi!");
        assertThat(jedis.ttl("greet:1")).isBetween(90L, 100L); // an UPDATE keeps the TTL, as SET KEEPTTL

        assertThat(update("UPDATE keys SET ttl_ms = 60000 WHERE key = 'greet:2'")).isEqualTo(1);
        assertThat(jedis.pttl("greet:2")).isBetween(50_000L, 60_000L);
        assertThat(update("UPDATE keys SET ttl_ms = NULL WHERE key LIKE 'greet:%'")).isEqualTo(2);
        assertThat(jedis.pttl("greet:1")).isEqualTo(-1);
        assertThat(update("UPDATE keys SET ttl_ms = 0 WHERE key = 'greet:2'")).isEqualTo(1); // as PEXPIRE 0: gone
        assertThat(jedis.exists("greet:2")).isFalse();
    }

    @Test
    void writesThatCannotBeMadeAreRefusedWithASqlState() throws SQLException {
        jedis.set("s", "text");
        assertThat(stateOf("INSERT INTO hashes VALUES ('s', 'f', 'v')"))
                .startsWith("42809").contains("key 's' holds a Redis string, not a row of hashes");
        assertThat(jedis.get("s")).isEqualTo("text");
        assertThat(stateOf("INSERT INTO strings VALUES (NULL, 'x')")).startsWith("23502").contains("column key of strings cannot be NULL");
        assertThat(stateOf("INSERT INTO keys (key, type) VALUES ('k', 'string')")).startsWith("0A000")
                .contains("rows cannot be inserted into keys");
        assertThat(stateOf("UPDATE strings SET key = 'x' WHERE key = 's'")).startsWith("0A000")
                .contains("column key of strings cannot be updated (only value can): a key is renamed with RENAME");
        assertThat(stateOf("UPDATE strings SET value = 'x', key = 'y' WHERE key = 's'")).startsWith("0A000");
        assertThat(stateOf("UPDATE keys SET type = 'hash' WHERE key = 's'")).startsWith("0A000").contains("(only ttl_ms can)");
        assertThat(stateOf("UPDATE sets SET member = 'x'")).startsWith("0A000").contains("column member of sets cannot be updated:");
        assertThat(stateOf("UPDATE strings SET value = NULL WHERE key = 's'")).startsWith("23502").contains("cannot be NULL");
        jedis.hset("h", "f", "v");
        assertThat(stateOf("UPDATE hashes SET value = NULL WHERE key = 'h'")).startsWith("23502").contains("column value of hashes cannot be NULL");
        assertThat(jedis.hget("h", "f")).isEqualTo("v");
        assertThat(stateOf("MERGE INTO strings t USING (VALUES (1)) v(x) ON t.key = 's' WHEN MATCHED THEN UPDATE SET value = 'y'")).startsWith("0A000");
        assertThat(jedis.get("s")).isEqualTo("text");
        assertThat(stateOf("INSERT INTO strings VALUES ('only one column')")).startsWith("42000");
    }

    @Test
    void badQueriesAreSqlExceptionsThatNameTheProblemWithASqlState() {
        assertThatThrownBy(() -> rows("SELECT * FROM nope")).isInstanceOf(SQLException.class)
                .hasMessageContaining("Object 'nope' not found")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42P01");
        assertThatThrownBy(() -> rows("SELECT colour FROM strings")).isInstanceOf(SQLException.class)
                .hasMessageContaining("Column 'colour' not found")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42703");
        assertThatThrownBy(() -> rows("SELECT key FROM strings WHERE")).isInstanceOf(SQLException.class)
                .hasMessageContaining("line 1, column 29")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42601");
        assertThatThrownBy(() -> rows("SELECT key + 1 FROM strings WHERE key = 'a' AND key")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42000");
        assertThatThrownBy(() -> sql.prepareStatement("SELECT nothing FROM keys")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42703");
    }
}
