package io.ferrite.jcache.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;

/** A Ferrite server in its own JVM, started from the test classpath, for the remote provider's tests. */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private ServerProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts a server on a free port with a fresh data directory and waits until it answers PING. */
    public static ServerProcess start(String... arguments) {
        return startOn(freePort(), arguments);
    }

    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a server on {@code port} (again, after an earlier one there stopped) with a fresh
     * data directory; {@code arguments} are more command-line options ({@code --requirepass x}).
     */
    public static ServerProcess startOn(int port, String... arguments) {
        try {
            Path dir = Files.createTempDirectory("ferrite-jcache-server");
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-XX:MaxDirectMemorySize=1g",
                    "-cp", System.getProperty("java.class.path"), "io.ferrite.server.Main",
                    "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString()));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile()).start();
            ServerProcess server = new ServerProcess(process, port, dir);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "ferrite://127.0.0.1:" + port;
    }

    private void awaitReady() {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.ping();
                return;
            } catch (redis.clients.jedis.exceptions.JedisDataException answered) {
                return; // up, and asking for a password
            } catch (RuntimeException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + dir);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("the server did not start; see " + dir);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
