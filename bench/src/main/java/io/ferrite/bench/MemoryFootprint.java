package io.ferrite.bench;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.Status;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Measures how much a server's resident memory grows with its data, relative to the raw bytes
 * of that data, for Ferrite (the real server jar, as a child process) and redis-server side by
 * side; see {@link FootprintRun} for the procedure of one server.
 *
 * <ul>
 *   <li>Strings: 1M keys {@code key:0} .. {@code key:999999} with 100-byte values, under three
 *       JVM flag sets; the launcher's flags and redis-server then go on loading, a million keys
 *       a step, up to {@code --series} million keys, sampled after every step.</li>
 *   <li>Collections: 1M small hashes of 4 short fields, one hash of 1M fields and one set of 1M
 *       members (the datasets of {@code ../shared/notes/collections.md}), each in a fresh
 *       server.</li>
 *   <li>The engine's own accounting of the strings series (in-process, no JVM or network
 *       around it).</li>
 * </ul>
 *
 * <p>Usage: {@code MemoryFootprint --server-jar PATH [--java PATH] [--jvm "FLAGS"]...
 * [--redis-server PATH|none] [--keys N] [--series MILLIONS] [--no-collections] [--no-engine]}.
 * The markdown tables go to stdout, progress to stderr.
 */
public final class MemoryFootprint {
    /** Default Ferrite JVM flag sets: the launcher's first, then a tighter heap, then JVM defaults. */
    static final List<String> DEFAULT_JVM_FLAGS = List.of(
            ChildServer.LAUNCHER_JVM_FLAGS,
            "-XX:+UseSerialGC -Xmx64m",
            "");
    private static final int MILLION = 1_000_000;

    private MemoryFootprint() {}

    public static void main(String[] args) throws Exception {
        Path serverJar = null;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvmFlags = new ArrayList<>();
        String redis = "auto";
        int keys = Keyspace.KEYS;
        int series = 10;
        boolean collections = true;
        boolean engine = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server-jar" -> serverJar = Path.of(args[++i]);
                case "--java" -> java = args[++i];
                case "--jvm" -> jvmFlags.add(args[++i]);
                case "--redis-server" -> redis = args[++i];
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--series" -> series = Integer.parseInt(args[++i]);
                case "--no-collections" -> collections = false;
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
        // The series continues the first table's load, so it starts at that table's size.
        int first = keys;
        int[] steps = IntStream.rangeClosed(1, Math.max(1, series)).map(m -> m * MILLION).filter(n -> n > first).toArray();
        int[] seriesCheckpoints = IntStream.concat(IntStream.of(keys), IntStream.of(steps)).toArray();

        FootprintLoad strings = FootprintLoad.strings(seriesCheckpoints[seriesCheckpoints.length - 1]);
        List<FootprintRun.Result> results = new ArrayList<>();
        for (String flags : jvmFlags) {
            boolean launcher = flags.equals(jvmFlags.getFirst());
            results.add(FootprintRun.measure("Ferrite", flags.isBlank() ? "(JVM defaults: G1, heap 1/4 of RAM)" : flags,
                    ferrite(java, flags, serverJar), strings, launcher ? seriesCheckpoints : new int[] {keys}));
        }
        if (redisPath != null) {
            results.add(FootprintRun.measure("redis-server", "--save '' --appendonly no", List.of(redisPath),
                    strings, seriesCheckpoints));
        }
        long[] engineBytes = engine ? engineAccounting(seriesCheckpoints) : null;

        StringBuilder out = new StringBuilder();
        stringsTable(out, results, keys, engineBytes);
        if (seriesCheckpoints.length > 1) {
            seriesTable(out, results.getFirst(), redisPath == null ? null : results.getLast(), seriesCheckpoints, engineBytes);
        }
        if (collections) {
            List<FootprintLoad> loads = List.of(FootprintLoad.smallHashes(MILLION), FootprintLoad.bigHash(MILLION),
                    FootprintLoad.bigSet(MILLION));
            List<FootprintRun.Result[]> pairs = new ArrayList<>();
            for (FootprintLoad load : loads) {
                FootprintRun.Result f = FootprintRun.measure("Ferrite", jvmFlags.getFirst(),
                        ferrite(java, jvmFlags.getFirst(), serverJar), load, new int[] {load.count});
                FootprintRun.Result r = redisPath == null ? null : FootprintRun.measure("redis-server",
                        "--save '' --appendonly no", List.of(redisPath), load, new int[] {load.count});
                pairs.add(new FootprintRun.Result[] {f, r});
            }
            collectionsTable(out, loads, pairs);
        }
        System.out.print(out);
    }

    private static List<String> ferrite(String java, String flags, Path serverJar) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(ChildServer.splitFlags(flags));
        command.addAll(List.of("-jar", serverJar.toAbsolutePath().toString()));
        return command;
    }

    // ---- tables ----

    private static void stringsTable(StringBuilder out, List<FootprintRun.Result> results, int keys, long[] engineBytes) {
        long rawKeys = Keyspace.rawKeyBytes(keys);
        long rawValues = (long) keys * Keyspace.VALUE_SIZE;
        long raw = rawKeys + rawValues;
        out.append(String.format(Locale.ROOT, "### Strings, %,d keys%n%nRaw data: key bytes %,d + value bytes %,d = **%,d bytes** (%.1f per key).%n%n",
                keys, rawKeys, rawValues, raw, (double) raw / keys));
        out.append("| server | flags | RSS before | RSS after | RSS growth | growth / raw | bytes per key | INFO used_memory | load time |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (FootprintRun.Result r : results) {
            if (r.note() != null) {
                out.append(String.format("| %s | `%s` | %s |  |  |  |  |  |  |%n", r.server(), r.flags(), r.note()));
                continue;
            }
            FootprintRun.Sample s = r.at(keys);
            long growth = r.growth(s);
            out.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %s | %s | **%.2fx** | %.0f | %s | %.1f s |%n",
                    r.server(), r.flags(), mib(r.rssBeforeKb() * 1024), mib(s.rssKb() * 1024), mib(growth),
                    (double) growth / raw, (double) growth / keys, mib(s.usedMemory()), s.loadSeconds()));
        }
        if (engineBytes != null) {
            out.append(String.format(Locale.ROOT, "| Ferrite engine alone | in-process `FerriteStore`, `usedMemory()` after the same load | | | %s | **%.2fx** | %.0f | | |%n",
                    mib(engineBytes[0]), (double) engineBytes[0] / raw, (double) engineBytes[0] / keys));
        }
        results.stream().filter(r -> r.note() == null && r.server().equals("Ferrite"))
                .min(Comparator.comparingLong(r -> r.growth(r.at(keys))))
                .ifPresent(best -> out.append(String.format("%nSmallest Ferrite growth with JVM flags `%s`.", best.flags())));
        out.append(String.format("%nTarget (MISSION.md): growth / raw <= 1.20x.%n"));
    }

    private static void seriesTable(StringBuilder out, FootprintRun.Result ferrite, FootprintRun.Result redis,
                                    int[] checkpoints, long[] engineBytes) {
        out.append(String.format(Locale.ROOT, "%n### Strings, growing to %,d keys%n%n", checkpoints[checkpoints.length - 1]));
        out.append("The same load going on, sampled after every million keys: RSS growth since the start against the raw bytes so far, "
                + "and the growth of the last step against that step's raw bytes (Ferrite with the launcher's JVM flags).\n\n");
        out.append("| keys | raw | Ferrite growth / raw | Ferrite step / raw | Ferrite used_memory per key | engine alone / raw |"
                + " redis-server growth / raw | redis-server step / raw |\n");
        out.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int i = 0; i < checkpoints.length; i++) {
            FootprintRun.Sample f = ferrite.note() == null ? ferrite.samples().get(i) : null;
            FootprintRun.Sample r = redis != null && redis.note() == null ? redis.samples().get(i) : null;
            FootprintRun.Sample raw = f != null ? f : r;
            if (raw == null) {
                break;
            }
            out.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s | %s | %s |%n", checkpoints[i], mib(raw.raw()),
                    f == null ? "" : ratio(ferrite.growth(f), f.raw()),
                    f == null ? "" : step(ferrite, i),
                    f == null ? "" : String.format(Locale.ROOT, "%.1f B", (double) f.usedMemory() / f.elements()),
                    engineBytes == null ? "" : ratio(engineBytes[i], raw.raw()),
                    r == null ? "" : ratio(redis.growth(r), r.raw()),
                    r == null ? "" : step(redis, i)));
        }
        out.append(String.format("%nTarget (issue 10): Ferrite growth / raw <= 1.20x at every size from 1M to 10M keys.%n"));
    }

    private static String step(FootprintRun.Result r, int i) {
        FootprintRun.Sample s = r.samples().get(i);
        long prevRss = i == 0 ? r.rssBeforeKb() : r.samples().get(i - 1).rssKb();
        long prevRaw = i == 0 ? 0 : r.samples().get(i - 1).raw();
        return ratio((s.rssKb() - prevRss) * 1024, s.raw() - prevRaw);
    }

    private static void collectionsTable(StringBuilder out, List<FootprintLoad> loads, List<FootprintRun.Result[]> pairs) {
        out.append("\n### Hashes and sets\n\nEach dataset loaded into a fresh server (Ferrite with the launcher's JVM flags), one command per element, pipelined.\n\n");
        out.append("| dataset | commands | raw | Ferrite RSS growth | Ferrite growth / raw | Ferrite per element | Ferrite used_memory"
                + " | redis-server RSS growth | redis-server growth / raw | redis-server per element | Ferrite / redis-server |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int i = 0; i < loads.size(); i++) {
            FootprintLoad load = loads.get(i);
            FootprintRun.Result f = pairs.get(i)[0];
            FootprintRun.Result r = pairs.get(i)[1];
            FootprintRun.Sample fs = f.note() == null ? f.samples().getFirst() : null;
            FootprintRun.Sample rs = r != null && r.note() == null ? r.samples().getFirst() : null;
            long raw = load.rawBytes(0, load.count);
            out.append(String.format(Locale.ROOT, "| %,d %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    load.count, load.name.replace("one ", ""), load.description, mib(raw),
                    fs == null ? f.note() : mib(f.growth(fs)),
                    fs == null ? "" : ratio(f.growth(fs), raw),
                    fs == null ? "" : perElement(f.growth(fs), load),
                    fs == null ? "" : mib(fs.usedMemory()),
                    rs == null ? "" : mib(r.growth(rs)),
                    rs == null ? "" : ratio(r.growth(rs), raw),
                    rs == null ? "" : perElement(r.growth(rs), load),
                    fs == null || rs == null ? "" : String.format(Locale.ROOT, "%.2f", (double) f.growth(fs) / r.growth(rs))));
        }
        out.append(String.format("%nTargets (issue 10): 1M small hashes <= 1.5x raw; the large hash and the large set at <= half of"
                + " redis-server's bytes (Ferrite / redis-server <= 0.50).%n"));
    }

    private static String ratio(long bytes, long raw) {
        return String.format(Locale.ROOT, "**%.2fx**", (double) bytes / raw);
    }

    private static String perElement(long bytes, FootprintLoad load) {
        return String.format(Locale.ROOT, "%.1f B/%s", (double) bytes / load.count, load.unit);
    }

    /** The engine's own accounting for the strings series, in this JVM: bytes after each checkpoint. */
    static long[] engineAccounting(int[] checkpoints) {
        long[] used = new long[checkpoints.length];
        try (Arena arena = Arena.ofConfined(); FerriteStore store = Keyspace.openStore()) {
            MemorySegment value = Keyspace.value(arena, Keyspace.VALUE_SIZE, 'v');
            byte[] key = new byte[16];
            MemorySegment keyBuffer = arena.allocate(16, 8);
            long before = store.usedMemory();
            int loaded = 0;
            for (int c = 0; c < checkpoints.length; c++) {
                for (; loaded < checkpoints[c]; loaded++) {
                    int length = TextValues.writeKey(key, 0, loaded);
                    MemorySegment.copy(MemorySegment.ofArray(key), 0, keyBuffer, 0, length);
                    Status status = store.strings().set(0, keyBuffer.asSlice(0, length), value);
                    if (status != Status.OK) {
                        throw new IllegalStateException("loading key " + loaded + ": " + status);
                    }
                }
                used[c] = store.usedMemory() - before;
            }
        }
        return used;
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
