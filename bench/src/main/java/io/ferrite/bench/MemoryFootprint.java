package io.ferrite.bench;

import io.ferrite.core.FerriteStore;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures how much a server's resident memory grows when 1M string keys {@code key:0} ..
 * {@code key:999999} with 100-byte values are loaded through RESP, relative to the raw
 * key+value bytes. It starts each server itself as a child process on a free port (the real
 * Ferrite server jar, once per JVM flag set, and redis-server when available), reads VmRSS
 * from {@code /proc/PID/status} before and after the load, and stops the server again.
 *
 * <p>Procedure per server: start, wait for PING, warm the SET path up with 100k pipelined SETs
 * of distinct scratch keys in database 1 (kept: freeing them could hand their memory back to
 * the load and hide its cost), so that the code of the whole path a new key takes (index
 * growth, page allocation) is compiled and the network buffers exist before the "before"
 * sample; sample VmRSS, load all keys into database 0 with pipelined SETs over one connection
 * (like {@code redis-cli --pipe}), check DBSIZE, wait two seconds, sample VmRSS again.
 *
 * <p>Usage: {@code MemoryFootprint --server-jar PATH [--java PATH] [--jvm "FLAGS"]...
 * [--redis-server PATH|none] [--keys N] [--no-engine]}. The markdown table goes to stdout,
 * progress to stderr.
 */
public final class MemoryFootprint {
    /** Default Ferrite JVM flag sets: the launcher's first, then a tighter heap, then JVM defaults. */
    static final List<String> DEFAULT_JVM_FLAGS = List.of(
            ChildServer.LAUNCHER_JVM_FLAGS,
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
            command.addAll(ChildServer.splitFlags(flags));
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

    static Result measure(String name, String flags, List<String> program, int keys, List<String> extra) throws Exception {
        System.err.printf("[footprint] %s %s%n", name, flags);
        ChildServer server;
        try {
            server = ChildServer.start(program, extra, 60_000);
        } catch (ChildServer.StartException e) {
            return new Result(name, flags, 0, 0, 0, 0, 0, 0, "did not start: " + e.getMessage().replace('|', '/'));
        }
        try (server; Socket socket = RespClient.connect(server.port())) {
            System.err.printf("[footprint]   pid %d on port %d%n", server.pid(), server.port());
            RespClient resp = new RespClient(socket);
            byte[] value = new byte[Keyspace.VALUE_SIZE];
            Arrays.fill(value, (byte) 'v');
            resp.call("SELECT", "1");
            checkLoaded(name, PipelinedSets.load(socket, 0, WARMUP_SETS,
                    i -> ("warmup:" + i).getBytes(StandardCharsets.US_ASCII), i -> value));
            resp.call("SELECT", "0");
            Thread.sleep(1000);
            long before = server.statusKb("VmRSS");
            long start = System.nanoTime();
            checkLoaded(name, PipelinedSets.load(socket, 0, keys, TextValues::key, i -> value));
            double seconds = (System.nanoTime() - start) / 1e9;
            long dbsize = Long.parseLong(resp.call("DBSIZE").trim()); // database 0 only
            if (dbsize != keys) {
                throw new IllegalStateException(name + ": DBSIZE is " + dbsize + " after loading " + keys + " keys");
            }
            Thread.sleep(2000);
            long after = server.statusKb("VmRSS");
            long hwm = server.statusKb("VmHWM");
            long used = Long.parseLong(RespClient.infoField(resp.call("INFO", "memory"), "used_memory"));
            System.err.printf(Locale.ROOT, "[footprint]   RSS %d kB -> %d kB (load %.1f s)%n", before, after, seconds);
            try {
                resp.call("SHUTDOWN", "NOSAVE");
            } catch (IOException expected) {
                // the server closes the connection as it exits
            }
            return new Result(name, flags, before, after, hwm, used, dbsize, seconds, null);
        }
    }

    private static void checkLoaded(String name, Map<String, Long> errors) {
        if (!errors.isEmpty()) {
            throw new IllegalStateException(name + ": SETs failed: " + errors);
        }
    }

    /** The engine's own accounting for the same data, in this JVM. */
    static long engineAccounting(int keys) {
        try (Arena arena = Arena.ofConfined(); FerriteStore store = Keyspace.openStore()) {
            long before = store.usedMemory();
            Keyspace.load(store, Keyspace.keys(arena, keys), Keyspace.value(arena, Keyspace.VALUE_SIZE, 'v'));
            return store.usedMemory() - before;
        }
    }

    // ---- helpers ----

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

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
