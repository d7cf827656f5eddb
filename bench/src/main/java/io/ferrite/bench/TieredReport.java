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

    /** The case's name, with its round when there are several. */
    static String label(CaseResult r, int round, int rounds) {
        return rounds > 1 ? r.spec().name() + " #" + round : r.spec().name();
    }

    static String row(CaseResult r, String label, CaseResult baseline) {
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
                label, c.keys(), c.valueSize(), c.rawBytes(), c.argsText().replace("|", "\\|"), c.dist().label(),
                c.getRatio() * 100, throughput, cpu, latency, relative,
                measuredServer ? MemoryFootprint.mib(r.rssKb() * 1024) + " (" + MemoryFootprint.mib(r.hwmKb() * 1024) + ")" : "",
                measuredServer ? String.format(Locale.ROOT, "%,d", r.diskBytes()) : "",
                measuredServer ? String.format(Locale.ROOT, "%.2f", (double) r.diskBytes() / c.rawBytes()) : "",
                r.compactSeconds() > 0 ? String.format(Locale.ROOT, "%,d = %.2f (%.0f s)", r.compactedDiskBytes(),
                        (double) r.compactedDiskBytes() / c.rawBytes(), r.compactSeconds()) : "",
                r.loadSeconds() > 0 ? String.format(Locale.ROOT, "%.1f s", r.loadSeconds()) : "");
    }

    /** The whole fragment: method, results (and the rounds' ratios), INFO fields, failures, command lines. */
    static String fragment(List<List<CaseResult>> rounds, CaseRunner.Settings settings, String ownCommand) {
        List<CaseResult> results = rounds.stream().flatMap(List::stream).toList();
        List<String> labels = new ArrayList<>();
        for (int round = 0; round < rounds.size(); round++) {
            for (CaseResult r : rounds.get(round)) {
                labels.add(label(r, round + 1, rounds.size()));
            }
        }
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
        int at = 0;
        for (List<CaseResult> round : rounds) {
            for (CaseResult r : round) {
                out.append(row(r, labels.get(at++), baselineFor(r, round))).append('\n');
            }
        }
        if (rounds.size() > 1) {
            appendRounds(out, rounds);
        }
        appendInfo(out, results, labels, settings.infoPatterns());
        appendFailures(out, results);
        out.append("\nCommand lines:\n\n```\n").append(ownCommand).append('\n');
        at = 0;
        for (CaseResult r : results) {
            out.append("# ").append(labels.get(at++)).append(": ")
                    .append(r.serverCommand().isEmpty() ? "(server not started)" : Shell.join(r.serverCommand())).append('\n');
        }
        out.append("```\n");
        return out.toString();
    }

    /**
     * Per compared case: its throughput and server CPU per operation relative to its in-memory
     * case of the same round (in-memory CPU / tiered CPU, so that both read as "share of the
     * in-memory speed"), each round and the median.
     */
    private static void appendRounds(StringBuilder out, List<List<CaseResult>> rounds) {
        out.append(String.format(Locale.ROOT, "%nEach compared case against its in-memory case of the same round (%d rounds):%n%n",
                rounds.size()));
        out.append("| case | ops/s vs in-memory, by round | median | in-memory CPU µs/op / this case's, by round | median |\n");
        out.append("| --- | --- | ---: | --- | ---: |\n");
        for (int i = 0; i < rounds.getFirst().size(); i++) {
            List<Double> throughput = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            CaseResult first = rounds.getFirst().get(i);
            for (List<CaseResult> round : rounds) {
                CaseResult r = round.get(i);
                CaseResult baseline = baselineFor(r, round);
                if (r.failed() || baseline == null || baseline.failed() || baseline == r
                        || (r.spec().inMemory() && r.spec().vs() == null)) {
                    continue;
                }
                throughput.add(r.opsPerSecond() / baseline.opsPerSecond());
                if (r.serverCpuMicrosPerOp() > 0 && baseline.serverCpuMicrosPerOp() > 0) {
                    cpu.add(baseline.serverCpuMicrosPerOp() / r.serverCpuMicrosPerOp());
                }
            }
            if (throughput.isEmpty()) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | **%s** | %s | %s |%n", first.spec().name(),
                    percents(throughput), percent(median(throughput)), percents(cpu),
                    cpu.isEmpty() ? "" : percent(median(cpu))));
        }
    }

    private static String percents(List<Double> ratios) {
        return String.join(", ", ratios.stream().map(TieredReport::percent).toList());
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * ratio);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void appendInfo(StringBuilder out, List<CaseResult> results, List<String> labels, List<String> patterns) {
        Set<String> fields = new LinkedHashSet<>();
        results.forEach(r -> fields.addAll(r.info().keySet()));
        out.append(String.format("%nServer INFO after each run (memory, stats and persistence fields whose name contains %s):%n%n",
                String.join(", ", patterns.stream().map(p -> "`" + p + "`").toList())));
        if (fields.isEmpty()) {
            out.append("(none)\n");
            return;
        }
        List<String> header = new ArrayList<>(List.of("field"));
        header.addAll(labels);
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
