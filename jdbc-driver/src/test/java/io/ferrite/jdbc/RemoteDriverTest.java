package io.ferrite.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.server.Main;
import io.ferrite.server.config.ConfigFileParser;
import io.ferrite.server.config.ServerConfig;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The remote JDBC driver against a real server's SQL port, Jedis on its RESP port, the same keys. */
class RemoteDriverTest {
    private static Main.Running server;
    private static Jedis jedis;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        int sqlPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            sqlPort = probe.getLocalPort();
        }
        Path dir = Files.createTempDirectory("ferrite-jdbc-remote");
        ServerConfig config = new ServerConfig();
        new ConfigFileParser(config).loadText("port 0\nbind 127.0.0.1\nsave \"\"\nsql-port " + sqlPort + "\ndir " + dir + "\n");
        server = Main.start(config, Optional.empty());
        jedis = new Jedis("127.0.0.1", server.port());
        url = "jdbc:ferrite://127.0.0.1:" + server.sql().port();
    }

    @Test
    void theSqlPortListensOnTheBindAddressOnly() throws Exception {
        String other = java.net.NetworkInterface.networkInterfaces()
                .flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(address -> address instanceof java.net.Inet4Address && !address.isLoopbackAddress())
                .map(java.net.InetAddress::getHostAddress).findFirst().orElse(null);
        Assumptions.assumeTrue(other != null, "no address other than loopback here");
        try (java.net.Socket socket = new java.net.Socket()) {
            assertThatThrownBy(() -> socket.connect(new java.net.InetSocketAddress(other, server.sql().port()), 2000))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @AfterAll
    static void stop() {
        jedis.close();
        server.close();
    }

    @Test
    void respWritesAreRowsAndSqlWritesAreKeys() throws SQLException {
        jedis.flushAll();
        jedis.hset("user:1", Map.of("name", "Ada", "age", "36"));
        try (Connection sql = DriverManager.getConnection(url); Statement statement = sql.createStatement()) {
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT field, value FROM hashes WHERE key = 'user:1' ORDER BY field")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "=" + rs.getString(2));
                }
            }
            assertThat(rows).containsExactly("age=36", "name=Ada");
            assertThat(statement.executeUpdate("INSERT INTO strings VALUES ('from-sql', 'yes')")).isEqualTo(1);
            assertThat(jedis.get("from-sql")).isEqualTo("yes");
            try (PreparedStatement select = sql.prepareStatement("SELECT COUNT(*) FROM keys WHERE key = ?")) {
                select.setString(1, "from-sql");
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void aTableDeclaredOverTheWireTypesWhatRedisClientsWrite() throws SQLException {
        jedis.flushAll();
        try (Connection sql = DriverManager.getConnection(url); Statement statement = sql.createStatement()) {
            statement.execute("CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, age INTEGER)"
                    + " WITH (type = 'hash', keys = 'user:{id}')");
            jedis.hset("user:1", Map.of("name", "Ada", "age", "36"));
            jedis.hset("user:2", Map.of("name", "Bob", "age", "29"));
            try (ResultSet rs = statement.executeQuery("SELECT SUM(age) FROM users WHERE age > 30")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(36);
            }
            try (ResultSet rs = sql.getMetaData().getColumns(null, "db0", "users", "age")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("TYPE_NAME")).isEqualTo("INTEGER");
            }
            assertThat(statement.executeUpdate("UPDATE users SET age = 30 WHERE id = '2'")).isEqualTo(1);
            assertThat(jedis.hget("user:2", "age")).isEqualTo("30");
            assertThatThrownBy(() -> statement.execute("CREATE TABLE users (id VARCHAR, n VARCHAR) WITH (type = 'hash', keys = 'u:{id}')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("already exists")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42P07");
            statement.execute("DROP TABLE users");
            assertThat(jedis.exists("user:1")).isTrue();
        }
    }

    @Test
    void toolsCanBrowseTheSchema() throws SQLException {
        try (Connection sql = DriverManager.getConnection(url)) {
            DatabaseMetaData meta = sql.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, "db0", "%", null)) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("keys", "strings", "hashes", "sets");
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(null, "db0", "hashes", "%")) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME"));
                }
            }
            assertThat(columns).containsExactly("key VARCHAR", "field VARCHAR", "value VARCHAR");
        }
    }

    @Test
    void errorsKeepTheirSqlStateAcrossTheWire() throws SQLException {
        try (Connection sql = DriverManager.getConnection(url); Statement statement = sql.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM nope"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("Object 'nope' not found")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42P01");
        }
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ferrite://127.0.0.1:notaport"))
                .isInstanceOf(SQLException.class).hasMessageContaining("not a port")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        assertThat(RemoteDriver.avaticaUrl("jdbc:ferrite://db.example")).isEqualTo(
                "jdbc:avatica:remote:url=http://db.example:7379;serialization=protobuf");
    }

    /** The driver in a separate JVM of the machine's Java 17, as a BI tool would load it. */
    @Test
    void theDriverRunsOnJava17() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        Assumptions.assumeTrue(Files.isExecutable(java17), "no Java 17 at " + java17);
        jedis.set("from-17", "hello");
        // The driver's classes and its dependencies' jars; not the other modules' classes (Java 25).
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> (entry.endsWith(".jar") && !Path.of(entry).getFileName().toString().startsWith("ferrite-"))
                        || entry.replace('\\', '/').endsWith("jdbc-driver/target/classes"))
                .collect(Collectors.joining(File.pathSeparator));
        Path smoke = Path.of("src", "test", "resources", "RemoteSmoke.java");
        Process process = new ProcessBuilder(java17.toString(), "-cp", classpath, smoke.toString(), url)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as(output).contains("java 17 read hello");
        assertThat(process.exitValue()).isZero();
    }

    /** sqlline (what {@code ./ferrite sql} runs) scripted with -f against the server: rows out, errors with their SQLState, a failed script's exit status. */
    @Test
    void sqllineRunsAScriptThroughTheRemoteDriver() throws Exception {
        jedis.hset("shell:1", Map.of("name", "Ada"));
        Path script = Files.createTempFile("ferrite-sqlline", ".sql");
        Files.writeString(script, """
                SELECT field, value FROM hashes WHERE key = 'shell:1';
                INSERT INTO strings VALUES ('from-shell', 'yes');
                """);
        Sqlline ok = sqlline(script);
        assertThat(ok.output).as(ok.output).contains("| name  | Ada   |").contains("1 row affected");
        assertThat(ok.status).isZero();
        assertThat(jedis.get("from-shell")).isEqualTo("yes");

        Files.writeString(script, "SELECT * FROM no_such_table;\n");
        Sqlline failed = sqlline(script);
        assertThat(failed.output).as(failed.output).contains("Object 'no_such_table' not found").contains("state=42P01");
        assertThat(failed.status).isNotZero();
    }

    private record Sqlline(String output, int status) {}

    private static Sqlline sqlline(Path script) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "sqlline.SqlLine",
                "-u", url, "-n", "", "-p", "", "--isolation=TRANSACTION_NONE", "--maxWidth=200", "-f", script.toString())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Sqlline(output, process.exitValue());
    }
}
