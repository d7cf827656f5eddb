package io.ferrite.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.server.Main;
import io.ferrite.server.config.ConfigFileParser;
import io.ferrite.server.config.ServerConfig;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The same generated data in Ferrite (written through RESP) and in H2 (tables of the same
 * shape), the same queries through Ferrite's embedded driver, its remote driver and H2's: the
 * same rows. Every identifier is quoted lower case, which both read the same way. A cast of a
 * value that only some rows can take is guarded by a CASE: SQL leaves the order in which a
 * WHERE's conditions are evaluated to the planner, and Calcite's is not H2's.
 */
class SqlDifferentialTest {
    private static final String[] NAMES = {"Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", null};
    private static final String[] CITIES = {"London", "Paris", "Zurich", "Austin"};
    private static final String[] TAGS = {"math", "engines", "compilers", "networks", "databases"};

    private static Main.Running server;
    private static Connection embedded;
    private static Connection remote;
    private static Connection h2;

    @BeforeAll
    static void load() throws Exception {
        int sqlPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            sqlPort = probe.getLocalPort();
        }
        Path dir = Files.createTempDirectory("ferrite-sql-diff");
        ServerConfig config = new ServerConfig();
        new ConfigFileParser(config).loadText("port 0\nbind 127.0.0.1\nsave \"\"\nsql-port " + sqlPort + "\ndir " + dir + "\n");
        server = Main.start(config, Optional.empty());
        embedded = io.ferrite.sql.FerriteSql.connect(server.context().store());
        remote = new org.apache.calcite.avatica.remote.Driver().connect(
                "jdbc:avatica:remote:url=http://127.0.0.1:" + server.sql().port() + ";serialization=protobuf", new java.util.Properties());
        h2 = DriverManager.getConnection("jdbc:h2:mem:differential;DB_CLOSE_DELAY=-1");
        try (Statement s = h2.createStatement()) {
            s.execute("CREATE TABLE \"strings\" (\"key\" VARCHAR PRIMARY KEY, \"value\" VARCHAR)");
            s.execute("CREATE TABLE \"hashes\" (\"key\" VARCHAR, \"field\" VARCHAR, \"value\" VARCHAR, PRIMARY KEY (\"key\", \"field\"))");
            s.execute("CREATE TABLE \"sets\" (\"key\" VARCHAR, \"member\" VARCHAR, PRIMARY KEY (\"key\", \"member\"))");
        }
        Random random = new Random(42);
        try (Jedis jedis = new Jedis("127.0.0.1", server.port());
             PreparedStatement string = h2.prepareStatement("INSERT INTO \"strings\" VALUES (?, ?)");
             PreparedStatement hash = h2.prepareStatement("INSERT INTO \"hashes\" VALUES (?, ?, ?)");
             PreparedStatement set = h2.prepareStatement("INSERT INTO \"sets\" VALUES (?, ?)")) {
            Pipeline pipe = jedis.pipelined();
            for (int i = 0; i < 300; i++) {
                String user = "user:" + i;
                String name = NAMES[random.nextInt(NAMES.length)];
                Map<String, String> fields = new java.util.HashMap<>();
                if (name != null) {
                    fields.put("name", name); // some users have no name: NULLs in joins
                }
                fields.put("age", Integer.toString(18 + random.nextInt(60)));
                fields.put("city", CITIES[random.nextInt(CITIES.length)]);
                pipe.hset(user, fields);
                for (var field : fields.entrySet()) {
                    hash.setString(1, user);
                    hash.setString(2, field.getKey());
                    hash.setString(3, field.getValue());
                    hash.addBatch();
                }
                int tags = random.nextInt(4);
                for (int t = 0; t < tags; t++) {
                    String tag = TAGS[random.nextInt(TAGS.length)];
                    pipe.sadd("tags:" + i, tag);
                }
                String score = random.nextInt(10) == 0 ? "n/a" : new BigDecimal(random.nextInt(10_000)).movePointLeft(2).toPlainString();
                pipe.set("score:" + i, score);
                string.setString(1, "score:" + i);
                string.setString(2, score);
                string.addBatch();
            }
            pipe.sync();
            // The sets as Redis holds them (a member added twice is there once).
            for (int i = 0; i < 300; i++) {
                for (String member : jedis.smembers("tags:" + i)) {
                    set.setString(1, "tags:" + i);
                    set.setString(2, member);
                    set.addBatch();
                }
            }
            jedis.set("greeting", "hello world");
            string.setString(1, "greeting");
            string.setString(2, "hello world");
            string.addBatch();
            string.executeBatch();
            hash.executeBatch();
            set.executeBatch();
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        embedded.close();
        remote.close();
        h2.close();
        server.close();
    }

    static Stream<Arguments> queries() {
        return Stream.of(
                "SELECT COUNT(*) FROM \"hashes\"",
                "SELECT \"key\", \"value\" FROM \"strings\" WHERE \"key\" = 'score:7'",
                "SELECT \"key\" FROM \"strings\" WHERE \"key\" IN ('score:1', 'score:2', 'nope') ORDER BY \"key\"",
                "SELECT \"field\", COUNT(*) FROM \"hashes\" GROUP BY \"field\" ORDER BY \"field\"",
                "SELECT \"value\", COUNT(*) AS n FROM \"hashes\" WHERE \"field\" = 'city' GROUP BY \"value\" ORDER BY n DESC, \"value\"",
                "SELECT \"key\" FROM \"hashes\" WHERE \"field\" = 'age' "
                        + "AND CAST(CASE WHEN \"field\" = 'age' THEN \"value\" END AS INTEGER) BETWEEN 30 AND 35 ORDER BY \"key\"",
                "SELECT MIN(CAST(\"value\" AS INTEGER)), MAX(CAST(\"value\" AS INTEGER)), SUM(CAST(\"value\" AS INTEGER)) "
                        + "FROM \"hashes\" WHERE \"field\" = 'age'",
                "SELECT \"key\" FROM \"strings\" WHERE \"value\" LIKE '%.5%' ORDER BY \"key\"",
                "SELECT \"key\" FROM \"strings\" WHERE \"key\" LIKE 'score:1_' ORDER BY \"key\"",
                "SELECT UPPER(\"value\"), SUBSTRING(\"value\" FROM 1 FOR 5) FROM \"strings\" WHERE \"key\" = 'greeting'",
                "SELECT \"member\", COUNT(DISTINCT \"key\") FROM \"sets\" GROUP BY \"member\" ORDER BY \"member\"",
                "SELECT n.\"value\" AS name, c.\"value\" AS city FROM \"hashes\" n JOIN \"hashes\" c ON n.\"key\" = c.\"key\" "
                        + "WHERE n.\"field\" = 'name' AND c.\"field\" = 'city' AND n.\"value\" = 'Grace' ORDER BY n.\"key\"",
                // users without a name: a LEFT JOIN's NULLs
                "SELECT a.\"key\", n.\"value\" FROM \"hashes\" a LEFT JOIN \"hashes\" n ON n.\"key\" = a.\"key\" AND n.\"field\" = 'name' "
                        + "WHERE a.\"field\" = 'age' AND n.\"value\" IS NULL ORDER BY a.\"key\"",
                "SELECT COALESCE(n.\"value\", '(none)') AS name, COUNT(*) FROM \"hashes\" a LEFT JOIN \"hashes\" n "
                        + "ON n.\"key\" = a.\"key\" AND n.\"field\" = 'name' WHERE a.\"field\" = 'city' GROUP BY COALESCE(n.\"value\", '(none)') "
                        + "ORDER BY 1",
                "SELECT c.\"value\", COUNT(s.\"member\") FROM \"hashes\" c JOIN \"sets\" s ON s.\"key\" = 'tags:' || SUBSTRING(c.\"key\" FROM 6) "
                        + "WHERE c.\"field\" = 'city' GROUP BY c.\"value\" ORDER BY c.\"value\"",
                "SELECT c.\"value\", COUNT(*) FROM \"hashes\" c WHERE c.\"field\" = 'city' GROUP BY c.\"value\" HAVING COUNT(*) > 70 "
                        + "ORDER BY c.\"value\"",
                "SELECT \"key\" FROM \"hashes\" h WHERE \"field\" = 'city' AND \"value\" = 'Zurich' AND EXISTS (SELECT 1 FROM \"sets\" s "
                        + "WHERE s.\"key\" = 'tags:' || SUBSTRING(h.\"key\" FROM 6) AND s.\"member\" = 'math') ORDER BY \"key\"",
                "SELECT \"key\" FROM \"sets\" WHERE \"member\" = 'compilers' AND \"key\" NOT IN (SELECT \"key\" FROM \"sets\" "
                        + "WHERE \"member\" = 'math') ORDER BY \"key\"",
                "SELECT DISTINCT \"value\" FROM \"hashes\" WHERE \"field\" = 'name' ORDER BY \"value\"",
                "SELECT \"key\", \"value\", ROW_NUMBER() OVER (PARTITION BY \"value\" ORDER BY \"key\") AS rn FROM \"hashes\" "
                        + "WHERE \"field\" = 'city' ORDER BY \"value\", rn FETCH FIRST 12 ROWS ONLY",
                "SELECT \"value\", AVG(CAST(a AS DOUBLE)) FROM (SELECT c.\"value\", CAST(g.\"value\" AS INTEGER) AS a FROM \"hashes\" c "
                        + "JOIN \"hashes\" g ON g.\"key\" = c.\"key\" WHERE c.\"field\" = 'city' AND g.\"field\" = 'age') t GROUP BY \"value\" "
                        + "ORDER BY \"value\"",
                "SELECT CASE WHEN \"value\" = 'n/a' THEN 'missing' ELSE 'scored' END AS kind, COUNT(*) FROM \"strings\" "
                        + "WHERE \"key\" LIKE 'score:%' GROUP BY CASE WHEN \"value\" = 'n/a' THEN 'missing' ELSE 'scored' END ORDER BY 1",
                "SELECT \"key\", \"value\" FROM \"strings\" WHERE \"key\" LIKE 'score:%' AND \"value\" <> 'n/a' "
                        + "ORDER BY CAST(\"value\" AS DECIMAL(10, 2)) DESC, \"key\" FETCH FIRST 5 ROWS ONLY",
                "SELECT COUNT(*) FROM \"sets\" s1 JOIN \"sets\" s2 ON s1.\"key\" = s2.\"key\" AND s1.\"member\" < s2.\"member\"",
                "SELECT \"key\" FROM \"strings\" WHERE \"value\" IS NULL",
                "SELECT \"member\" FROM \"sets\" GROUP BY \"member\" HAVING COUNT(*) = (SELECT MAX(c) FROM (SELECT COUNT(*) AS c "
                        + "FROM \"sets\" GROUP BY \"member\") m)")
                .map(Arguments::of);
    }

    private static List<String> rows(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            List<String> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    row.append(i > 1 ? " | " : "").append(normalized(value));
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }

    /** Numbers compare by value (H2 and Calcite pick different Java types and scales for the same number). */
    private static String normalized(Object value) {
        if (value instanceof Number number) {
            BigDecimal decimal = new BigDecimal(number.toString());
            if (decimal.scale() > 6) {
                decimal = decimal.setScale(6, java.math.RoundingMode.HALF_UP); // an average: H2 keeps 25 digits, Calcite a double's
            }
            return decimal.stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    @ParameterizedTest
    @MethodSource("queries")
    void ferriteAnswersAsH2Does(String query) throws SQLException {
        List<String> expected = rows(h2, query);
        assertThat(rows(embedded, query)).as("embedded: " + query).isEqualTo(expected);
        assertThat(rows(remote, query)).as("remote: " + query).isEqualTo(expected);
    }
}
