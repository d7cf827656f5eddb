package io.ferrite.server.family;

import io.ferrite.core.types.KeyCommands;
import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.ExpireCondition;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.GlobMatcher;
import io.ferrite.core.strings.RedisNumbers;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.command.Errors;
import io.ferrite.server.config.Directives;
import io.ferrite.server.protocol.RespWriter;
import io.ferrite.server.protocol.SharedReply;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The generic key commands: DEL, EXISTS, TYPE, RENAME, COPY, MOVE, KEYS, SCAN, TTLs, OBJECT, WAIT. */
public final class KeyFamily {
    private static final byte[] DB = "DB".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLACE = "REPLACE".getBytes(StandardCharsets.US_ASCII);

    private KeyFamily() {}

    public static void register(CommandTable table) {
        table.register("del", KeyFamily::del)
                .register("unlink", KeyFamily::del)
                .register("exists", KeyFamily::exists)
                .register("touch", KeyFamily::exists)
                .register("type", ctx -> ctx.out().simpleString(ctx.store().keys().type(ctx.db(), ctx.arg(1)).redisName()))
                .register("rename", ctx -> rename(ctx, false))
                .register("renamenx", ctx -> rename(ctx, true))
                .register("copy", KeyFamily::copy)
                .register("move", KeyFamily::move)
                .register("keys", KeyFamily::keys)
                .register("scan", KeyFamily::scan)
                .register("randomkey", KeyFamily::randomKey)
                .register("expire", ctx -> expire(ctx, 1000, false))
                .register("pexpire", ctx -> expire(ctx, 1, false))
                .register("expireat", ctx -> expire(ctx, 1000, true))
                .register("pexpireat", ctx -> expire(ctx, 1, true))
                .register("ttl", ctx -> ttl(ctx, false, false))
                .register("pttl", ctx -> ttl(ctx, true, false))
                .register("expiretime", ctx -> ttl(ctx, false, true))
                .register("pexpiretime", ctx -> ttl(ctx, true, true))
                .register("persist", ctx -> ctx.out().reply(ctx.store().keys().persist(ctx.db(), ctx.arg(1)) == Status.OK ? SharedReply.ONE : SharedReply.ZERO))
                .register("object|encoding", KeyFamily::objectEncoding)
                .register("object|refcount", ctx -> objectExisting(ctx, () -> ctx.integer(refcount(ctx, 2))))
                .register("object|idletime", ctx -> objectExisting(ctx,
                        () -> ctx.error("ERR OBJECT IDLETIME is not supported: Ferrite does not track access times")))
                .register("object|freq", ctx -> objectExisting(ctx, () -> ctx.error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")))
                .register("object|help", ctx -> Help.write(ctx.out(), "OBJECT",
                        "ENCODING <key>", "    Return the kind of internal representation used in order to store the value",
                        "    associated with a <key>.",
                        "FREQ <key>", "    Return the access frequency index of the <key>. The returned integer is",
                        "    proportional to the logarithm of the recent access frequency of the key.",
                        "IDLETIME <key>", "    Return the idle time of the <key>, that is the approximated number of",
                        "    seconds elapsed since the last access to the key.",
                        "REFCOUNT <key>", "    Return the number of references of the value associated with the specified",
                        "    <key>."))
                .register("wait", KeyFamily::waitReplicas);
    }

    private static void del(CommandContext ctx) {
        long deleted = 0;
        for (int i = 1; i < ctx.argc(); i++) {
            if (ctx.store().keys().delete(ctx.db(), ctx.arg(i)) == Status.OK) {
                deleted++;
            }
        }
        ctx.integer(deleted);
    }

    private static void exists(CommandContext ctx) {
        long found = 0;
        for (int i = 1; i < ctx.argc(); i++) {
            if (ctx.store().keys().exists(ctx.db(), ctx.arg(i))) {
                found++;
            }
        }
        ctx.integer(found);
    }

    private static void rename(CommandContext ctx, boolean nx) {
        Status status = ctx.store().keys().rename(ctx.db(), ctx.arg(1), ctx.arg(2), nx);
        if (ctx.failed(status)) {
            return;
        }
        switch (status) {
            case NOT_FOUND -> ctx.error(Errors.NO_SUCH_KEY);
            case NOT_PERFORMED -> ctx.out().reply(SharedReply.ZERO);
            default -> {
                if (nx) {
                    ctx.out().reply(SharedReply.ONE);
                } else {
                    ctx.ok();
                }
            }
        }
    }

    private static void copy(CommandContext ctx) {
        int dstDb = ctx.db();
        boolean replace = false;
        for (int i = 3; i < ctx.argc(); i++) {
            if (ctx.argIs(i, REPLACE)) {
                replace = true;
            } else if (ctx.argIs(i, DB) && i + 1 < ctx.argc()) {
                if (!ctx.argLong(++i)) {
                    return;
                }
                long db = ctx.longValue();
                if (db < 0 || db >= ctx.store().config().databases()) {
                    ctx.error(Errors.DB_OUT_OF_RANGE);
                    return;
                }
                dstDb = (int) db;
            } else {
                ctx.syntaxError();
                return;
            }
        }
        Status status = ctx.store().keys().copy(ctx.db(), ctx.arg(1), dstDb, ctx.arg(2), replace);
        if (!ctx.failed(status)) {
            ctx.out().reply(status == Status.OK ? SharedReply.ONE : SharedReply.ZERO);
        }
    }

    private static void move(CommandContext ctx) {
        if (!ctx.argLong(2)) {
            return;
        }
        long db = ctx.longValue();
        if (db < 0 || db >= ctx.store().config().databases()) {
            ctx.error(Errors.DB_OUT_OF_RANGE);
            return;
        }
        if (db == ctx.db()) {
            ctx.error("ERR source and destination objects are the same");
            return;
        }
        Status status = ctx.store().keys().move(ctx.db(), ctx.arg(1), (int) db);
        if (!ctx.failed(status)) {
            ctx.out().reply(status == Status.OK ? SharedReply.ONE : SharedReply.ZERO);
        }
    }

    private static void keys(CommandContext ctx) {
        MemorySegment pattern = MemorySegment.ofArray(ctx.request().argBytes(1));
        List<byte[]> found = new ArrayList<>();
        FerriteStore store = ctx.store();
        boolean all = GlobMatcher.isMatchAll(pattern, 0, pattern.byteSize());
        long cursor = 0;
        do {
            cursor = store.keys().scan(ctx.db(), cursor, 1000, null, (key, type) -> {
                if (all || GlobMatcher.matches(pattern, 0, pattern.byteSize(), key, 0, key.byteSize(), false)) {
                    found.add(key.toArray(ValueLayout.JAVA_BYTE));
                }
            });
        } while (cursor != 0);
        RespWriter out = ctx.out();
        out.arrayHeader(found.size());
        for (byte[] key : found) {
            out.bulk(key);
        }
    }

    private static void scan(CommandContext ctx) {
        Long cursor = ScanOptions.cursor(ctx, 1);
        if (cursor == null) {
            return;
        }
        ScanOptions options = new ScanOptions();
        if (!options.parse(ctx, 2, true)) {
            return;
        }
        ValueType type = options.type == null ? null : typeByName(options.type);
        List<byte[]> found = new ArrayList<>();
        long next;
        if (options.type != null && type == null) {
            next = ctx.store().keys().scan(ctx.db(), cursor, options.count, null, (key, t) -> { });
        } else {
            next = ctx.store().keys().scan(ctx.db(), cursor, options.count, type, (key, t) -> {
                if (options.matches(key, 0, key.byteSize())) {
                    found.add(key.toArray(ValueLayout.JAVA_BYTE));
                }
            });
        }
        RespWriter out = ctx.out();
        out.arrayHeader(2);
        out.bulk(Long.toUnsignedString(next));
        out.arrayHeader(found.size());
        for (byte[] key : found) {
            out.bulk(key);
        }
    }

    private static ValueType typeByName(String name) {
        for (ValueType type : ValueType.values()) {
            if (type != ValueType.NONE && type.redisName().equalsIgnoreCase(name)) {
                return type;
            }
        }
        return null;
    }

    private static void randomKey(CommandContext ctx) {
        byte[][] key = new byte[1][];
        if (ctx.store().keys().randomKey(ctx.db(), (k, t) -> key[0] = k.toArray(ValueLayout.JAVA_BYTE))) {
            ctx.out().bulk(key[0]);
        } else {
            ctx.out().nullBulk();
        }
    }

    private static void expire(CommandContext ctx, long unitMillis, boolean absolute) {
        String name = ctx.spec().fullName();
        ExpireCondition condition = ExpireCondition.ALWAYS;
        boolean nx = false, xx = false, gt = false, lt = false;
        for (int i = 3; i < ctx.argc(); i++) {
            switch (ctx.argString(i).toUpperCase(Locale.ROOT)) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "GT" -> gt = true;
                case "LT" -> lt = true;
                default -> {
                    ctx.error("ERR Unsupported option " + ctx.argString(i));
                    return;
                }
            }
        }
        if (nx && (xx || gt || lt)) {
            ctx.error("ERR NX and XX, GT or LT options at the same time are not compatible");
            return;
        }
        if (gt && lt) {
            ctx.error("ERR GT and LT options at the same time are not compatible");
            return;
        }
        // Redis checks the options before the time.
        if (!ctx.argLong(2)) {
            return;
        }
        long amount = ctx.longValue();
        // XX combines with GT (which implies it) and LT, as in Redis.
        condition = nx ? ExpireCondition.NX : gt ? ExpireCondition.GT : lt && xx ? ExpireCondition.XX_LT
                : lt ? ExpireCondition.LT : xx ? ExpireCondition.XX : condition;
        long base = absolute ? 0 : ctx.startedMillis();
        long when;
        try {
            when = Math.addExact(Math.multiplyExact(amount, unitMillis), base);
        } catch (ArithmeticException e) {
            ctx.error(String.format(Errors.INVALID_EXPIRE, name));
            return;
        }
        if (amount > Long.MAX_VALUE / unitMillis || amount < Long.MIN_VALUE / unitMillis) {
            ctx.error(String.format(Errors.INVALID_EXPIRE, name));
            return;
        }
        // A time that is now or in the past deletes the key; clamp so the engine sees "past".
        Status status = ctx.store().keys().expire(ctx.db(), ctx.arg(1), Math.max(when, 1), condition);
        ctx.out().reply(status == Status.OK ? SharedReply.ONE : SharedReply.ZERO);
    }

    private static void ttl(CommandContext ctx, boolean millis, boolean absolute) {
        long at = ctx.store().keys().expireAt(ctx.db(), ctx.arg(1));
        if (at == KeyCommands.NO_KEY) {
            ctx.out().reply(SharedReply.MINUS_TWO);
            return;
        }
        if (at == KeyCommands.NO_EXPIRY) {
            ctx.out().reply(SharedReply.MINUS_ONE);
            return;
        }
        if (absolute) {
            ctx.integer(millis ? at : at / 1000);
            return;
        }
        long remaining = Math.max(0, at - System.currentTimeMillis());
        ctx.integer(millis ? remaining : (remaining + 500) / 1000);
    }

    /** Redis's OBJ_SHARED_INTEGERS and OBJ_SHARED_REFCOUNT. */
    private static final long SHARED_INTEGERS = 10_000;
    private static final long SHARED_REFCOUNT = Integer.MAX_VALUE;

    /**
     * OBJECT REFCOUNT of the key named by argument {@code arg}, as Redis reports it: integers
     * 0-9999 are Redis's shared objects (unless an LRU or LFU policy needs one object per key),
     * every other value has one reference.
     */
    static long refcount(CommandContext ctx, int arg) {
        if (!"int".equals(ctx.store().keys().encoding(ctx.db(), ctx.arg(arg)))) {
            return 1;
        }
        String policy = ctx.server().config().get(Directives.MAXMEMORY_POLICY);
        if (policy.contains("lru") || policy.contains("lfu")) {
            return 1;
        }
        long[] value = {-1};
        ctx.store().strings().get(ctx.db(), ctx.arg(arg), (src, off, len) ->
                value[0] = RedisNumbers.parseLong(src, off, len));
        return value[0] >= 0 && value[0] < SHARED_INTEGERS ? SHARED_REFCOUNT : 1;
    }

    private static void objectExisting(CommandContext ctx, Runnable reply) {
        if (ctx.store().keys().exists(ctx.db(), ctx.arg(2))) {
            reply.run();
        } else {
            ctx.out().nullBulk();
        }
    }

    private static void objectEncoding(CommandContext ctx) {
        String encoding = ctx.store().keys().encoding(ctx.db(), ctx.arg(2));
        if (encoding == null) {
            ctx.out().nullBulk();
        } else {
            ctx.out().bulk(encoding);
        }
    }

    private static void waitReplicas(CommandContext ctx) {
        if (!ctx.argLong(1)) {
            return;
        }
        if (!ctx.request().argLong(2)) {
            ctx.error("ERR timeout is not an integer or out of range");
            return;
        }
        if (ctx.request().longValue() < 0) {
            ctx.error("ERR timeout is negative");
            return;
        }
        ctx.integer(0); // no replicas exist yet: nothing to wait for
    }
}
