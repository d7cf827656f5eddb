package io.ferrite.server;

import io.ferrite.server.config.ConfigFileParser;
import io.ferrite.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A real Ferrite server on a free port with a temporary data directory, for integration
 * tests: {@code try (TestServer server = TestServer.start("maxmemory 10mb")) { ... server.port() ... }}.
 */
public final class TestServer implements AutoCloseable {
    private final Main.Running running;
    private final Path dir;

    private TestServer(Main.Running running, Path dir) {
        this.running = running;
        this.dir = dir;
    }

    /** Starts a server; {@code configLines} are redis.conf lines applied after the defaults. */
    public static TestServer start(String... configLines) {
        try {
            return startIn(Files.createTempDirectory("ferrite-test"), configLines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server on the data directory {@code dir} (a restart, when an earlier server used it). */
    public static TestServer startIn(Path dir, String... configLines) {
        try {
            Main.Running running = Main.start(config(dir, configLines), Optional.empty());
            return new TestServer(running, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The configuration a server on {@code dir} starts with. */
    public static ServerConfig config(Path dir, String... configLines) {
        ServerConfig config = new ServerConfig();
        StringBuilder text = new StringBuilder("port 0\nbind 127.0.0.1\ndir ").append(dir).append('\n');
        for (String line : configLines) {
            text.append(line).append('\n');
        }
        try {
            new ConfigFileParser(config).loadText(text.toString());
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        return config;
    }

    public int port() {
        return running.port();
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The server's data directory. */
    public Path dir() {
        return dir;
    }

    public ServerContext context() {
        return running.context();
    }

    /** Stops the server and keeps its data directory (for a restart with {@link #startIn}). */
    public void stop() {
        running.close();
    }

    @Override
    public void close() {
        running.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
