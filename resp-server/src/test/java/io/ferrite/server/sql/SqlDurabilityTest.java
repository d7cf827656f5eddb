package io.ferrite.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.server.Main;
import io.ferrite.server.config.ConfigFileParser;
import io.ferrite.server.config.ServerConfig;
import io.ferrite.sql.FerriteSql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** SQL writes on a server's engine reach its append-only file like the equivalent commands, so a restart keeps them. */
class SqlDurabilityTest {
    private static Main.Running start(Path dir) throws Exception {
        ServerConfig config = new ServerConfig();
        new ConfigFileParser(config).loadText("port 0\nbind 127.0.0.1\nsave \"\"\nappendonly yes\nappendfsync always\ndir " + dir + "\n");
        return Main.start(config, Optional.empty());
    }

    @Test
    void insertsUpdatesAndDeletesSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-sql-aof");
        try (Main.Running server = start(dir); Connection sql = FerriteSql.connect(server.context().store());
             Statement statement = sql.createStatement(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            statement.executeUpdate("INSERT INTO strings VALUES ('price:1', '9.99'), ('price:2', '5')");
            statement.executeUpdate("INSERT INTO hashes VALUES ('user:1', 'name', 'Ada'), ('user:1', 'age', '36')");
            statement.executeUpdate("INSERT INTO sets VALUES ('tags', 'a'), ('tags', 'b')");
            statement.executeUpdate("DELETE FROM hashes WHERE key = 'user:1' AND field = 'age'");
            statement.executeUpdate("DELETE FROM sets WHERE member = 'a'");
            statement.executeUpdate("DELETE FROM strings WHERE key = 'price:2'");
            statement.executeUpdate("INSERT INTO strings VALUES ('price:3', '1')");
            statement.executeUpdate("UPDATE strings SET value = '10.99' WHERE key = 'price:1'");
            statement.executeUpdate("UPDATE hashes SET value = 'Ada L.' WHERE key = 'user:1'");
            statement.executeUpdate("UPDATE keys SET ttl_ms = 600000 WHERE key = 'price:3'");
            String info = jedis.info("persistence");
            assertThat(info).contains("ferrite_aof_unjournaled_changes:0");
        }
        try (Main.Running server = start(dir); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.get("price:1")).isEqualTo("10.99");
            assertThat(jedis.pttl("price:3")).isBetween(1L, 600_000L);
            assertThat(jedis.exists("price:2")).isFalse();
            assertThat(jedis.hgetAll("user:1")).isEqualTo(Map.of("name", "Ada L."));
            assertThat(jedis.smembers("tags")).containsExactly("b");
        }
    }

    @Test
    void aDeclaredTableAndItsRowsSurviveARestartAndRedisClientsSeeBoth() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-sql-aof");
        try (Main.Running server = start(dir); Connection sql = FerriteSql.connect(server.context().store());
             Statement statement = sql.createStatement(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            statement.execute("CREATE TABLE users (id VARCHAR PRIMARY KEY, name VARCHAR, age INTEGER)"
                    + " WITH (type = 'hash', keys = 'user:{id}')");
            statement.executeUpdate("INSERT INTO users VALUES ('1', 'Ada', 36)");
            jedis.hset("user:2", Map.of("name", "Bob", "age", "29"));
            statement.executeUpdate("UPDATE users SET age = age + 1");
            assertThat(jedis.hget("user:1", "age")).isEqualTo("37");
            assertThat(jedis.hkeys("ferrite:sql:tables")).containsExactly("users");
        }
        try (Main.Running server = start(dir); Connection sql = FerriteSql.connect(server.context().store());
             Statement statement = sql.createStatement();
             java.sql.ResultSet rs = statement.executeQuery("SELECT id, name, age FROM users ORDER BY id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + rs.getString(2) + rs.getInt(3)).isEqualTo("1Ada37");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + rs.getString(2) + rs.getInt(3)).isEqualTo("2Bob30");
            assertThat(rs.next()).isFalse();
        }
    }
}
