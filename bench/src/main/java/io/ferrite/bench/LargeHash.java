package io.ferrite.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A hash far larger than the memory budget: loads {@code --fields} fields into one hash of a
 * Ferrite server started with a small {@code maxmemory}, so that most of its chunks end up in
 * the disk tier, then runs redis-benchmark's HGET and HSET on random fields of it and on a small
 * in-memory hash (its fields drawn the same way), alternating, and times DEL of the large hash.
 *
 * <p>redis-benchmark replaces {@code __rand_int__} with a 12-digit, zero-padded number below
 * {@code -r}, so the fields are loaded as {@code f%012d}. Usage: {@code LargeHash --server-jar
 * PATH [--jvm "FLAGS"] [--fields N] [--value BYTES] [--maxmemory SIZE] [--requests N] [--rounds N]}.
 * The markdown goes to stdout, progress to stderr.
 */
public final class LargeHash {
    private static final int FIELDS_PER_COMMAND = 100;
    private static final int SMALL_FIELDS = 100;

    private LargeHash() {}

    record Run(String name, double rps, double p50, double p99) {}

    public static void main(String[] args) throws Exception {
        Path serverJar = null;
        String jvm = ChildServer.LAUNCHER_JVM_FLAGS;
        int fields = 10_000_000;
        int valueSize = 32;
        String maxmemory = "256mb";
        int requests = 200_000;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server-jar" -> serverJar = Path.of(args[++i]);
                case "--jvm" -> jvm = args[++i];
                case "--fields" -> fields = Integer.parseInt(args[++i]);
                case "--value" -> valueSize = Integer.parseInt(args[++i]);
                case "--maxmemory" -> maxmemory = args[++i];
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (serverJar == null || !Files.isRegularFile(serverJar)) {
            System.err.println("--server-jar PATH is required");
            System.exit(2);
        }
        List<String> program = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        program.addAll(ChildServer.splitFlags(jvm));
        program.addAll(List.of("-jar", serverJar.toAbsolutePath().toString()));
        List<String> serverArgs = List.of("--save", "", "--appendonly", "no", "--maxmemory", maxmemory, "--segment-size", "64mb");
        byte[] value = new byte[valueSize];
        Arrays.fill(value, (byte) 'v');
        String valueText = new String(value, StandardCharsets.US_ASCII);

        try (ChildServer server = ChildServer.start(program, serverArgs, 60_000);
             Socket socket = RespClient.connect(server.port())) {
            RespClient resp = new RespClient(socket);
            System.err.printf("[largehash] loading %,d fields of %d bytes into 'big' (maxmemory %s)%n", fields, valueSize, maxmemory);
            long start = System.nanoTime();
            int total = fields;
            byte[][] command = new byte[2 + 2 * FIELDS_PER_COMMAND][];
            command[0] = FootprintLoad.ascii("HSET");
            command[1] = FootprintLoad.ascii("big");
            int commands = (total + FIELDS_PER_COMMAND - 1) / FIELDS_PER_COMMAND;
            Map<String, Long> errors = PipelinedCommands.load(socket, 0, commands, c -> {
                int first = c * FIELDS_PER_COMMAND;
                int n = Math.min(FIELDS_PER_COMMAND, total - first);
                byte[][] args1 = n == FIELDS_PER_COMMAND ? command : new byte[2 + 2 * n][];
                args1[0] = command[0];
                args1[1] = command[1];
                for (int j = 0; j < n; j++) {
                    args1[2 + 2 * j] = field(first + j);
                    args1[3 + 2 * j] = value;
                }
                return args1;
            });
            if (!errors.isEmpty()) {
                throw new IllegalStateException("loading failed: " + errors);
            }
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            long hlen = Long.parseLong(resp.call("HLEN", "big"));
            if (hlen != fields) {
                throw new IllegalStateException("HLEN big is " + hlen + ", expected " + fields);
            }
            for (int i = 0; i < SMALL_FIELDS; i++) {
                resp.call("HSET", "small", new String(field(i), StandardCharsets.US_ASCII), valueText);
            }
            Map<String, String> tiers = tierInfo(resp);
            System.err.printf("[largehash] loaded in %.1f s: %s%n", loadSeconds, tiers);

            List<Run> runs = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (String key : List.of("small", "big")) {
                    String range = Integer.toString(key.equals("big") ? fields : SMALL_FIELDS);
                    runs.add(benchmark(server.port(), "HGET " + key, requests, range, "HGET", key, "f__rand_int__"));
                    runs.add(benchmark(server.port(), "HSET " + key, requests, range, "HSET", key, "f__rand_int__", valueText));
                }
            }
            Map<String, String> after = tierInfo(resp);

            // DEL of a table-encoded hash runs here for the first time: warm its code up on small
            // tables first (as the other benchmarks warm up theirs), so the timing is the operation's.
            String[] warm = new String[2 + 2 * 600];
            warm[0] = "HSET";
            warm[1] = "warm";
            for (int j = 0; j < 600; j++) {
                warm[2 + 2 * j] = "f" + j;
                warm[3 + 2 * j] = "v";
            }
            for (int i = 0; i < 300; i++) {
                resp.call(warm);
                resp.call("DEL", "warm");
            }
            resp.call("CONFIG", "RESETSTAT");
            long delStart = System.nanoTime();
            String deleted = resp.call("DEL", "big");
            double delMillis = (System.nanoTime() - delStart) / 1e6;
            // The server's own time for the command (INFO commandstats), beside the round trip.
            String delStats = resp.info("commandstats").getOrDefault("cmdstat_del", "");
            double delServerMillis = Double.parseDouble(delStats.replaceAll(".*usec=(\\d+).*", "$1")) / 1e3;
            if (!"1".equals(deleted) || !"0".equals(resp.call("EXISTS", "big"))) {
                throw new IllegalStateException("DEL big answered " + deleted);
            }
            resp.call("HSET", "big", "f000000000001", "new");
            String sees = resp.call("HLEN", "big");

            System.out.print(report(fields, valueSize, maxmemory, loadSeconds, tiers, after, runs, rounds, delMillis,
                    delServerMillis, sees, requests));
            try {
                resp.call("SHUTDOWN", "NOSAVE");
            } catch (IOException expected) {
                // the server closes the connection as it exits
            }
        }
    }

    static byte[] field(int i) {
        return FootprintLoad.ascii(String.format(Locale.ROOT, "f%012d", i));
    }

    private static Map<String, String> tierInfo(RespClient resp) throws IOException {
        Map<String, String> info = resp.info("all");
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : List.of("used_memory", "ferrite_hlog_mutable_bytes", "ferrite_hlog_warm_bytes", "ferrite_hlog_disk_bytes",
                "ferrite_hlog_disk_raw_bytes", "ferrite_hlog_cold_reads", "ferrite_hlog_cold_reads_pagecache")) {
            out.put(f, info.getOrDefault(f, "?"));
        }
        return out;
    }

    /** One redis-benchmark run of a custom command: 50 clients, no pipelining, CSV parsed. */
    private static Run benchmark(int port, String name, int requests, String range, String... command)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-n", Integer.toString(requests), "-c", "50", "-r", range, "--csv"));
        argv.addAll(List.of(command));
        System.err.printf("[largehash] redis-benchmark %s%n", name);
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String csv = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (p.waitFor() != 0) {
            throw new IOException("redis-benchmark failed: " + csv);
        }
        // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        String[] lines = csv.strip().split("\n");
        String[] f = lines[lines.length - 1].replace("\"", "").split(",");
        return new Run(name, Double.parseDouble(f[1]), Double.parseDouble(f[4]), Double.parseDouble(f[6]));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static String report(int fields, int valueSize, String maxmemory, double loadSeconds, Map<String, String> tiers,
                                 Map<String, String> after, List<Run> runs, int rounds, double delMillis,
                                 double delServerMillis, String sees, int requests) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "One hash of %,d fields (`f%%012d` -> %d bytes), loaded with pipelined HSETs of %d fields"
                + " in %.1f s into a server with `--maxmemory %s --segment-size 64mb`; a small hash of %d fields beside it. After the"
                + " load: %s. After the runs: %s.%n%n", fields, valueSize, FIELDS_PER_COMMAND, loadSeconds, maxmemory, SMALL_FIELDS,
                describe(tiers), describe(after)));
        out.append(String.format(Locale.ROOT, "redis-benchmark `-n %d -c 50 -r <fields> --csv` per case, random fields, no pipelining,"
                + " %d rounds alternating small and large; medians.%n%n", requests, rounds));
        out.append("| command | small hash ops/s | large hash ops/s | large / small | small p50 / p99 ms | large p50 / p99 ms | p99 large / small | target |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (String cmd : List.of("HGET", "HSET")) {
            double sr = median(pick(runs, cmd + " small", Run::rps));
            double br = median(pick(runs, cmd + " big", Run::rps));
            double s50 = median(pick(runs, cmd + " small", Run::p50));
            double s99 = median(pick(runs, cmd + " small", Run::p99));
            double b50 = median(pick(runs, cmd + " big", Run::p50));
            double b99 = median(pick(runs, cmd + " big", Run::p99));
            boolean ok = br * 2 >= sr && b99 <= 2 * s99;
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | **%.2f** | %.3f / %.3f | %.3f / %.3f | **%.2fx** | within 2x: %s |%n",
                    cmd, sr, br, br / sr, s50, s99, b50, b99, b99 / s99, ok ? "yes" : "**no**"));
        }
        out.append(String.format(Locale.ROOT, "%nDEL of the large hash: **%.3f ms** in the server (INFO commandstats), %.3f ms"
                + " round trip from this client (target: under 1 ms);"
                + " HLEN after a new HSET under the same key: %s (nothing old is seen).%n", delServerMillis, delMillis, sees));
        out.append("\nRaw runs (name, ops/s, p50, p99):\n\n```\n");
        for (Run r : runs) {
            out.append(String.format(Locale.ROOT, "%s,%.0f,%.3f,%.3f%n", r.name, r.rps, r.p50, r.p99));
        }
        out.append("```\n");
        return out.toString();
    }

    private static List<Double> pick(List<Run> runs, String name, java.util.function.ToDoubleFunction<Run> f) {
        return runs.stream().filter(r -> r.name.equals(name)).map(r -> f.applyAsDouble(r)).toList();
    }

    private static String describe(Map<String, String> info) {
        StringBuilder out = new StringBuilder();
        info.forEach((k, v) -> {
            String shown = k.endsWith("bytes") || k.equals("used_memory") ? MemoryFootprint.mib(Long.parseLong(v)) : v;
            out.append(out.isEmpty() ? "" : ", ").append('`').append(k).append("` ").append(shown);
        });
        return out.toString();
    }
}
