package io.ferrite.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Throughput and latency of a Ferrite server whose data does or does not fit its memory
 * budget: for each {@code --case}, a fresh server child process is loaded with a dataset and
 * then driven with a pipelined GET/SET mix, uniform or Zipfian, while every GET reply is
 * checked (see {@link CaseRunner}). Comparing an in-memory case with a {@code --maxmemory}
 * case of the same dataset shows what the larger-than-memory tiers cost.
 *
 * <p>Usage: {@code java -cp ferrite-benchmarks.jar io.ferrite.bench.TieredLoad --server-jar
 * PATH [options] --case SPEC [--case SPEC]...}; see {@link #USAGE} and {@link LoadCase} for
 * the spec syntax. Progress goes to stderr, the results table to stdout (a row as each case
 * ends), and the whole markdown fragment (table, INFO fields, failures, command lines) to the
 * {@code --out} file. Exits 1 when any case failed (error replies, a wrong GET reply, a server
 * that did not start), 2 on bad arguments.
 */
public final class TieredLoad {
    static final String USAGE = """
            Usage: TieredLoad --server-jar PATH [options] --case SPEC [--case SPEC]...
              --case SPEC            name=N,keys=N,value=BYTES,dist=uniform|zipfian|zipfian-ranked,get=FRACTION,
                                     vs=CASE,args=SERVER ARGS (args last: it takes the rest, commas too)
              --keys N               default keys per case (1000000)
              --value BYTES          default value size (500)
              --dist D               default key distribution (zipfian)
              --get FRACTION         default share of GETs in the run phase (0.9)
              --connections K        run-phase connections, one thread each (8)
              --pipeline D           commands in flight per connection (16)
              --warmup SECONDS       run-phase warm-up, not measured (10)
              --seconds SECONDS      measured run-phase time (20)
              --load-connections L   connections loading the keys (4)
              --verify-every N       compare every N-th GET reply byte for byte (16; 1 = all)
              --seed S               seed of the run-phase random sources (1)
              --info a,b,...         keep INFO fields whose name contains one of these
                                     (hlog,tier,disk,cold,warm,used_memory,mutable,readonly)
              --java PATH            java for the server (this JVM's)
              --jvm "FLAGS"          server JVM flags (the launcher's: %s)
              --rounds R             run the whole list of cases R times, one round after the
                                     other, and report each case's ratio to its in-memory case
                                     per round and the median (1)
              --out FILE             write the markdown fragment there
            Each server's data directory is created under java.io.tmpdir (-Djava.io.tmpdir=DIR
            moves it; on tmpfs, "disk" bytes would be RAM) and deleted after its case.
            """.formatted(ChildServer.LAUNCHER_JVM_FLAGS);

    private static final List<String> DEFAULT_INFO_PATTERNS =
            List.of("hlog", "tier", "disk", "cold", "warm", "used_memory", "mutable", "readonly");

    private TieredLoad() {}

    public static void main(String[] args) throws Exception {
        Path serverJar = null;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jvmFlags = ChildServer.LAUNCHER_JVM_FLAGS;
        List<String> specs = new ArrayList<>();
        int keys = 1_000_000;
        int value = 500;
        String dist = KeyDistribution.ZIPFIAN.label();
        double get = 0.9;
        int connections = 8;
        int pipeline = 16;
        int warmup = 10;
        int seconds = 20;
        int loadConnections = 4;
        int verifyEvery = 16;
        int rounds = 1;
        long seed = 1;
        List<String> infoPatterns = DEFAULT_INFO_PATTERNS;
        Path out = null;
        List<LoadCase> cases = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--help") || option.equals("-h")) {
                    System.out.print(USAGE);
                    return;
                }
                if (!option.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + option
                            + "' (quote a --case spec whose args hold blanks, so that it stays one word)");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String v = args[++i];
                switch (option) {
                    case "--server-jar" -> serverJar = Path.of(v);
                    case "--java" -> java = v;
                    case "--jvm" -> jvmFlags = v;
                    case "--case" -> specs.add(v);
                    case "--keys" -> keys = Integer.parseInt(v.replace("_", ""));
                    case "--value" -> value = Integer.parseInt(v);
                    case "--dist" -> dist = v;
                    case "--get" -> get = Double.parseDouble(v);
                    case "--connections" -> connections = positive(option, v);
                    case "--pipeline" -> pipeline = positive(option, v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--seconds" -> seconds = positive(option, v);
                    case "--load-connections" -> loadConnections = positive(option, v);
                    case "--verify-every" -> verifyEvery = positive(option, v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--rounds" -> rounds = positive(option, v);
                    case "--info" -> infoPatterns = List.of(v.split(","));
                    case "--out" -> out = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (serverJar == null || !Files.isRegularFile(serverJar)) {
                throw new IllegalArgumentException("--server-jar PATH (resp-server/target/ferrite-server.jar) is required");
            }
            if (specs.isEmpty()) {
                throw new IllegalArgumentException("no --case given");
            }
            LoadCase.Defaults defaults = new LoadCase.Defaults(keys, value, KeyDistribution.of(dist), get);
            for (String spec : specs) {
                cases.add(LoadCase.parse(spec, cases.size() + 1, defaults));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("TieredLoad: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }

        List<String> program = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        program.addAll(ChildServer.splitFlags(jvmFlags));
        program.addAll(List.of("-jar", serverJar.toAbsolutePath().toString()));
        CaseRunner.Settings settings = new CaseRunner.Settings(program, loadConnections, connections, pipeline, warmup,
                seconds, verifyEvery, seed, infoPatterns, zipfianCache());

        // Rounds run the cases in their given order again and again, so that each tiered case
        // runs next to its in-memory case every time: on a shared machine a round's ratio is
        // steadier than either throughput, and the spread across rounds shows the noise.
        List<List<CaseResult>> byRound = new ArrayList<>();
        List<CaseResult> results = new ArrayList<>();
        System.out.println(TieredReport.TABLE_HEADER);
        for (int round = 1; round <= rounds; round++) {
            List<CaseResult> roundResults = new ArrayList<>();
            for (LoadCase spec : cases) {
                if (rounds > 1) {
                    CaseRunner.say("round %d of %d: %s", round, rounds, spec.name());
                }
                CaseResult result = new CaseRunner(settings).run(spec);
                roundResults.add(result);
                System.out.println(TieredReport.row(result, TieredReport.label(result, round, rounds),
                        TieredReport.baselineFor(result, roundResults)));
                for (String problem : result.problems()) {
                    System.err.println("[tiers] " + spec.name() + " FAILED: " + problem);
                }
            }
            byRound.add(roundResults);
            results.addAll(roundResults);
        }
        if (out != null) {
            Files.writeString(out, TieredReport.fragment(byRound, settings, ownCommand(args)));
            CaseRunner.say("wrote %s", out);
        }
        long failed = results.stream().filter(CaseResult::failed).count();
        if (failed > 0) {
            CaseRunner.say("%d of %d cases FAILED (reasons above)", failed, results.size());
            System.exit(1);
        }
    }

    /** One Zipfian generator per key count, built on first use: zeta(n) is the slow part. */
    private static IntFunction<ZipfianGenerator> zipfianCache() {
        Map<Integer, ZipfianGenerator> generators = new ConcurrentHashMap<>();
        return n -> generators.computeIfAbsent(n, items -> {
            long start = System.nanoTime();
            ZipfianGenerator generator = new ZipfianGenerator(items, ZipfianGenerator.YCSB_THETA);
            CaseRunner.say("zeta(%,d, %.2f) computed in %.0f ms", items, ZipfianGenerator.YCSB_THETA,
                    (System.nanoTime() - start) / 1e6);
            return generator;
        });
    }

    /** This program's command line, quoted for a shell (from /proc when the JVM can tell it). */
    private static String ownCommand(String[] args) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> words = new ArrayList<>();
        if (info.command().isPresent() && info.arguments().isPresent()) {
            words.add(info.command().get());
            words.addAll(List.of(info.arguments().get()));
        } else {
            words.addAll(List.of("java", "-cp", "ferrite-benchmarks.jar", TieredLoad.class.getName()));
            words.addAll(List.of(args));
        }
        return Shell.join(words);
    }

    private static int positive(String option, String text) {
        int n = Integer.parseInt(text);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }
}
