package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferrite.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The real redis-cli against Ferrite (skipped when redis-cli is not on the PATH). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisCliIntegrationTest {
    private Path redisCli;
    private TestServer server;

    @BeforeAll
    void start() {
        RedisTools.find("redis-cli").ifPresent(executable -> {
            redisCli = executable;
            server = TestServer.start();
        });
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void flush() throws Exception {
        assumeTrue(redisCli != null, "redis-cli is not on the PATH: skipping the redis-cli tests "
                + "(install Debian's redis-tools package to run them)");
        assertThat(cli(null, "FLUSHALL")).isEqualTo("OK\n");
    }

    /** Runs redis-cli against the server with {@code args}, feeding it {@code input}; returns stdout. */
    private String cli(byte[] input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(redisCli.toString(), "-h", server.host(), "-p",
                Integer.toString(server.port())));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try (OutputStream stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input);
            }
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("redis-cli %s finished", args).isTrue();
        String text = new String(output.join(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit status of redis-cli %s: %s", args, text).isZero();
        return text;
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void basicCommands() throws Exception {
        assertThat(cli(null, "PING")).isEqualTo("PONG\n");
        assertThat(cli(null, "SET", "greeting", "hello world")).isEqualTo("OK\n");
        assertThat(cli(null, "GET", "greeting")).isEqualTo("hello world\n");
        assertThat(cli(null, "--no-raw", "GET", "missing")).isEqualTo("(nil)\n");
        assertThat(cli(null, "--no-raw", "INCRBY", "n", "41")).isEqualTo("(integer) 41\n");
        assertThat(cli(null, "INCRBYFLOAT", "f", "1.5")).isEqualTo("1.5\n");
        assertThat(cli(null, "--no-raw", "INCR", "greeting")).isEqualTo("(error) ERR value is not an integer or out of range\n");
        assertThat(cli(null, "--no-raw", "MGET", "greeting", "missing")).isEqualTo("1) \"hello world\"\n2) (nil)\n");
        assertThat(cli(null, "-n", "3", "SET", "db3", "x")).isEqualTo("OK\n");
        assertThat(cli(null, "-n", "3", "DBSIZE")).isEqualTo("1\n");
        assertThat(cli(null, "--no-raw", "-3", "HELLO", "3")).contains("\"server\" => \"redis\"", "\"proto\" => (integer) 3");
        assertThat(cli(null, "--no-raw", "-3", "CONFIG", "GET", "maxmemory")).isEqualTo("1# \"maxmemory\" => \"0\"\n");
        assertThat(cli("piped value".getBytes(StandardCharsets.UTF_8), "-x", "SET", "fromstdin")).isEqualTo("OK\n");
        assertThat(cli(null, "GET", "fromstdin")).isEqualTo("piped value\n");
    }

    @Test
    void info() throws Exception {
        String info = cli(null, "INFO");
        assertThat(info).contains("# Server", "redis_version:7.0.15", "# Clients", "# Memory", "# Stats", "# Keyspace");
        assertThat(cli(null, "INFO", "server")).contains("redis_mode:standalone").doesNotContain("# Clients");
    }

    @Test
    void massInsertionWithPipe() throws Exception {
        ByteArrayOutputStream protocol = new ByteArrayOutputStream();
        int count = 10_000;
        for (int i = 0; i < count; i++) {
            String key = "key:" + i;
            String value = "value:" + i;
            protocol.writeBytes(("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + value.length() + "\r\n"
                    + value + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        String output = cli(protocol.toByteArray(), "--pipe");
        assertThat(output).contains("errors: 0, replies: " + count);
        assertThat(cli(null, "DBSIZE")).isEqualTo(count + "\n");
        assertThat(cli(null, "GET", "key:9999")).isEqualTo("value:9999\n");
        String scanned = cli(null, "--scan", "--pattern", "key:99*");
        assertThat(scanned.lines().sorted().toList()).hasSize(111).contains("key:99", "key:9999");
    }
}
