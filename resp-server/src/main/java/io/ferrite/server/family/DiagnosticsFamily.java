package io.ferrite.server.family;

import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.RedisNumbers;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.command.Errors;
import io.ferrite.server.protocol.RespWriter;
import io.ferrite.server.stats.LatencyMonitor;
import io.ferrite.server.stats.SlowLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** INFO, SLOWLOG, LATENCY and MEMORY. */
public final class DiagnosticsFamily {
    private DiagnosticsFamily() {}

    public static void register(CommandTable table) {
        table.register("info", DiagnosticsFamily::info)
                .register("slowlog|get", DiagnosticsFamily::slowlogGet)
                .register("slowlog|len", ctx -> ctx.integer(ctx.server().slowLog().size()))
                .register("slowlog|reset", ctx -> {
                    ctx.server().slowLog().reset();
                    ctx.ok();
                })
                .register("slowlog|help", ctx -> Help.write(ctx.out(), "SLOWLOG",
                        "GET [<count>]", "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                        "    Entries are made of:",
                        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                        "    client name",
                        "LEN", "    Return the length of the slowlog.",
                        "RESET", "    Reset the slowlog."))
                .register("latency|latest", DiagnosticsFamily::latencyLatest)
                .register("latency|history", DiagnosticsFamily::latencyHistory)
                .register("latency|reset", DiagnosticsFamily::latencyReset)
                .register("latency|help", ctx -> Help.write(ctx.out(), "LATENCY",
                        "HISTORY <event>", "    Return time-latency samples for the <event> class.",
                        "LATEST", "    Return the latest latency samples for all events.",
                        "RESET [<event> ...]", "    Reset latency data of one or more <event> classes.",
                        "    (default: reset all data for all event classes)"))
                .register("memory|usage", DiagnosticsFamily::memoryUsage)
                .register("memory|help", ctx -> Help.write(ctx.out(), "MEMORY",
                        "USAGE <key> [SAMPLES <count>]", "    Return memory in bytes used by <key> and its value. Nested values are",
                        "    sampled up to <count> times (default: 5, 0 means sample all)."));
    }

    private static void info(CommandContext ctx) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < ctx.argc(); i++) {
            sections.add(ctx.argString(i).toLowerCase(Locale.ROOT));
        }
        String text = InfoReport.render(ctx.server(), sections);
        ctx.out().verbatim("txt", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void slowlogGet(CommandContext ctx) {
        long count = 10;
        if (ctx.argc() > 3) {
            ctx.error("ERR unknown subcommand or wrong number of arguments for '" + ctx.argString(1)
                    + "'. Try SLOWLOG HELP.");
            return;
        }
        if (ctx.argc() == 3) {
            if (!ctx.request().argLong(2) || ctx.request().longValue() < -1) {
                ctx.error("ERR count should be greater than or equal to -1");
                return;
            }
            count = ctx.request().longValue();
        }
        List<SlowLog.Entry> entries = ctx.server().slowLog().newest(count);
        RespWriter out = ctx.out();
        out.arrayHeader(entries.size());
        for (SlowLog.Entry entry : entries) {
            out.arrayHeader(6);
            out.integer(entry.id()).integer(entry.timestampSeconds()).integer(entry.micros());
            out.arrayHeader(entry.args().size());
            for (byte[] arg : entry.args()) {
                out.bulk(arg);
            }
            out.bulk(entry.peer()).bulk(entry.clientName());
        }
    }

    private static void latencyLatest(CommandContext ctx) {
        Map<String, LatencyMonitor.Series> events = ctx.server().latency().snapshot();
        RespWriter out = ctx.out();
        out.arrayHeader(events.size());
        for (Map.Entry<String, LatencyMonitor.Series> e : events.entrySet()) {
            LatencyMonitor.Sample last = e.getValue().samples.peekLast();
            out.arrayHeader(4).bulk(e.getKey()).integer(last.timestampSeconds()).integer(last.millis()).integer(e.getValue().maxMillis);
        }
    }

    private static void latencyHistory(CommandContext ctx) {
        List<LatencyMonitor.Sample> samples = ctx.server().latency().history(ctx.argString(2));
        RespWriter out = ctx.out();
        out.arrayHeader(samples.size());
        for (LatencyMonitor.Sample sample : samples) {
            out.arrayHeader(2).integer(sample.timestampSeconds()).integer(sample.millis());
        }
    }

    private static void latencyReset(CommandContext ctx) {
        List<String> names = new ArrayList<>();
        for (int i = 2; i < ctx.argc(); i++) {
            names.add(ctx.argString(i));
        }
        ctx.integer(ctx.server().latency().reset(names));
    }

    private static void memoryUsage(CommandContext ctx) {
        if (ctx.argc() != 3 && ctx.argc() != 5) {
            ctx.syntaxError();
            return;
        }
        if (ctx.argc() == 5) {
            if (!ctx.argString(3).equalsIgnoreCase("samples")) {
                ctx.syntaxError();
                return;
            }
            if (!ctx.argLong(4)) {
                return;
            }
            if (ctx.longValue() < 0) {
                ctx.syntaxError();
                return;
            }
        }
        long bytes = ctx.store().keys().memoryUsage(ctx.db(), ctx.arg(2));
        if (bytes < 0) {
            ctx.out().nullBulk();
        } else {
            ctx.integer(bytes);
        }
    }

}
