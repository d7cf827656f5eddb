package io.ferrite.bench;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One server's part of the memory footprint benchmark: starts it as a child process, warms the
 * load's write path up, then runs the load in steps and samples VmRSS and INFO's
 * {@code used_memory} after each, and stops the server again.
 *
 * <p>The warm-up runs the load's first {@value #WARMUP} commands into database 1 and keeps
 * them (freeing them could hand their memory back to the load and hide its cost), so the code
 * of the whole path a new element takes (index growth, page allocation) is compiled and the
 * network buffers exist before the "before" sample. Each step's commands are pipelined over
 * one connection (like {@code redis-cli --pipe}); the load's check command must then answer
 * the number of elements loaded so far, and VmRSS is read two seconds later.
 */
final class FootprintRun {
    static final int WARMUP = 100_000;

    /** The state after the first {@code elements} commands. */
    record Sample(int elements, long raw, long rssKb, long usedMemory, double loadSeconds) {}

    /** A server's samples, or why it has none ({@code note}). */
    record Result(String server, String flags, long rssBeforeKb, List<Sample> samples, long hwmKb, String note) {
        long growth(Sample s) {
            return (s.rssKb - rssBeforeKb) * 1024;
        }

        Sample at(int elements) {
            return samples.stream().filter(s -> s.elements == elements).findFirst().orElse(null);
        }
    }

    private FootprintRun() {}

    /** Runs {@code load} against a fresh server, sampling after each of {@code checkpoints} (ascending). */
    static Result measure(String name, String flags, List<String> program, FootprintLoad load, int[] checkpoints)
            throws Exception {
        System.err.printf("[footprint] %s, %s %s%n", load.name, name, flags);
        ChildServer server;
        try {
            server = ChildServer.start(program, List.of("--save", "", "--appendonly", "no"), 60_000);
        } catch (ChildServer.StartException e) {
            return new Result(name, flags, 0, List.of(), 0, "did not start: " + e.getMessage().replace('|', '/'));
        }
        try (server; Socket socket = RespClient.connect(server.port())) {
            RespClient resp = new RespClient(socket);
            resp.call("SELECT", "1");
            checkLoaded(name, PipelinedCommands.load(socket, 0, Math.min(WARMUP, load.count), load::command));
            resp.call("SELECT", "0");
            Thread.sleep(1000);
            long before = server.statusKb("VmRSS");
            List<Sample> samples = new ArrayList<>();
            int loaded = 0;
            long raw = 0;
            double seconds = 0;
            for (int checkpoint : checkpoints) {
                long start = System.nanoTime();
                checkLoaded(name, PipelinedCommands.load(socket, loaded, checkpoint, load::command));
                seconds += (System.nanoTime() - start) / 1e9;
                raw += load.rawBytes(loaded, checkpoint);
                loaded = checkpoint;
                long elements = Long.parseLong(resp.call(load.check()).trim());
                if (elements != loaded) {
                    throw new IllegalStateException(name + ": " + String.join(" ", load.check()) + " is " + elements
                            + " after " + loaded + " commands");
                }
                Thread.sleep(2000);
                long rss = server.statusKb("VmRSS");
                long used = Long.parseLong(RespClient.infoField(resp.call("INFO", "memory"), "used_memory"));
                System.err.printf(Locale.ROOT, "[footprint]   %,d: RSS %d kB -> %d kB (%.1f s)%n", loaded, before, rss, seconds);
                samples.add(new Sample(loaded, raw, rss, used, seconds));
            }
            long hwm = server.statusKb("VmHWM");
            try {
                resp.call("SHUTDOWN", "NOSAVE");
            } catch (IOException expected) {
                // the server closes the connection as it exits
            }
            return new Result(name, flags, before, samples, hwm, null);
        }
    }

    private static void checkLoaded(String name, Map<String, Long> errors) {
        if (!errors.isEmpty()) {
            throw new IllegalStateException(name + ": commands failed: " + errors);
        }
    }
}
