package io.ferrite.server.family;

import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandSpec;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.config.ConfigRewriter;
import io.ferrite.server.config.ConfigSetResult;
import io.ferrite.server.protocol.RespValue;
import io.ferrite.server.protocol.RespWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** DBSIZE, FLUSHDB, FLUSHALL, TIME, SAVE, BGSAVE, LASTSAVE, BGREWRITEAOF, SHUTDOWN, CONFIG, COMMAND and FERRITE.COMPACT. */
public final class ServerFamily {
    private ServerFamily() {}

    /** FERRITE.COMPACT: starts a background compaction, answering at once as BGREWRITEAOF does. */
    private static void compact(CommandContext ctx) {
        if (ctx.store().startCompaction()) {
            ctx.out().simpleString("Background compaction started");
        } else {
            ctx.error("ERR Background compaction already in progress");
        }
    }

    public static void register(CommandTable table) {
        table.register("dbsize", ctx -> ctx.integer(ctx.store().keys().dbSize(ctx.db())))
                .register("flushdb", ctx -> flush(ctx, false))
                .register("flushall", ctx -> flush(ctx, true))
                .register("time", ServerFamily::time)
                .register("lastsave", ctx -> ctx.integer(ctx.server().persistence().lastSaveSeconds()))
                .register("save", ServerFamily::save)
                .register("bgsave", ServerFamily::bgSave)
                .register("bgrewriteaof", ServerFamily::bgRewriteAof)
                .register("ferrite.compact", ServerFamily::compact)
                .register("shutdown", ServerFamily::shutdown)
                .register("config|get", ServerFamily::configGet)
                .register("config|set", ServerFamily::configSet)
                .register("config|resetstat", ServerFamily::configResetStat)
                .register("config|rewrite", ServerFamily::configRewrite)
                .register("config|help", ctx -> Help.write(ctx.out(), "CONFIG",
                        "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
                        "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
                        "RESETSTAT", "    Reset statistics reported by the INFO command.",
                        "REWRITE", "    Rewrite the configuration file."))
                .register("command", ServerFamily::commandInfo)
                .register("command|count", ctx -> ctx.integer(ctx.server().commands().size()))
                .register("command|info", ServerFamily::commandInfo)
                .register("command|docs", ServerFamily::commandDocs)
                .register("command|list", ServerFamily::commandList)
                .register("command|getkeys", ServerFamily::commandGetKeys)
                .register("command|getkeysandflags", ctx -> getKeys(ctx, true))
                .register("command|help", ctx -> Help.write(ctx.out(), "COMMAND",
                        "(no subcommand)", "    Return details about all Redis commands.",
                        "COUNT", "    Return the total number of commands in this Redis server.",
                        "LIST", "    Return a list of all commands in this Redis server.",
                        "INFO [<command-name> ...]", "    Return details about multiple Redis commands.",
                        "    If no command names are given, documentation details for all",
                        "    commands are returned.",
                        "DOCS [<command-name> ...]", "    Return documentation details about multiple Redis commands.",
                        "    If no command names are given, documentation details for all",
                        "    commands are returned.",
                        "GETKEYS <full-command>", "    Return the keys from a full Redis command.",
                        "GETKEYSANDFLAGS <full-command>", "    Return the keys and the access flags from a full Redis command."));
    }

    private static void flush(CommandContext ctx, boolean all) {
        if (ctx.argc() > 2 || (ctx.argc() == 2 && !ctx.argString(1).equalsIgnoreCase("sync")
                && !ctx.argString(1).equalsIgnoreCase("async"))) {
            ctx.syntaxError();
            return;
        }
        ctx.server().persistence().flushing();
        if (all) {
            ctx.store().keys().flushAll();
            ctx.server().persistence().flushedAll();
        } else {
            ctx.store().keys().flushDb(ctx.db());
        }
        ctx.ok();
    }

    private static void time(CommandContext ctx) {
        java.time.Instant now = java.time.Instant.now();
        ctx.out().arrayHeader(2).bulkLong(now.getEpochSecond()).bulkLong(now.getNano() / 1000);
    }

    /** BGREWRITEAOF: a fork-less rewrite of the append-only file in the background. */
    private static void bgRewriteAof(CommandContext ctx) {
        io.ferrite.core.aof.AppendOnlyFile aof = ctx.server().persistence().aof();
        if (aof == null) {
            ctx.error("ERR Ferrite rewrites the append only file only while appendonly is yes");
            return;
        }
        if (aof.startRewrite() == null) {
            ctx.error("ERR Background append only file rewriting already in progress");
            return;
        }
        ctx.out().simpleString("Background append only file rewriting started");
    }

    /**
     * SAVE: writes the snapshot and answers once it is on disk. Unlike Redis's, other clients
     * are not blocked meanwhile: the save is a point-in-time image taken while they go on.
     */
    private static void save(CommandContext ctx) {
        String failure = ctx.server().persistence().save();
        if (failure == null) {
            ctx.ok();
        } else {
            ctx.error(failure);
        }
    }

    /** BGSAVE [SCHEDULE]: a fork-less snapshot in the background (SCHEDULE is accepted: no rewrite ever blocks a save). */
    private static void bgSave(CommandContext ctx) {
        if (ctx.argc() > 2 || (ctx.argc() == 2 && !ctx.argString(1).equalsIgnoreCase("schedule"))) {
            ctx.syntaxError();
            return;
        }
        if (ctx.server().persistence().startSave() == null) {
            ctx.error("ERR Background save already in progress");
            return;
        }
        ctx.out().simpleString("Background saving started");
    }

    private static void shutdown(CommandContext ctx) {
        boolean abort = false;
        boolean save = false;
        boolean noSave = false;
        boolean otherFlags = false;
        boolean force = false;
        for (int i = 1; i < ctx.argc(); i++) {
            switch (ctx.argString(i).toUpperCase(Locale.ROOT)) {
                case "NOSAVE" -> noSave = true;
                case "SAVE" -> save = true;
                case "NOW" -> otherFlags = true;
                case "FORCE" -> {
                    otherFlags = true;
                    force = true;
                }
                case "ABORT" -> abort = true;
                default -> {
                    ctx.syntaxError();
                    return;
                }
            }
        }
        if ((abort && (save || noSave || otherFlags)) || (save && noSave)) {
            ctx.syntaxError(); // Redis's illegal combinations
            return;
        }
        if (abort) {
            ctx.error("ERR No shutdown in progress.");
            return;
        }
        // With SAVE, or save points and no NOSAVE, the snapshot is written first; the
        // append-only file, when on, is fsynced as the server closes. Like Redis, a successful
        // SHUTDOWN sends no reply: the connection just closes.
        if (!ctx.server().persistence().prepareShutdown(save, noSave) && !force) {
            ctx.error("ERR Errors trying to SHUTDOWN. Check logs.");
            return;
        }
        ctx.client().closing(true);
        ctx.server().shutdown();
    }

    private static void configGet(CommandContext ctx) {
        List<String> patterns = new ArrayList<>();
        for (int i = 2; i < ctx.argc(); i++) {
            patterns.add(ctx.argString(i));
        }
        Map<String, String> matches = ctx.server().config().getMatching(patterns);
        RespWriter out = ctx.out();
        out.mapHeader(matches.size());
        for (Map.Entry<String, String> e : matches.entrySet()) {
            out.bulk(e.getKey()).bulk(e.getValue());
        }
    }

    private static void configSet(CommandContext ctx) {
        if ((ctx.argc() - 2) % 2 != 0) {
            ctx.syntaxError(); // as Redis: the arity (-4) covers only the first pair
            return;
        }
        List<String> pairs = new ArrayList<>();
        for (int i = 2; i < ctx.argc(); i++) {
            pairs.add(ctx.argString(i));
        }
        ConfigSetResult result = ctx.server().config().set(pairs);
        if (result.applied()) {
            ctx.ok();
        } else {
            ctx.error(result.error());
        }
    }

    private static void configResetStat(CommandContext ctx) {
        ctx.server().stats().reset();
        ctx.server().commandStats().reset();
        ctx.server().latency().reset(List.of());
        ctx.ok();
    }

    private static void configRewrite(CommandContext ctx) {
        if (ctx.server().configFile().isEmpty()) {
            ctx.error("ERR The server is running without a config file");
            return;
        }
        Path file = ctx.server().configFile().get();
        try {
            ConfigRewriter.rewrite(ctx.server().config(), file);
            ctx.ok();
        } catch (IOException e) {
            ctx.error("ERR Rewriting config file: " + e.getMessage());
        }
    }

    private static void commandInfo(CommandContext ctx) {
        RespWriter out = ctx.out();
        if (ctx.argc() <= 2) {
            out.arrayHeader(ctx.server().commands().size());
            for (CommandSpec spec : ctx.server().commands().commands()) {
                out.value(spec.info());
            }
            return;
        }
        out.arrayHeader(ctx.argc() - 2);
        for (int i = 2; i < ctx.argc(); i++) {
            CommandSpec spec = find(ctx, ctx.argString(i));
            if (spec == null) {
                out.nullBulk(); // Redis's addReplyNull: $-1 in RESP2
            } else {
                out.value(spec.info());
            }
        }
    }

    private static void commandDocs(CommandContext ctx) {
        List<CommandSpec> specs = new ArrayList<>();
        if (ctx.argc() == 2) {
            specs.addAll(ctx.server().commands().commands());
        } else {
            for (int i = 2; i < ctx.argc(); i++) {
                CommandSpec spec = find(ctx, ctx.argString(i));
                if (spec != null) {
                    specs.add(spec);
                }
            }
        }
        RespWriter out = ctx.out();
        out.mapHeader(specs.size());
        for (CommandSpec spec : specs) {
            out.bulk(spec.fullName());
            out.value(spec.docs());
        }
    }

    /** A command by name, "container|sub" for subcommands; null when unknown. */
    private static CommandSpec find(CommandContext ctx, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return ctx.server().commands().lookup(name);
        }
        CommandSpec container = ctx.server().commands().lookup(name.substring(0, bar));
        return container == null ? null : container.subcommands().get(name.substring(bar + 1).toLowerCase(Locale.ROOT));
    }

    private static void commandList(CommandContext ctx) {
        String filter = null;
        String value = null;
        if (ctx.argc() == 5 && ctx.argString(2).equalsIgnoreCase("filterby")) {
            filter = ctx.argString(3).toLowerCase(Locale.ROOT);
            value = ctx.argString(4);
            if (!filter.equals("module") && !filter.equals("aclcat") && !filter.equals("pattern")) {
                ctx.syntaxError();
                return;
            }
        } else if (ctx.argc() != 2) {
            ctx.syntaxError();
            return;
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : ctx.server().commands().commands()) {
            collect(spec, filter, value, names);
            for (CommandSpec sub : spec.subcommands().values()) {
                collect(sub, filter, value, names);
            }
        }
        ctx.out().arrayHeader(names.size());
        for (String name : names) {
            ctx.out().bulk(name);
        }
    }

    private static void collect(CommandSpec spec, String filter, String value, List<String> names) {
        if (filter == null) {
            names.add(spec.fullName());
            return;
        }
        switch (filter) {
            case "pattern" -> {
                if (io.ferrite.core.strings.GlobMatcher.matches(value.getBytes(), spec.fullName().getBytes(), true)) {
                    names.add(spec.fullName());
                }
            }
            case "aclcat" -> {
                List<RespValue> fields = ((RespValue.ArrayReply) spec.info()).elements();
                RespValue categories = fields.get(6);
                List<RespValue> cats = categories instanceof RespValue.SetReply s ? s.elements() : ((RespValue.ArrayReply) categories).elements();
                for (RespValue cat : cats) {
                    if (cat instanceof RespValue.SimpleString ss && ss.text().equalsIgnoreCase("@" + value)) {
                        names.add(spec.fullName());
                    }
                }
            }
            default -> { } // no modules are loaded
        }
    }

    private static void commandGetKeys(CommandContext ctx) {
        getKeys(ctx, false);
    }

    /** COMMAND GETKEYS and GETKEYSANDFLAGS, from the command's Redis key specs. */
    private static void getKeys(CommandContext ctx, boolean withFlags) {
        CommandSpec spec = ctx.server().commands().lookup(ctx.argString(2));
        int base = 2;
        if (spec != null && spec.isContainer() && ctx.argc() > 3) {
            spec = spec.subcommands().get(ctx.argString(3).toLowerCase(Locale.ROOT));
        }
        if (spec == null) {
            ctx.error("ERR Invalid command specified");
            return;
        }
        int argc = ctx.argc() - base;
        if (!spec.arityAccepts(argc)) {
            ctx.error("ERR Invalid number of arguments specified for command");
            return;
        }
        List<String> args = new ArrayList<>();
        for (int i = base; i < ctx.argc(); i++) {
            args.add(ctx.argString(i));
        }
        List<KeySpecs.Key> keys = KeySpecs.keys(spec, args);
        if (keys.isEmpty()) {
            ctx.error(spec.firstKey() == 0 && KeySpecs.count(spec) == 0
                    ? "ERR The command has no key arguments" : "ERR Invalid arguments specified for command");
            return;
        }
        RespWriter out = ctx.out();
        out.arrayHeader(keys.size());
        for (KeySpecs.Key key : keys) {
            if (withFlags) {
                out.arrayHeader(2);
            }
            out.bulk(ctx.request().buffer(), ctx.request().argOffset(base + key.position()), ctx.request().argLength(base + key.position()));
            if (withFlags) {
                out.setHeader(key.flags().size());
                key.flags().forEach(out::simpleString);
            }
        }
    }
}
