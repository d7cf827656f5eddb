package io.ferrite.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A RESP server (Ferrite or redis-server) run as a child process of the benchmark: started on
 * a free loopback port with a fresh directory under {@code java.io.tmpdir} ({@code data/} for
 * {@code --dir}, {@code server.log} beside it so the log does not count as data), checked to be the process
 * that answers the port, and stopped and deleted again by {@link #close()} (or, should the
 * benchmark die first, by a shutdown hook).
 */
final class ChildServer implements AutoCloseable {
    /** The server JVM flags of the {@code ferrite} launcher and bench/run. */
    static final String LAUNCHER_JVM_FLAGS =
            "-XX:+UseSerialGC -Xms32m -Xmn24m -Xmx1g -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=2g -Dio.netty.leakDetection.level=disabled";

    private final Process process;
    private final int port;
    private final Path root;
    private final List<String> commandLine;
    private final Thread killer;

    private ChildServer(Process process, int port, Path root, List<String> commandLine) {
        this.process = process;
        this.port = port;
        this.root = root;
        this.commandLine = commandLine;
        // Should the benchmark be stopped (Ctrl-C, bench/run's cleanup), the server goes too, and
        // so do its files: a tiered case can leave gigabytes of segments behind.
        this.killer = new Thread(() -> {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
            deleteTree(root);
        });
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Thrown when the server exits or does not answer PING during startup. */
    static final class StartException extends IOException {
        StartException(String message) {
            super(message);
        }
    }

    /**
     * Starts {@code program} (the executable and its JVM flags, if any) with {@code --port P
     * --bind 127.0.0.1 --dir DIR} and then {@code serverArgs}, and waits until it answers PING.
     */
    static ChildServer start(List<String> program, List<String> serverArgs, long startupMillis) throws IOException, InterruptedException {
        Path root = Files.createTempDirectory("ferrite-bench-");
        Path data = Files.createDirectories(root.resolve("data"));
        int port = freePort();
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", data.toString()));
        command.addAll(serverArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(root.resolve("server.log").toFile()).start();
        ChildServer server = new ChildServer(process, port, root, List.copyOf(command));
        try {
            if (!waitForPing(process, port, startupMillis)) {
                throw new StartException((process.isAlive() ? "no PING reply" : "exited during startup") + ": " + server.lastLogLine());
            }
            try (Socket socket = RespClient.connect(port)) {
                long servedBy = Long.parseLong(RespClient.infoField(new RespClient(socket).call("INFO", "server"), "process_id"));
                if (servedBy != process.pid()) {
                    throw new StartException("port " + port + " is served by pid " + servedBy + ", not by our child " + process.pid());
                }
            }
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path dataDir() {
        return root.resolve("data");
    }

    /** The exact command the server was started with. */
    List<String> commandLine() {
        return commandLine;
    }

    /**
     * CPU time the server has used so far (user + system, all threads) from {@code /proc/PID/stat},
     * in seconds; 0 when it cannot be read.
     */
    double cpuSeconds() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + process.pid() + "/stat"));
            // Fields after the command name (which may hold spaces) start past the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Kernel clock ticks per second (USER_HZ), 100 on every Linux this runs on. */
    private static final int CLOCK_TICKS = 100;

    /** A {@code /proc/PID/status} field in kB, e.g. {@code VmRSS} or {@code VmHWM}. */
    long statusKb(String field) throws IOException {
        return statusKb(process.pid(), field);
    }

    static long statusKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        throw new IOException(field + " not found for pid " + pid);
    }

    /** The apparent size of every file under the data directory, added up. */
    long diskBytes() throws IOException {
        try (Stream<Path> paths = Files.walk(dataDir())) {
            long total = 0;
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isRegularFile(path)) {
                    total += Files.size(path);
                }
            }
            return total;
        }
    }

    /** The server's last line of output, for error messages. */
    String lastLogLine() {
        try {
            List<String> lines = Files.readAllLines(root.resolve("server.log"));
            return lines.isEmpty() ? "(no output)" : lines.getLast();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and deletes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            return; // the JVM is exiting, and the hook is already stopping the server and deleting its files
        }
        deleteTree(root);
    }

    static boolean waitForPing(Process process, int port, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            try (Socket socket = RespClient.connect(port)) {
                if ("PONG".equals(new RespClient(socket).call("PING"))) {
                    return true;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** JVM flags as one string (as bench/run passes them) to a list; blank means none. */
    static List<String> splitFlags(String flags) {
        return flags.isBlank() ? List.of() : List.of(flags.trim().split("\\s+"));
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; best effort
        }
    }
}
