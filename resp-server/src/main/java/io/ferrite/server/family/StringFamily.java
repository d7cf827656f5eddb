package io.ferrite.server.family;

import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.shard.ExpireMode;
import io.ferrite.core.strings.Lcs;
import io.ferrite.core.types.StringCommands;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.command.Errors;
import io.ferrite.server.config.Directives;
import io.ferrite.server.protocol.RespWriter;
import io.ferrite.server.protocol.SharedReply;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The string commands (bit operations live in {@link BitFamily}). */
public final class StringFamily {
    private static final byte[] NX = ascii("NX");
    private static final byte[] XX = ascii("XX");
    private static final byte[] GET = ascii("GET");
    private static final byte[] KEEPTTL = ascii("KEEPTTL");
    private static final byte[] EX = ascii("EX");
    private static final byte[] PX = ascii("PX");
    private static final byte[] EXAT = ascii("EXAT");
    private static final byte[] PXAT = ascii("PXAT");
    private static final byte[] PERSIST = ascii("PERSIST");

    private StringFamily() {}

    public static void register(CommandTable table) {
        table.register("get", StringFamily::get)
                .register("set", StringFamily::set)
                .register("setnx", ctx -> setSimple(ctx, StringCommands.NX, 0, true))
                .register("setex", ctx -> setWithTtl(ctx, 1000))
                .register("psetex", ctx -> setWithTtl(ctx, 1))
                .register("getset", StringFamily::getSet)
                .register("getdel", StringFamily::getDel)
                .register("getex", StringFamily::getEx)
                .register("mget", StringFamily::mget)
                .register("mset", ctx -> mset(ctx, false))
                .register("msetnx", ctx -> mset(ctx, true))
                .register("append", StringFamily::append)
                .register("strlen", StringFamily::strlen)
                .register("getrange", StringFamily::getRange)
                .register("substr", StringFamily::getRange)
                .register("setrange", StringFamily::setRange)
                .register("incr", ctx -> incrBy(ctx, 1))
                .register("decr", ctx -> incrBy(ctx, -1))
                .register("incrby", StringFamily::incrByArg)
                .register("decrby", StringFamily::decrByArg)
                .register("incrbyfloat", StringFamily::incrByFloat)
                .register("lcs", StringFamily::lcs);
    }

    private static void get(CommandContext ctx) {
        Status status = ctx.store().strings().get(ctx.db(), ctx.arg(1), ctx.bulkSink);
        ctx.hit(status == Status.OK);
        if (status == Status.NOT_FOUND) {
            ctx.out().nullBulk();
        } else {
            ctx.failed(status);
        }
    }

    private static void set(CommandContext ctx) {
        int flags = 0;
        long expireAt = 0;
        boolean expirySet = false;
        for (int i = 3; i < ctx.argc(); i++) {
            boolean more = i + 1 < ctx.argc();
            if (ctx.argIs(i, NX) && (flags & StringCommands.XX) == 0) {
                flags |= StringCommands.NX;
            } else if (ctx.argIs(i, XX) && (flags & StringCommands.NX) == 0) {
                flags |= StringCommands.XX;
            } else if (ctx.argIs(i, GET)) {
                flags |= StringCommands.GET;
            } else if (ctx.argIs(i, KEEPTTL) && !expirySet) {
                flags |= StringCommands.KEEPTTL;
            } else if (more && !expirySet && (flags & StringCommands.KEEPTTL) == 0
                    && (ctx.argIs(i, EX) || ctx.argIs(i, PX) || ctx.argIs(i, EXAT) || ctx.argIs(i, PXAT))) {
                expireAt = expireAtFrom(ctx, i, i + 1);
                if (expireAt < 0) {
                    return;
                }
                expirySet = true;
                i++;
            } else {
                ctx.syntaxError();
                return;
            }
        }
        boolean get = (flags & StringCommands.GET) != 0;
        ctx.sinkCalled = false;
        Status status = ctx.store().strings().set(ctx.db(), ctx.arg(1), ctx.arg(2), flags, expireAt, get ? ctx.bulkSink : null);
        if (ctx.failed(status)) {
            return;
        }
        if (get) {
            if (!ctx.sinkCalled) {
                ctx.out().nullBulk();
            }
        } else if (status == Status.OK) {
            ctx.ok();
        } else {
            ctx.out().nullBulk();
        }
    }

    /**
     * Reads the expiry option at {@code optionIndex} (EX/PX/EXAT/PXAT) with its value and
     * returns the absolute expire time in ms; writes the error and returns -1 when invalid.
     */
    static long expireAtFrom(CommandContext ctx, int optionIndex, int valueIndex) {
        if (!ctx.argLong(valueIndex)) {
            return -1;
        }
        long value = ctx.longValue();
        String option = ctx.argString(optionIndex).toUpperCase(Locale.ROOT);
        boolean seconds = option.equals("EX") || option.equals("EXAT");
        boolean relative = option.equals("EX") || option.equals("PX");
        String invalid = String.format(Errors.INVALID_EXPIRE, ctx.spec().fullName());
        if (value <= 0 || (seconds && value > Long.MAX_VALUE / 1000)) {
            ctx.error(invalid);
            return -1;
        }
        long millis = seconds ? value * 1000 : value;
        if (relative) {
            long now = System.currentTimeMillis();
            if (millis > Long.MAX_VALUE - now) {
                ctx.error(invalid);
                return -1;
            }
            millis += now;
        }
        return millis;
    }

    private static void setSimple(CommandContext ctx, int flags, long expireAt, boolean integerReply) {
        Status status = ctx.store().strings().set(ctx.db(), ctx.arg(1), ctx.arg(2), flags, expireAt, null);
        if (ctx.failed(status)) {
            return;
        }
        if (integerReply) {
            ctx.out().reply(status == Status.OK ? SharedReply.ONE : SharedReply.ZERO);
        } else {
            ctx.ok();
        }
    }

    private static void setWithTtl(CommandContext ctx, long unit) {
        if (!ctx.argLong(2)) {
            return;
        }
        long ttl = ctx.longValue();
        if (ttl <= 0 || ttl > Long.MAX_VALUE / unit || ttl * unit > Long.MAX_VALUE - System.currentTimeMillis()) {
            ctx.error(String.format(Errors.INVALID_EXPIRE, ctx.spec().fullName()));
            return;
        }
        Status status = ctx.store().strings().set(ctx.db(), ctx.arg(1), ctx.arg(3), 0,
                System.currentTimeMillis() + ttl * unit, null);
        if (!ctx.failed(status)) {
            ctx.ok();
        }
    }

    private static void getSet(CommandContext ctx) {
        ctx.sinkCalled = false;
        Status status = ctx.store().strings().set(ctx.db(), ctx.arg(1), ctx.arg(2), StringCommands.GET, 0, ctx.bulkSink);
        if (!ctx.failed(status) && !ctx.sinkCalled) {
            ctx.out().nullBulk();
        }
    }

    private static void getDel(CommandContext ctx) {
        Status status = ctx.store().strings().getDel(ctx.db(), ctx.arg(1), ctx.bulkSink);
        ctx.hit(status == Status.OK);
        if (status == Status.NOT_FOUND) {
            ctx.out().nullBulk();
        } else {
            ctx.failed(status);
        }
    }

    private static void getEx(CommandContext ctx) {
        ExpireMode mode = ExpireMode.KEEP;
        long expireAt = 0;
        for (int i = 2; i < ctx.argc(); i++) {
            boolean more = i + 1 < ctx.argc();
            if (mode == ExpireMode.KEEP && more && (ctx.argIs(i, EX) || ctx.argIs(i, PX) || ctx.argIs(i, EXAT) || ctx.argIs(i, PXAT))) {
                expireAt = expireAtFrom(ctx, i, i + 1);
                if (expireAt < 0) {
                    return;
                }
                mode = ExpireMode.SET;
                i++;
            } else if (mode == ExpireMode.KEEP && ctx.argIs(i, PERSIST)) {
                mode = ExpireMode.CLEAR;
            } else {
                ctx.syntaxError();
                return;
            }
        }
        Status status = ctx.store().strings().getEx(ctx.db(), ctx.arg(1), mode, expireAt, ctx.bulkSink);
        ctx.hit(status == Status.OK);
        if (status == Status.NOT_FOUND) {
            ctx.out().nullBulk();
        } else {
            ctx.failed(status);
        }
    }

    private static void mget(CommandContext ctx) {
        RespWriter out = ctx.out();
        out.arrayHeader(ctx.argc() - 1);
        for (int i = 1; i < ctx.argc(); i++) {
            Status status = ctx.store().strings().get(ctx.db(), ctx.arg(i), ctx.bulkSink);
            ctx.hit(status == Status.OK);
            if (status != Status.OK) {
                out.nullBulk();
            }
        }
    }

    private static void mset(CommandContext ctx, boolean nx) {
        if (ctx.argc() % 2 != 1) {
            ctx.error(Errors.arity(ctx.spec().fullName()));
            return;
        }
        int pairs = (ctx.argc() - 1) / 2;
        MemorySegment[] keys = new MemorySegment[pairs];
        MemorySegment[] values = new MemorySegment[pairs];
        for (int i = 0; i < pairs; i++) {
            keys[i] = ctx.arg(1 + 2 * i);
            values[i] = ctx.arg(2 + 2 * i);
        }
        Status status = ctx.store().strings().multiSet(ctx.db(), keys, values, pairs, nx);
        if (ctx.failed(status)) {
            return;
        }
        if (nx) {
            ctx.out().reply(status == Status.OK ? SharedReply.ONE : SharedReply.ZERO);
        } else {
            ctx.ok();
        }
    }

    private static void append(CommandContext ctx) {
        Status status = ctx.store().strings().append(ctx.db(), ctx.arg(1), ctx.arg(2), ctx.number);
        if (!ctx.failed(status)) {
            ctx.integer(ctx.number.value);
        }
    }

    private static void strlen(CommandContext ctx) {
        Status status = ctx.store().strings().strlen(ctx.db(), ctx.arg(1), ctx.number);
        if (!ctx.failed(status)) {
            ctx.integer(ctx.number.value);
        }
    }

    private static void getRange(CommandContext ctx) {
        if (!ctx.argLong(2)) {
            return;
        }
        long start = ctx.longValue();
        if (!ctx.argLong(3)) {
            return;
        }
        long end = ctx.longValue();
        Status status = ctx.store().strings().getRange(ctx.db(), ctx.arg(1), start, end, ctx.bulkSink);
        if (status == Status.NOT_FOUND) {
            ctx.out().reply(SharedReply.EMPTY_BULK);
        } else {
            ctx.failed(status);
        }
    }

    private static void setRange(CommandContext ctx) {
        if (!ctx.argLong(2)) {
            return;
        }
        long offset = ctx.longValue();
        if (offset < 0) {
            ctx.error(Errors.OFFSET_OUT_OF_RANGE);
            return;
        }
        long max = Math.min(ctx.store().config().maxValueSize(), ctx.server().config().get(Directives.PROTO_MAX_BULK_LEN));
        if (ctx.request().argLength(3) > 0 && offset + ctx.request().argLength(3) > max) {
            // Redis checks the size first, but only when the key exists or would be created.
            ValueType type = ctx.store().type(ctx.db(), ctx.arg(1));
            if (type != ValueType.NONE && type != ValueType.STRING) {
                ctx.out().reply(SharedReply.WRONG_TYPE);
            } else {
                ctx.error(Errors.STRING_TOO_LONG);
            }
            return;
        }
        Status status = ctx.store().strings().setRange(ctx.db(), ctx.arg(1), offset, ctx.arg(3), ctx.number);
        if (!ctx.failed(status)) {
            ctx.integer(ctx.number.value);
        }
    }

    private static void incrBy(CommandContext ctx, long delta) {
        Status status = ctx.store().strings().incrBy(ctx.db(), ctx.arg(1), delta, ctx.number);
        if (!ctx.failed(status)) {
            ctx.integer(ctx.number.value);
        }
    }

    private static void incrByArg(CommandContext ctx) {
        if (ctx.argLong(2)) {
            incrBy(ctx, ctx.longValue());
        }
    }

    private static void decrByArg(CommandContext ctx) {
        if (!ctx.argLong(2)) {
            return;
        }
        if (ctx.longValue() == Long.MIN_VALUE) {
            ctx.error("ERR decrement would overflow");
            return;
        }
        incrBy(ctx, -ctx.longValue());
    }

    private static void incrByFloat(CommandContext ctx) {
        Status status = ctx.store().strings().incrByFloat(ctx.db(), ctx.arg(1), ctx.arg(2), ctx.bulkSink);
        ctx.failed(status);
    }

    private static void lcs(CommandContext ctx) {
        boolean len = false;
        boolean idx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int i = 3; i < ctx.argc(); i++) {
            String option = ctx.argString(i).toUpperCase(Locale.ROOT);
            switch (option) {
                case "LEN" -> len = true;
                case "IDX" -> idx = true;
                case "WITHMATCHLEN" -> withMatchLen = true;
                case "MINMATCHLEN" -> {
                    if (i + 1 >= ctx.argc()) {
                        ctx.syntaxError();
                        return;
                    }
                    if (!ctx.argLong(++i)) {
                        return;
                    }
                    minMatchLen = Math.max(0, ctx.longValue());
                }
                default -> {
                    ctx.syntaxError();
                    return;
                }
            }
        }
        byte[] a = readString(ctx, 1);
        byte[] b = readString(ctx, 2);
        if (a == null || b == null) {
            ctx.error("ERR The specified keys must contain string values");
            return;
        }
        if (len && idx) {
            ctx.error("ERR " + Lcs.ERR_LEN_AND_IDX);
            return;
        }
        String limit = Lcs.checkLimits(a.length, b.length, ctx.server().config().get(Directives.PROTO_MAX_BULK_LEN));
        if (limit != null) {
            ctx.error("ERR " + limit);
            return;
        }
        Lcs.Result result = Lcs.compute(a, b, !len && !idx, idx, minMatchLen);
        RespWriter out = ctx.out();
        if (len) {
            out.integer(result.length());
        } else if (!idx) {
            out.bulk(result.string());
        } else {
            out.mapHeader(2);
            out.bulk("matches");
            out.arrayHeader(result.matchCount());
            for (int i = 0; i < result.matchCount(); i++) {
                out.arrayHeader(withMatchLen ? 3 : 2);
                out.arrayHeader(2).integer(result.aStart(i)).integer(result.aEnd(i));
                out.arrayHeader(2).integer(result.bStart(i)).integer(result.bEnd(i));
                if (withMatchLen) {
                    out.integer(result.matchLen(i));
                }
            }
            out.bulk("len");
            out.integer(result.length());
        }
    }

    /** The string at argument {@code i} as bytes (empty when missing), or null for another type. */
    static byte[] readString(CommandContext ctx, int i) {
        byte[][] value = {new byte[0]};
        Status status = ctx.store().read(ctx.db(), ctx.arg(i), ValueType.STRING,
                (src, off, len) -> value[0] = src.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE));
        return status == Status.WRONG_TYPE ? null : value[0];
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
