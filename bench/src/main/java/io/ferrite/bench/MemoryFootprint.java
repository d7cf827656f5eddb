package io.ferrite.bench;

import io.ferrite.core.FerriteStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Measures how much a server's resident memory grows when 1M string keys {@code key:0} ..
 * {@code key:999999} with 100-byte values are loaded through RESP, relative to the raw
 * key+value bytes. It starts each server itself as a child process on a free port (the real
 * Ferrite server jar, once per JVM flag set, and redis-server when available), reads VmRSS
 * from {@code /proc/PID/status} before and after the load, and stops the server again.
 *
 * <p>Procedure per server: start, wait for PING, warm the SET path up (100k pipelined SETs
 * of one scratch key, then DEL it, so JIT-compiled code and network buffers exist before the
 * "before" sample), sample VmRSS, load all keys with pipelined SETs over one connection
 * (like {@code redis-cli --pipe}), check DBSIZE, wait two seconds, sample VmRSS again.
 *
 * <p>Usage: {@code MemoryFootprint --server-jar PATH [--java PATH] [--jvm "FLAGS"]...
 * [--redis-server PATH|none] [--keys N] [--no-engine]}. The markdown table goes to stdout,
 * progress to stderr.
 */
public final class MemoryFootprint {
    /** Default Ferrite JVM flag sets: the launcher's first, then a tighter heap, then JVM defaults. */
    static final List<String> DEFAULT_JVM_FLAGS = List.of(
            "-XX:+UseSerialGC -Xms32m -Xmn24m -Xmx1g -XX:MaxDirectMemorySize=2g -Dio.netty.leakDetection.level=disabled",
            "-XX:+UseSerialGC -Xmx64m",
            "");

    private static final int WARMUP_SETS = 100_000;

    private MemoryFootprint() {}

    record Result(String server, String flags, long rssBeforeKb, long rssAfterKb, long hwmKb,
                  long usedMemory, long dbsize, double loadSeconds, String note) {}

    public static void main(String[] args) throws Exception {
        Path serverJar = null;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvmFlags = new ArrayList<>();
        String redis = "auto";
        int keys = Keyspace.KEYS;
        boolean engine = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server-jar" -> serverJar = Path.of(args[++i]);
                case "--java" -> java = args[++i];
                case "--jvm" -> jvmFlags.add(args[++i]);
                case "--redis-server" -> redis = args[++i];
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--no-engine" -> engine = false;
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (serverJar == null || !Files.isRegularFile(serverJar)) {
            System.err.println("--server-jar PATH (resp-server/target/ferrite-server.jar) is required");
            System.exit(2);
        }
        if (jvmFlags.isEmpty()) {
            jvmFlags.addAll(DEFAULT_JVM_FLAGS);
        }
        String redisPath = redis.equals("auto") ? onPath("redis-server") : redis.equals("none") ? null : redis;

        long rawKeys = Keyspace.rawKeyBytes(keys);
        long rawValues = (long) keys * Keyspace.VALUE_SIZE;
        long raw = rawKeys + rawValues;

        List<Result> results = new ArrayList<>();
        for (String flags : jvmFlags) {
            List<String> command = new ArrayList<>();
            command.add(java);
            command.add("--enable-native-access=ALL-UNNAMED");
            command.addAll(splitFlags(flags));
            command.addAll(List.of("-jar", serverJar.toAbsolutePath().toString()));
            results.add(measure("Ferrite", flags.isBlank() ? "(JVM defaults: G1, heap 1/4 of RAM)" : flags,
                    command, keys, List.of("--save", "", "--appendonly", "no")));
        }
        if (redisPath != null) {
            results.add(measure("redis-server", "--save '' --appendonly no",
                    new ArrayList<>(List.of(redisPath)), keys, List.of("--save", "", "--appendonly", "no")));
        }
        long engineBytes = engine ? engineAccounting(keys) : -1;

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Raw data: %,d keys; key bytes %,d + value bytes %,d = **%,d bytes** (%.1f per key).%n%n",
                keys, rawKeys, rawValues, raw, (double) raw / keys));
        out.append("| server | flags | RSS before | RSS after | RSS growth | growth / raw | bytes per key | peak RSS (VmHWM) | INFO used_memory | load time |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : results) {
            if (r.note != null) {
                out.append(String.format("| %s | `%s` | %s |  |  |  |  |  |  |  |%n", r.server, r.flags, r.note));
                continue;
            }
            long growth = (r.rssAfterKb - r.rssBeforeKb) * 1024;
            out.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %s | %s | **%.2fx** | %.0f | %s | %s | %.1f s |%n",
                    r.server, r.flags, mib(r.rssBeforeKb * 1024), mib(r.rssAfterKb * 1024), mib(growth),
                    (double) growth / raw, (double) growth / keys, mib(r.hwmKb * 1024), mib(r.usedMemory), r.loadSeconds));
        }
        if (engineBytes >= 0) {
            out.append(String.format(Locale.ROOT, "| Ferrite engine alone | in-process `FerriteStore`, `budget().used()` after the same load | | | %s | **%.2fx** | %.0f | | | |%n",
                    mib(engineBytes), (double) engineBytes / raw, (double) engineBytes / keys));
        }
        results.stream().filter(r -> r.note == null && r.server.equals("Ferrite"))
                .min(Comparator.comparingLong(r -> r.rssAfterKb - r.rssBeforeKb))
                .ifPresent(best -> out.append(String.format("%nSmallest Ferrite growth with JVM flags `%s`.", best.flags)));
        out.append(String.format("%nTarget (MISSION.md): growth / raw <= 1.20x.%n"));
        System.out.print(out);
    }

    // ---- one server ----

    static Result measure(String name, String flags, List<String> command, int keys, List<String> extra) throws Exception {
        Path dir = Files.createTempDirectory("ferrite-footprint-");
        int port = freePort();
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString()));
        command.addAll(extra);
        System.err.printf("[footprint] %s %s on port %d%n", name, flags, port);
        Path log = dir.resolve("server.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Thread killer = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            if (!waitForPing(process, port, 60_000)) {
                return new Result(name, flags, 0, 0, 0, 0, 0, 0,
                        "did not start: " + lastLine(log).replace('|', '/'));
            }
            try (Socket socket = connect(port)) {
                Resp resp = new Resp(socket);
                long pid = Long.parseLong(infoField(resp.call("INFO", "server"), "process_id"));
                if (pid != process.pid()) {
                    throw new IllegalStateException("port " + port + " is served by pid " + pid + ", not by our child " + process.pid());
                }
                byte[] value = new byte[Keyspace.VALUE_SIZE];
                Arrays.fill(value, (byte) 'v');
                pipelineSets(socket, WARMUP_SETS, i -> "__warmup__", value);
                resp.call("DEL", "__warmup__");
                Thread.sleep(1000);
                long before = rssKb(process.pid(), "VmRSS");
                long start = System.nanoTime();
                pipelineSets(socket, keys, i -> "key:" + i, value);
                double seconds = (System.nanoTime() - start) / 1e9;
                long dbsize = Long.parseLong(resp.call("DBSIZE").trim());
                if (dbsize != keys) {
                    throw new IllegalStateException(name + ": DBSIZE is " + dbsize + " after loading " + keys + " keys");
                }
                Thread.sleep(2000);
                long after = rssKb(process.pid(), "VmRSS");
                long hwm = rssKb(process.pid(), "VmHWM");
                long used = Long.parseLong(infoField(resp.call("INFO", "memory"), "used_memory"));
                System.err.printf(Locale.ROOT, "[footprint]   RSS %d kB -> %d kB (load %.1f s)%n", before, after, seconds);
                try {
                    resp.call("SHUTDOWN", "NOSAVE");
                } catch (IOException expected) {
                    // the server closes the connection as it exits
                }
                return new Result(name, flags, before, after, hwm, used, dbsize, seconds, null);
            }
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Runtime.getRuntime().removeShutdownHook(killer);
            deleteTree(dir);
        }
    }

    /** The engine's own accounting for the same data, in this JVM. */
    static long engineAccounting(int keys) {
        try (Arena arena = Arena.ofConfined(); FerriteStore store = Keyspace.openStore()) {
            long before = store.budget().used();
            Keyspace.load(store, Keyspace.keys(arena, keys), Keyspace.value(arena, Keyspace.VALUE_SIZE, 'v'));
            return store.budget().used() - before;
        }
    }

    interface KeyName {
        String of(int i);
    }

    /**
     * Sends {@code count} SETs pipelined over {@code socket} from a writer thread while this
     * thread reads and checks the {@code +OK} replies, as {@code redis-cli --pipe} does.
     */
    static void pipelineSets(Socket socket, int count, KeyName key, byte[] value) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().name("footprint-writer").start(() -> {
            try {
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                byte[] head = "*3\r\n$3\r\nSET\r\n".getBytes(StandardCharsets.US_ASCII);
                byte[] valueHead = ("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] crlf = {'\r', '\n'};
                for (int i = 0; i < count; i++) {
                    byte[] k = key.of(i).getBytes(StandardCharsets.US_ASCII);
                    out.write(head);
                    out.write(('$' + Integer.toString(k.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(k);
                    out.write(crlf);
                    out.write(valueHead);
                    out.write(value);
                    out.write(crlf);
                }
                out.flush();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        InputStream in = socket.getInputStream();
        byte[] ok = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] reply = new byte[ok.length];
        for (int i = 0; i < count; i++) {
            int read = in.readNBytes(reply, 0, reply.length);
            if (read != reply.length || !Arrays.equals(reply, ok)) {
                throw new IllegalStateException("reply " + i + " to SET was not +OK: "
                        + new String(reply, 0, read, StandardCharsets.US_ASCII));
            }
        }
        writer.join();
        if (failure.get() != null) {
            throw new IllegalStateException("writer failed", failure.get());
        }
    }

    /** A minimal blocking RESP client for the few control commands. */
    static final class Resp {
        private final OutputStream out;
        private final InputStream in;

        Resp(Socket socket) throws IOException {
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        /** Sends a command; returns a simple/bulk string or integer reply as text. */
        String call(String... args) throws IOException {
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = readLine();
            return switch (line.charAt(0)) {
                case '+', ':' -> line.substring(1);
                case '$' -> {
                    int length = Integer.parseInt(line.substring(1));
                    byte[] body = in.readNBytes(length + 2);
                    yield new String(body, 0, length, StandardCharsets.UTF_8);
                }
                case '-' -> throw new IOException("server error: " + line);
                default -> throw new IOException("unexpected reply: " + line);
            };
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                line.append((char) c);
            }
            in.read(); // '\n'
            return line.toString();
        }
    }

    // ---- helpers ----

    static long rssKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        throw new IOException(field + " not found for pid " + pid);
    }

    static String infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new IllegalStateException("INFO has no " + field);
    }

    static boolean waitForPing(Process process, int port, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            try (Socket socket = connect(port)) {
                if ("PONG".equals(new Resp(socket).call("PING"))) {
                    return true;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        return socket;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    static List<String> splitFlags(String flags) {
        return flags.isBlank() ? List.of() : List.of(flags.trim().split("\\s+"));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "(no output)" : lines.getLast();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; best effort
        }
    }
}
