package io.ferrite.server.family;

import io.ferrite.core.api.ValueExport;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.RedisNumbers;
import io.ferrite.core.types.KeyCommands;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.command.Errors;
import io.ferrite.server.protocol.RespWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * The DEBUG subcommands that make sense without Redis's internals: SLEEP, OBJECT, LOG, RELOAD
 * (save the RDB snapshot, empty the dataset, load it back), LOADAOF,
 * DIGEST and DIGEST-VALUE (Redis's own algorithm), HTSTATS-KEY and SET-ACTIVE-EXPIRE. Any
 * other subcommand is Redis's "unknown subcommand" error.
 */
public final class DebugFamily {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DebugFamily.class);

    private DebugFamily() {}

    public static void register(CommandTable table) {
        table.register("debug", DebugFamily::debug);
    }

    private static void debug(CommandContext ctx) {
        String sub = ctx.argString(1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "sleep" -> sleep(ctx);
            case "object" -> object(ctx);
            case "log" -> {
                LOG.info("DEBUG LOG: {}", ctx.argc() > 2 ? ctx.argString(2) : "");
                ctx.ok();
            }
            case "reload" -> reload(ctx);
            case "loadaof" -> loadAof(ctx);
            case "digest" -> ctx.out().simpleString(ValueDigest.hex(datasetDigest(ctx)));
            case "digest-value" -> digestValues(ctx);
            case "htstats-key" -> tableStats(ctx);
            case "set-active-expire" -> {
                if (ctx.argc() != 3 || !ctx.argLong(2)) {
                    if (ctx.argc() != 3) {
                        ctx.error(Errors.arity("debug"));
                    }
                    return;
                }
                ctx.store().activeExpiry(ctx.longValue() != 0);
                ctx.ok();
            }
            case "help" -> Help.write(ctx.out(), "DEBUG",
                    "DIGEST", "    Output a hex signature representing the current DB content.",
                    "DIGEST-VALUE <key> [<key> ...]", "    Output a hex signature of the values of all the specified keys.",
                    "HTSTATS-KEY <key>", "    Show stats about the chunks of a hash or set stored as a table.",
                    "LOADAOF", "    Flush the AOF buffers on disk and reload the AOF in memory.",
                    "LOG <message>", "    Write <message> to the server log.",
                    "OBJECT <key>", "    Show low level info about the key and associated value.",
                    "RELOAD [MERGE] [NOFLUSH] [NOSAVE]", "    Save the RDB on disk and reload it back to memory. By default it will save",
                    "    the RDB file and load it back.",
                    "    * MERGE: Merge the keys of the RDB file with the keys in memory (the file's replace them).",
                    "    * NOFLUSH: Do not empty the current database before loading the RDB file.",
                    "    * NOSAVE: Do not save the current dataset in the RDB file before loading it.",
                    "SET-ACTIVE-EXPIRE <0|1>", "    Setting it to 0 disables expiring keys in background when they are not accessed.",
                    "SLEEP <seconds>", "    Stop the server for <seconds>. Decimals allowed.");
            default -> ctx.error(Errors.unknownSubcommand(ctx.argString(1), "debug"));
        }
    }

    /**
     * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves the snapshot, empties the dataset and loads
     * the snapshot again, as Redis's does (MERGE: the file's keys replace those in memory;
     * NOFLUSH: the dataset is not emptied first; NOSAVE: the file on disk is loaded as it is).
     */
    private static void reload(CommandContext ctx) {
        boolean merge = false;
        boolean flush = true;
        boolean save = true;
        for (int i = 2; i < ctx.argc(); i++) {
            switch (ctx.argString(i).toUpperCase(Locale.ROOT)) {
                case "MERGE" -> merge = true;
                case "NOFLUSH" -> flush = false;
                case "NOSAVE" -> save = false;
                default -> {
                    ctx.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                    return;
                }
            }
        }
        boolean replace = merge;
        boolean empty = flush;
        boolean write = save;
        Exception failure = offLoop("ferrite-debug-reload", () -> ctx.server().persistence().debugReload(write, empty, replace));
        if (failure != null) {
            LOG.error("DEBUG RELOAD failed", failure);
            ctx.error(failure.getMessage() != null && failure.getMessage().startsWith("Error trying to save")
                    ? "ERR Error trying to save the DB, check server logs."
                    : "ERR Error trying to load the RDB dump, check server logs.");
            return;
        }
        ctx.ok();
    }

    /** DEBUG LOADAOF: see {@link io.ferrite.server.persistence.Persistence#reloadAof}. */
    private static void loadAof(CommandContext ctx) {
        if (ctx.server().persistence().aof() == null) {
            ctx.error("ERR DEBUG LOADAOF needs the append only file: appendonly is no");
            return;
        }
        Exception failure = offLoop("ferrite-loadaof", () -> ctx.server().persistence().reloadAof());
        if (failure != null) {
            LOG.error("DEBUG LOADAOF failed", failure);
            ctx.error("ERR Error loading the AOF: " + failure.getMessage());
            return;
        }
        ctx.ok();
    }

    /** A reload task that may wait for disk reads. */
    private interface Reload {
        void run() throws Exception;
    }

    /**
     * Runs {@code task} on a thread of its own (a load may wait for disk reads, which an event
     * loop must not), the event loop waiting for it, as Redis blocks; returns its failure.
     */
    private static Exception offLoop(String name, Reload task) {
        Exception[] failure = {null};
        Thread worker = Thread.ofPlatform().name(name).start(() -> {
            try {
                task.run();
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failure[0];
    }

    private static void sleep(CommandContext ctx) {
        if (ctx.argc() != 3) {
            ctx.error(Errors.arity("debug"));
            return;
        }
        double seconds = RedisNumbers.parseDouble(ctx.arg(2), 0, ctx.arg(2).byteSize());
        if (Double.isNaN(seconds) || seconds < 0) {
            seconds = 0;
        }
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ctx.ok();
    }

    private static void object(CommandContext ctx) {
        if (ctx.argc() != 3) {
            ctx.error(Errors.arity("debug"));
            return;
        }
        String encoding = ctx.store().keys().encoding(ctx.db(), ctx.arg(2));
        if (encoding == null) {
            ctx.error(Errors.NO_SUCH_KEY);
            return;
        }
        long[] length = {0};
        ctx.store().strings().get(ctx.db(), ctx.arg(2), (src, off, len) -> length[0] = len);
        long usage = ctx.store().keys().memoryUsage(ctx.db(), ctx.arg(2));
        long identity = ctx.store().keys().valueIdentity(ctx.db(), ctx.arg(2));
        ctx.out().simpleString("Value at:0x" + Long.toHexString(identity) + " refcount:" + KeyFamily.refcount(ctx, 2)
                + " encoding:" + encoding + " serializedlength:" + length[0] + " lru:0 lru_seconds_idle:0"
                + " ferrite-record-bytes:" + usage);
    }

    /** The digest of one key's value (with its expiry marker), into {@code digest}'s buffer. */
    private static boolean digestOf(CommandContext ctx, int db, MemorySegment key, ValueDigest digest) {
        digest.reset();
        if (ctx.store().keys().export(db, key, digest) != io.ferrite.core.api.Status.OK) {
            return false;
        }
        if (ctx.store().keys().expireAt(db, key) != KeyCommands.NO_EXPIRY) {
            digest.expires();
        }
        return true;
    }

    private static void digestValues(CommandContext ctx) {
        RespWriter out = ctx.out();
        out.arrayHeader(ctx.argc() - 2);
        ValueDigest digest = new ValueDigest();
        for (int i = 2; i < ctx.argc(); i++) {
            digestOf(ctx, ctx.db(), ctx.arg(i), digest);
            out.simpleString(ValueDigest.hex(digest.digest()));
        }
    }

    /**
     * DEBUG DIGEST as Redis's computeDatasetDigest: for each database with keys, its number is
     * mixed in; each key's digest (its name mixed, then its value, then the expiry marker) is
     * hashed and xored into the total, so the order of keys does not matter.
     */
    private static byte[] datasetDigest(CommandContext ctx) {
        byte[] total = new byte[20];
        ValueDigest digest = new ValueDigest();
        for (int db = 0; db < ctx.store().config().databases(); db++) {
            if (ctx.store().keys().dbSize(db) == 0) {
                continue;
            }
            byte[] number = {(byte) (db >>> 24), (byte) (db >>> 16), (byte) (db >>> 8), (byte) db};
            digest.mix(total, number, 0, 4);
            java.util.Map<String, byte[]> keys = new java.util.LinkedHashMap<>();
            long cursor = 0;
            do {
                // SCAN may visit a key twice while the index grows; a key must count once.
                cursor = ctx.store().keys().scan(db, cursor, 1000, null, (key, type) -> {
                    byte[] bytes = key.toArray(ValueLayout.JAVA_BYTE);
                    keys.putIfAbsent(java.util.HexFormat.of().formatHex(bytes), bytes);
                });
            } while (cursor != 0);
            for (byte[] key : keys.values()) {
                digest.reset();
                digest.mixKey(key);
                if (ctx.store().keys().export(db, MemorySegment.ofArray(key), digest) != io.ferrite.core.api.Status.OK) {
                    continue;
                }
                if (ctx.store().keys().expireAt(db, MemorySegment.ofArray(key)) != KeyCommands.NO_EXPIRY) {
                    digest.expires();
                }
                digest.xorInto(total);
            }
        }
        return total;
    }

    /** DEBUG HTSTATS-KEY: the shape of a table-encoded hash or set; an error for the small encodings, as in Redis. */
    private static void tableStats(CommandContext ctx) {
        if (ctx.argc() != 3) {
            ctx.error(Errors.arity("debug"));
            return;
        }
        String encoding = ctx.store().keys().encoding(ctx.db(), ctx.arg(2));
        if (encoding == null) {
            ctx.error(Errors.NO_SUCH_KEY);
            return;
        }
        ValueType type = ctx.store().keys().type(ctx.db(), ctx.arg(2));
        if (!encoding.equals("hashtable")) {
            ctx.error("ERR The value stored at the specified key is not represented using an hash table");
            return;
        }
        long[] count = {0};
        ctx.store().keys().export(ctx.db(), ctx.arg(2), new ValueExport() {
            @Override
            public void string(MemorySegment source, long offset, long length) {
            }

            @Override
            public void collection(ValueType t, String e, long n, int width) {
                count[0] = n;
            }

            @Override
            public void member(MemorySegment source, long offset, long length) {
            }

            @Override
            public void entry(MemorySegment f, long fo, long fl, MemorySegment v, long vo, long vl) {
            }
        });
        ctx.out().bulk("Ferrite " + type.redisName() + " stored as a table of chunks (linear hashing, no rehashing):\n"
                + " number of elements: " + count[0] + "\n");
    }
}
