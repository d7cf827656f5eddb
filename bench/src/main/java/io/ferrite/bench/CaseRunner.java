package io.ferrite.bench;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Runs one {@link LoadCase} from start to end: a fresh server, the load phase (every key SET
 * once, pipelined over a few connections), the run phase ({@link LoadWorker}s for the warm-up
 * and then the measurement), and the server's own view afterwards (INFO fields, RSS, bytes in
 * its data directory) before the server is stopped and its directory deleted.
 */
final class CaseRunner {
    private static final long STARTUP_MILLIS = 120_000;
    /** A read this slow means the server is stuck; the case fails instead of hanging. */
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    /**
     * Settings shared by all cases.
     *
     * @param program          the server executable with its JVM flags and {@code -jar JAR}
     * @param loadConnections  connections the load phase uses
     * @param connections      connections (threads) of the run phase
     * @param depth            commands in flight per run-phase connection
     * @param warmupSeconds    run-phase time before measuring
     * @param seconds          measured run-phase time
     * @param verifyEvery      every n-th GET is compared byte for byte (the others by length and key prefix)
     * @param seed             seeds the run-phase random sources (connection i uses seed + i)
     * @param infoPatterns     an INFO field is kept when its name contains one of these
     * @param zipfians         the shared Zipfian generator for a key count
     */
    record Settings(List<String> program, int loadConnections, int connections, int depth, int warmupSeconds,
                    int seconds, int verifyEvery, long seed, List<String> infoPatterns,
                    IntFunction<ZipfianGenerator> zipfians) {}

    private final Settings settings;

    CaseRunner(Settings settings) {
        this.settings = settings;
    }

    CaseResult run(LoadCase spec) throws InterruptedException {
        List<String> problems = new ArrayList<>();
        List<String> serverArgs = new ArrayList<>(List.of("--save", "", "--appendonly", "no"));
        serverArgs.addAll(spec.serverArgs());
        ChildServer server;
        try {
            server = ChildServer.start(settings.program(), serverArgs, STARTUP_MILLIS);
        } catch (IOException e) {
            problems.add("server did not start: " + e.getMessage());
            return new CaseResult(spec, List.of(), 0, 0, 0, 0, 0, new LatencyHistogram(), 0, 0, 0, 0, 0, Map.of(), problems);
        }
        try (server) {
            say("%s: server pid %d on port %d: %s", spec.name(), server.pid(), server.port(), Shell.join(server.commandLine()));
            TextValues values = new TextValues(spec.valueSize());
            double loadSeconds = load(server.port(), spec, values, problems);
            Run run = problems.isEmpty() ? run(server, spec, values, problems) : Run.NONE;
            Map<String, String> info = Map.of();
            long rss = 0;
            long hwm = 0;
            long disk = 0;
            long compacted = 0;
            double compactSeconds = 0;
            try {
                info = info(server.port());
                rss = server.statusKb("VmRSS");
                hwm = server.statusKb("VmHWM");
                disk = server.diskBytes();
                if (disk > 0 && problems.isEmpty()) {
                    long started = System.nanoTime();
                    compact(server.port());
                    compactSeconds = (System.nanoTime() - started) / 1e9;
                    compacted = server.diskBytes();
                }
            } catch (IOException e) {
                problems.add("reading the server's state after the run failed: " + e + " (server log: " + server.lastLogLine() + ")");
            }
            return new CaseResult(spec, server.commandLine(), loadSeconds, run.gets, run.sets, run.seconds, run.cpuSeconds, run.latency,
                    rss, hwm, disk, compacted, compactSeconds, info, problems);
        }
    }

    // ---- load phase ----

    /** SETs every key to generation 0 of its value; returns the seconds it took. */
    private double load(int port, LoadCase spec, TextValues values, List<String> problems) throws InterruptedException {
        int connections = Math.min(settings.loadConnections(), spec.keys());
        Map<String, Long> errors = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int from = (int) ((long) spec.keys() * c / connections);
            int to = (int) ((long) spec.keys() * (c + 1) / connections);
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                byte[] value = new byte[values.size()];
                try (Socket socket = RespClient.connect(port)) {
                    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                    PipelinedCommands.sets(socket, from, to, TextValues::key, i -> {
                        values.write(i, 0, value, 0);
                        return value;
                    }).forEach((message, n) -> errors.merge("SET: " + message, n, Long::sum));
                } catch (IOException | InterruptedException e) {
                    errors.merge("load connection failed: " + e, 1L, Long::sum);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!errors.isEmpty()) {
            long failed = errors.values().stream().mapToLong(Long::longValue).sum();
            problems.add(String.format(Locale.ROOT, "load: %,d of %,d SETs failed", failed, spec.keys()));
            errors.forEach((message, n) -> problems.add(String.format(Locale.ROOT, "%,d x %s", n, message)));
            say("%s: load FAILED after %.1f s: %s", spec.name(), seconds, errors);
            return seconds;
        }
        say("%s: loaded %,d keys (%s raw) in %.1f s (%,.0f SETs/s)", spec.name(), spec.keys(),
                MemoryFootprint.mib(spec.rawBytes()), seconds, spec.keys() / seconds);
        try (Socket socket = RespClient.connect(port)) {
            long dbsize = Long.parseLong(new RespClient(socket).call("DBSIZE"));
            if (dbsize != spec.keys()) {
                problems.add(String.format(Locale.ROOT, "load: DBSIZE is %,d after SETting %,d keys", dbsize, spec.keys()));
            }
        } catch (IOException e) {
            problems.add("load: DBSIZE failed: " + e.getMessage());
        }
        return seconds;
    }

    // ---- run phase ----

    private record Run(long gets, long sets, double seconds, double cpuSeconds, LatencyHistogram latency) {
        static final Run NONE = new Run(0, 0, 0, 0, new LatencyHistogram());
    }

    private Run run(ChildServer server, LoadCase spec, TextValues values, List<String> problems) throws InterruptedException {
        int port = server.port();
        double cpuFrom = 0;
        double cpuTo = 0;
        LoadWorker.Settings workload = new LoadWorker.Settings(settings.depth(), spec.getRatio(), settings.verifyEvery(),
                values, spec.dist().chooser(spec.keys(), () -> settings.zipfians().apply(spec.keys())));
        RunControl control = new RunControl();
        ReplyProblems replyProblems = new ReplyProblems();
        List<Socket> sockets = new ArrayList<>();
        List<LoadWorker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int c = 0; c < settings.connections(); c++) {
                Socket socket = RespClient.connect(port);
                socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                sockets.add(socket);
                workers.add(new LoadWorker(socket, workload, control, replyProblems, settings.seed() + c));
            }
            for (int c = 0; c < workers.size(); c++) {
                threads.add(Thread.ofPlatform().name("run-" + c).start(workers.get(c)));
            }
            say("%s: %s keys, %d connections x %d in flight, %.0f%% GET; warm-up %d s, then %d s measured",
                    spec.name(), spec.dist().label(), settings.connections(), settings.depth(), spec.getRatio() * 100,
                    settings.warmupSeconds(), settings.seconds());
            if (control.sleep(settings.warmupSeconds() * 1000L)) {
                cpuFrom = server.cpuSeconds();
                control.startMeasuring();
                control.sleep(settings.seconds() * 1000L);
                cpuTo = server.cpuSeconds();
            }
        } catch (IOException e) {
            replyProblems.connectionFailed(e);
        } finally {
            control.stop();
            for (Thread thread : threads) {
                thread.join();
            }
            for (Socket socket : sockets) {
                closeQuietly(socket);
            }
        }
        LatencyHistogram latency = new LatencyHistogram();
        long gets = 0;
        long sets = 0;
        long last = 0;
        for (LoadWorker worker : workers) {
            latency.add(worker.histogram());
            gets += worker.measuredGets();
            sets += worker.measuredSets();
            last = Math.max(last, worker.lastReplyNanos());
        }
        double seconds = last > 0 ? (last - control.measureFrom()) / 1e9 : 0;
        problems.addAll(replyProblems.summary());
        // The CPU window is the measurement's; the replies counted are those within it as well.
        double cpu = cpuTo > cpuFrom ? (cpuTo - cpuFrom) * seconds / settings.seconds() : 0;
        return new Run(gets, sets, seconds, cpu, latency);
    }

    // ---- after the run ----

    /**
     * Runs FERRITE.COMPACT and waits for it to finish (INFO's compaction count goes up), so the
     * disk bytes afterwards show what the live data needs, without the dead versions.
     */
    private static void compact(int port) throws IOException, InterruptedException {
        try (Socket socket = RespClient.connect(port)) {
            RespClient client = new RespClient(socket);
            long before = Long.parseLong(client.info("memory").getOrDefault("ferrite_compactions", "0"));
            client.call("FERRITE.COMPACT");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
            while (Long.parseLong(client.info("memory").getOrDefault("ferrite_compactions", "0")) <= before) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("FERRITE.COMPACT did not finish within 10 minutes");
                }
                Thread.sleep(200);
            }
        }
    }

    /** The INFO memory, stats and persistence fields whose names contain one of the patterns. */
    private Map<String, String> info(int port) throws IOException {
        Map<String, String> kept = new LinkedHashMap<>();
        try (Socket socket = RespClient.connect(port)) {
            RespClient client = new RespClient(socket);
            for (String section : List.of("memory", "stats", "persistence")) {
                client.info(section).forEach((field, value) -> {
                    if (settings.infoPatterns().stream().anyMatch(field::contains)) {
                        kept.put(field, value);
                    }
                });
            }
        }
        return kept;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the run is over; nothing to do about a failing close
        }
    }

    static void say(String format, Object... args) {
        System.err.println("[tiers] " + String.format(Locale.ROOT, format, args));
    }
}
