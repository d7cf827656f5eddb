package io.ferrite.server.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds the Redis command-line tools on the PATH and runs a throwaway redis-server. */
final class RedisTools {
    private RedisTools() {}

    /** The executable {@code name} on the PATH, if any. */
    static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The output of {@code executable --version} (e.g. "Redis server v=7.0.15 ..."), or "". */
    static String version(Path executable) {
        try {
            Process process = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return text.trim();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A redis-server without persistence on a free local port; {@link #close} kills it. */
    static final class RedisServer implements AutoCloseable {
        private final Process process;
        private final Path dir;
        final int port;

        private RedisServer(Process process, Path dir, int port) {
            this.process = process;
            this.dir = dir;
            this.port = port;
        }

        /** The server's working directory (where SAVE writes dump.rdb). */
        Path dir() {
            return dir;
        }

        static RedisServer start(Path executable) throws IOException, InterruptedException {
            return start(executable, null);
        }

        /**
         * A redis-server in {@code dataDir} (loading the dump.rdb there), or in a new directory
         * when null, with {@code moreArgs} after the defaults.
         */
        static RedisServer start(Path executable, Path dataDir, String... moreArgs) throws IOException, InterruptedException {
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                Path dir = dataDir != null ? dataDir : Files.createTempDirectory("redis-differential");
                List<String> command = new java.util.ArrayList<>(List.of(executable.toString(), "--port", Integer.toString(port),
                        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                        "--daemonize", "no", "--protected-mode", "yes",
                        // DEBUG DIGEST-VALUE and DEBUG RELOAD are compared too (refused by default since 7.0)
                        "--enable-debug-command", "local"));
                command.addAll(List.of(moreArgs)); // later arguments override earlier ones
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile())
                        .start();
                RedisServer server = new RedisServer(process, dir, port);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline && process.isAlive()) {
                    try (RespConnection connection = new RespConnection("127.0.0.1", port)) {
                        if (connection.call("PING").text().equals("PONG")) {
                            return server;
                        }
                    } catch (IOException e) {
                        last = e;
                        Thread.sleep(50);
                    }
                }
                server.close(); // port taken or a slow start: try another port
            }
            throw new IOException("redis-server did not start", last);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
