package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.server.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * SET's IFEQ / IFNE conditions and DELEX (Redis 8.4's compare-and-set and compare-and-delete,
 * which the remote JCache provider writes with), through Jedis.
 */
class ConditionalWritesTest {
    private TestServer server;
    private Jedis jedis;

    @BeforeEach
    void start() {
        server = TestServer.start();
        jedis = new Jedis(server.host(), server.port());
    }

    @AfterEach
    void stop() {
        jedis.close();
        server.close();
    }

    private Object send(String... args) {
        Object reply = jedis.sendCommand(() -> args[0].getBytes(StandardCharsets.US_ASCII),
                Stream.of(args).skip(1).map(a -> a.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new));
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : reply;
    }

    @Test
    void setIfEqualWritesOnlyOverTheComparedValue() {
        assertThat(send("SET", "k", "v2", "IFEQ", "v1")).isNull();
        assertThat(jedis.exists("k")).isFalse(); // IFEQ never creates
        jedis.set("k", "v1");
        assertThat(send("SET", "k", "v2", "IFEQ", "other")).isNull();
        assertThat(jedis.get("k")).isEqualTo("v1");
        assertThat(send("SET", "k", "v2", "IFEQ", "v1")).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("v2");
    }

    @Test
    void setIfNotEqualCreatesAndWritesOverOtherValues() {
        assertThat(send("SET", "k", "v1", "IFNE", "v1")).isEqualTo("OK"); // absent counts as different
        assertThat(send("SET", "k", "v2", "IFNE", "v1")).isNull();
        assertThat(send("SET", "k", "v2", "IFNE", "x")).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("v2");
    }

    @Test
    void conditionsTakeExpiryOptionsAndGet() {
        jedis.set("k", "v1");
        jedis.pexpire("k", 100_000);
        assertThat(send("SET", "k", "v2", "IFEQ", "v1", "KEEPTTL")).isEqualTo("OK");
        assertThat(jedis.pttl("k")).isBetween(1L, 100_000L);
        assertThat(send("SET", "k", "v3", "IFEQ", "v2")).isEqualTo("OK");
        assertThat(jedis.pttl("k")).isEqualTo(-1); // like SET, a condition without KEEPTTL clears the TTL
        assertThat(send("SET", "k", "v4", "IFEQ", "v3", "PX", "50000")).isEqualTo("OK");
        assertThat(jedis.pttl("k")).isBetween(1L, 50_000L);
        assertThat(send("SET", "k", "v5", "IFEQ", "nope", "GET")).isEqualTo("v4"); // GET answers the old value either way
        assertThat(send("SET", "k", "v5", "IFEQ", "v4", "GET")).isEqualTo("v4");
        assertThat(jedis.get("k")).isEqualTo("v5");
        assertThat(send("SET", "missing", "v", "IFNE", "x", "GET")).isNull();
        assertThat(jedis.get("missing")).isEqualTo("v");
    }

    @Test
    void delexDeletesOnlyWhenTheConditionHolds() {
        jedis.set("k", "v1");
        assertThat(send("DELEX", "k", "IFEQ", "other")).isEqualTo(0L);
        assertThat(send("DELEX", "k", "IFNE", "v1")).isEqualTo(0L);
        assertThat(send("DELEX", "k", "IFEQ", "v1")).isEqualTo(1L);
        assertThat(jedis.exists("k")).isFalse();
        assertThat(send("DELEX", "k", "IFNE", "v1")).isEqualTo(0L); // nothing to delete
        jedis.set("k", "v1");
        assertThat(send("DELEX", "k", "IFNE", "v2")).isEqualTo(1L);
        jedis.hset("h", "f", "v");
        assertThat(send("DELEX", "h")).isEqualTo(1L); // no condition: DEL of one key, any type
    }

    @Test
    void badConditionsAnswerRedisErrors() {
        jedis.set("k", "v1");
        jedis.hset("h", "f", "v");
        assertThatThrownBy(() -> send("SET", "k", "v", "IFEQ", "a", "NX")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> send("SET", "k", "v", "XX", "IFEQ", "a")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> send("SET", "k", "v", "IFEQ", "a", "IFNE", "b")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> send("SET", "k", "v", "IFEQ")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> send("SET", "h", "v", "IFEQ", "a")).isInstanceOf(JedisDataException.class)
                .hasMessageStartingWith("WRONGTYPE");
        assertThatThrownBy(() -> send("SET", "k", "v", "IFDEQ", "0123456789abcdef")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> send("DELEX", "k", "IFEQ")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> send("DELEX", "k", "BOGUS", "v")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> send("DELEX", "k", "IFEQ", "v", "extra")).hasMessage("ERR syntax error");
        assertThatThrownBy(() -> send("DELEX", "k", "IFDNE", "0123456789abcdef")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> send("DELEX", "h", "IFEQ", "v")).hasMessageStartingWith("WRONGTYPE");
        assertThatThrownBy(() -> send("DELEX")).hasMessageContaining("wrong number of arguments for 'delex' command");
        assertThat(jedis.get("k")).isEqualTo("v1");
        assertThat(jedis.hget("h", "f")).isEqualTo("v");
        assertThat(jedis.commandGetKeys("DELEX", "k", "IFEQ", "v")).containsExactly("k");
    }

    @Test
    void theAppendOnlyFileLogsPlainWritesThatAnyRedisReplays() throws IOException {
        Path dir = server.dir();
        jedis.close();
        server.stop();
        server = TestServer.startIn(dir, "appendonly yes");
        jedis = new Jedis(server.host(), server.port());
        jedis.set("a", "1");
        jedis.set("b", "1");
        jedis.set("c", "1");
        send("SET", "a", "2", "IFEQ", "1", "PX", "100000");
        send("SET", "a", "3", "IFEQ", "nope");
        send("SET", "b", "2", "IFNE", "x", "KEEPTTL");
        send("DELEX", "c", "IFEQ", "1");
        jedis.close();
        server.stop();
        String aof;
        try (Stream<Path> files = Files.walk(dir)) {
            aof = files.filter(f -> f.toString().endsWith(".incr.aof"))
                    .map(f -> { try { return Files.readString(f, StandardCharsets.ISO_8859_1); } catch (IOException e) { throw new RuntimeException(e); } })
                    .reduce("", String::concat);
        }
        assertThat(aof).doesNotContain("IFEQ").doesNotContain("IFNE").doesNotContain("DELEX").contains("PXAT");
        server = TestServer.startIn(dir, "appendonly yes");
        jedis = new Jedis(server.host(), server.port());
        assertThat(jedis.get("a")).isEqualTo("2");
        assertThat(jedis.pttl("a")).isBetween(1L, 100_000L);
        assertThat(jedis.get("b")).isEqualTo("2");
        assertThat(jedis.exists("c")).isFalse();
    }
}
