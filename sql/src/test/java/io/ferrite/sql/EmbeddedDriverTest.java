package io.ferrite.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.embedded.EmbeddedEngine;
import io.ferrite.core.embedded.EmbeddedEngines;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The embedded JDBC driver: found by DriverManager, an engine per data directory shared with
 * every other embedded door of that directory, kept across restarts, clear errors.
 */
class EmbeddedDriverTest {
    private static MemorySegment bytes(String text) {
        return MemorySegment.ofArray(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String single(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            assertThat(rs.next()).as(query).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void aFileUrlSharesTheEngineOfItsDirectoryAndKeepsTheDataAcrossRestarts() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-jdbc");
        Properties properties = new Properties();
        properties.setProperty("ferrite.dir", dir.toString());
        properties.setProperty("ferrite.shards", "2");
        EmbeddedEngine engine = EmbeddedEngines.acquire("other door", properties); // e.g. a JCache manager's
        try (Connection sql = DriverManager.getConnection("jdbc:ferrite:file:" + dir)) {
            FerriteStore store = engine.store();
            store.strings().set(0, bytes("k"), bytes("v"));
            assertThat(single(sql, "SELECT value FROM strings WHERE key = 'k'")).isEqualTo("v");
        } finally {
            EmbeddedEngines.release(engine);
        }
        assertThat(engine.store().isClosed()).isTrue(); // the last user closed it
        try (Connection again = DriverManager.getConnection("jdbc:ferrite:file:" + dir, properties)) {
            assertThat(single(again, "SELECT COUNT(*) FROM keys")).isEqualTo("1");
        }
    }

    @Test
    void memoryUrlsOfOneNameShareAnEngine() throws Exception {
        try (Connection first = DriverManager.getConnection("jdbc:ferrite:mem:shared");
             Connection other = DriverManager.getConnection("jdbc:ferrite:mem:other")) {
            EmbeddedEngine engine = EmbeddedEngines.acquire("jdbc:shared", new Properties());
            try {
                engine.store().strings().set(0, bytes("k"), bytes("v"));
            } finally {
                EmbeddedEngines.release(engine);
            }
            assertThat(single(first, "SELECT COUNT(*) FROM keys")).isEqualTo("1");
            assertThat(single(other, "SELECT COUNT(*) FROM keys")).isEqualTo("0");
        }
    }

    @Test
    void theMetadataNamesEachTablesPrimaryKey() throws SQLException {
        try (Connection sql = DriverManager.getConnection("jdbc:ferrite:mem:keys")) {
            java.sql.DatabaseMetaData meta = sql.getMetaData();
            assertThat(primaryKey(meta, "db0", "hashes")).containsExactly("db0.hashes.field 2 hashes_pkey", "db0.hashes.key 1 hashes_pkey");
            assertThat(primaryKey(meta, "db3", "sets")).containsExactly("db3.sets.key 1 sets_pkey", "db3.sets.member 2 sets_pkey");
            assertThat(primaryKey(meta, "db0", "strings")).containsExactly("db0.strings.key 1 strings_pkey");
            assertThat(primaryKey(meta, null, "keys")).hasSize(16).first().isEqualTo("db0.keys.key 1 keys_pkey");
            assertThat(primaryKey(meta, "db0", "nothing")).isEmpty();
            assertThat(primaryKey(meta, "db0", null)).isEmpty();
            assertThat(meta.getTables(null, "db0", "hashes", null).next()).isTrue(); // the rest is Calcite's
        }
    }

    private static java.util.List<String> primaryKey(java.sql.DatabaseMetaData meta, String schema, String table) throws SQLException {
        java.util.List<String> rows = new java.util.ArrayList<>();
        try (ResultSet rs = meta.getPrimaryKeys(null, schema, table)) {
            while (rs.next()) {
                rows.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + "." + rs.getString("COLUMN_NAME")
                        + " " + rs.getShort("KEY_SEQ") + " " + rs.getString("PK_NAME"));
            }
        }
        return rows;
    }

    @Test
    void badUrlsAndSettingsAreSqlExceptionsWithAState() {
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ferrite:file:"))
                .isInstanceOf(SQLException.class).hasMessageContaining("no data directory")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        Properties bad = new Properties();
        bad.setProperty("ferrite.shards", "many");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ferrite:mem:bad", bad))
                .isInstanceOf(SQLException.class).hasMessageContaining("ferrite.shards must be a number")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ferrite:nothing"))
                .isInstanceOf(SQLException.class).hasMessageContaining("No suitable driver");
    }
}
