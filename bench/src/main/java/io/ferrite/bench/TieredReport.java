package io.ferrite.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders {@link TieredLoad}'s results as markdown: the results table (one row per case, also
 * printed as each case ends), the kept INFO fields (one column per case, since which fields
 * exist depends on the server build), the failures, and the exact command lines.
 */
final class TieredReport {
    static final String TABLE_HEADER = """
            | case | keys | value bytes | raw bytes | server args | dist | GET share | ops/s | server CPU µs/op | p50 / p99 / p99.9 ms | ops/s vs in-memory | RSS end (peak) | disk bytes | disk / raw | after FERRITE.COMPACT: disk / raw (time) | load |
            | --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |""";

    private TieredReport() {}

    /** The in-memory case {@code result} is compared with, among {@code results}; null if none. */
    static CaseResult baselineFor(CaseResult result, List<CaseResult> results) {
        LoadCase spec = result.spec();
        for (CaseResult other : results) {
            if (spec.vs() != null ? other.spec().name().equals(spec.vs()) && other != result
                    : other.spec().isBaselineFor(spec)) {
                return other;
            }
        }
        return null;
    }

    static String row(CaseResult r, CaseResult baseline) {
        LoadCase c = r.spec();
        String throughput;
        String latency;
        String cpu = "";
        if (r.failed()) {
            throughput = "**FAILED**";
            latency = "";
        } else {
            throughput = String.format(Locale.ROOT, "%,.0f", r.opsPerSecond());
            cpu = r.serverCpuMicrosPerOp() > 0 ? String.format(Locale.ROOT, "%.2f", r.serverCpuMicrosPerOp()) : "";
            latency = String.format(Locale.ROOT, "%s / %s / %s", ms(r.latency().valueAt(0.5)),
                    ms(r.latency().valueAt(0.99)), ms(r.latency().valueAt(0.999)));
        }
        String relative;
        if (r.failed()) {
            relative = "";
        } else if (c.inMemory() && c.vs() == null) {
            relative = "(in-memory)";
        } else if (baseline == null || baseline.failed()) {
            relative = "n/a";
        } else {
            relative = String.format(Locale.ROOT, "**%.0f%%** of %s", 100 * r.opsPerSecond() / baseline.opsPerSecond(),
                    baseline.spec().name());
        }
        boolean measuredServer = r.rssKb() > 0;
        return String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | `%s` | %s | %.0f%% | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
                c.name(), c.keys(), c.valueSize(), c.rawBytes(), c.argsText().replace("|", "\\|"), c.dist().label(),
                c.getRatio() * 100, throughput, cpu, latency, relative,
                measuredServer ? MemoryFootprint.mib(r.rssKb() * 1024) + " (" + MemoryFootprint.mib(r.hwmKb() * 1024) + ")" : "",
                measuredServer ? String.format(Locale.ROOT, "%,d", r.diskBytes()) : "",
                measuredServer ? String.format(Locale.ROOT, "%.2f", (double) r.diskBytes() / c.rawBytes()) : "",
                r.compactSeconds() > 0 ? String.format(Locale.ROOT, "%,d = %.2f (%.0f s)", r.compactedDiskBytes(),
                        (double) r.compactedDiskBytes() / c.rawBytes(), r.compactSeconds()) : "",
                r.loadSeconds() > 0 ? String.format(Locale.ROOT, "%.1f s", r.loadSeconds()) : "");
    }

    /** The whole fragment: method, results, INFO fields, failures, command lines. */
    static String fragment(List<CaseResult> results, CaseRunner.Settings settings, String ownCommand) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, """
                Each case starts a fresh server, loads every key `key:0`..`key:<keys-1>` once with pipelined \
                SETs over %d connections, then runs %d connections with %d commands in flight each (GET or SET \
                by the GET share, SETs writing a fresh value; keys `uniform`, `zipfian`: YCSB's scrambled \
                Zipfian, theta %.2f, or `zipfian-ranked`: unscrambled, `key:0` hottest): %d s warm-up, then %d s measured. Server CPU µs/op: the server process's user + system CPU time \
                over the measured window (/proc/PID/stat) per operation, steadier than ops/s on a shared \
                machine. Latency is per command, from its \
                batch's send to its reply. Values are text-like (a key/generation prefix, then words drawn at \
                random from a 64-word vocabulary), so they compress about as text does; every GET reply is \
                checked to be the key's value, every %d-th byte for byte. Raw bytes: keys plus values; RSS \
                and disk bytes (files in the data directory) are read after the run; the disk bytes hold \
                dead versions too (overwritten values, and the cold copies of records promoted to memory) \
                until compaction reclaims them, so for tiered cases they are read again after a \
                FERRITE.COMPACT.%n%n""",
                settings.loadConnections(), settings.connections(), settings.depth(), ZipfianGenerator.YCSB_THETA,
                settings.warmupSeconds(), settings.seconds(), settings.verifyEvery()));
        out.append(TABLE_HEADER).append('\n');
        for (CaseResult r : results) {
            out.append(row(r, baselineFor(r, results))).append('\n');
        }
        appendInfo(out, results, settings.infoPatterns());
        appendFailures(out, results);
        out.append("\nCommand lines:\n\n```\n").append(ownCommand).append('\n');
        for (CaseResult r : results) {
            out.append("# ").append(r.spec().name()).append(": ")
                    .append(r.serverCommand().isEmpty() ? "(server not started)" : Shell.join(r.serverCommand())).append('\n');
        }
        out.append("```\n");
        return out.toString();
    }

    private static void appendInfo(StringBuilder out, List<CaseResult> results, List<String> patterns) {
        Set<String> fields = new LinkedHashSet<>();
        results.forEach(r -> fields.addAll(r.info().keySet()));
        out.append(String.format("%nServer INFO after each run (memory, stats and persistence fields whose name contains %s):%n%n",
                String.join(", ", patterns.stream().map(p -> "`" + p + "`").toList())));
        if (fields.isEmpty()) {
            out.append("(none)\n");
            return;
        }
        List<String> header = new ArrayList<>(List.of("field"));
        results.forEach(r -> header.add(r.spec().name()));
        out.append("| ").append(String.join(" | ", header)).append(" |\n");
        out.append("| --- |").append(" ---: |".repeat(results.size())).append('\n');
        for (String field : fields) {
            out.append("| ").append(field);
            for (CaseResult r : results) {
                out.append(" | ").append(r.info().getOrDefault(field, ""));
            }
            out.append(" |\n");
        }
    }

    private static void appendFailures(StringBuilder out, List<CaseResult> results) {
        if (results.stream().noneMatch(CaseResult::failed)) {
            return;
        }
        out.append("\nFailures:\n\n");
        for (CaseResult r : results) {
            for (String problem : r.problems()) {
                out.append("- ").append(r.spec().name()).append(": ").append(problem.replace("\n", " ")).append('\n');
            }
        }
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
