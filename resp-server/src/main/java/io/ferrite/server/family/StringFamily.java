package io.ferrite.server.family;

import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.api.ExpireMode;
import io.ferrite.core.strings.Lcs;
import io.ferrite.core.strings.RangeMath;
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
    private static final byte[] IFEQ = ascii("IFEQ");
    private static final byte[] IFNE = ascii("IFNE");
    private static final byte[] IFDEQ = ascii("IFDEQ");
    private static final byte[] IFDNE = ascii("IFDNE");
    /** GETEX's PERSIST and the expiry options in {@link #parseOptions}' result (beside the StringCommands flags). */
    private static final int PERSIST_FLAG = 1 << 8;
    private static final int EX_FLAG = 1 << 9;
    private static final int PX_FLAG = 1 << 10;
    private static final int EXAT_FLAG = 1 << 11;
    private static final int PXAT_FLAG = 1 << 12;
    private static final int EXPIRY_FLAGS = EX_FLAG | PX_FLAG | EXAT_FLAG | PXAT_FLAG;
    /** SET's IFEQ / IFNE conditions (Redis 8.4; the comparison's index is in bits 16-31 of the result). */
    private static final int IFEQ_FLAG = 1 << 13;
    private static final int IFNE_FLAG = 1 << 14;
    private static final int CONDITION_FLAGS = IFEQ_FLAG | IFNE_FLAG;
    static final String DIGESTS_NOT_SUPPORTED =
            "ERR IFDEQ and IFDNE (digest comparisons) are not supported; compare the value with IFEQ or IFNE";

    private StringFamily() {}

    public static void register(CommandTable table) {
        table.register("get", StringFamily::get)
                .register("set", StringFamily::set)
                .register("delex", StringFamily::delex)
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
        long options = parseOptions(ctx, true);
        if (options == DIGEST_OPTION) {
            ctx.error(DIGESTS_NOT_SUPPORTED);
            return;
        }
        if (options < 0) {
            ctx.syntaxError();
            return;
        }
        int flags = (int) options & (StringCommands.NX | StringCommands.XX | StringCommands.GET | StringCommands.KEEPTTL);
        int expireIndex = (int) (options >>> 32);
        long expireAt = 0;
        if (expireIndex > 0) {
            expireAt = expireAtFrom(ctx, expireIndex - 1, expireIndex);
            if (expireAt < 0) {
                return;
            }
        }
        boolean get = (flags & StringCommands.GET) != 0;
        ctx.sinkCalled = false;
        Status status;
        if (((int) options & CONDITION_FLAGS) != 0) {
            ExpireMode mode = expireAt != 0 ? ExpireMode.SET
                    : (flags & StringCommands.KEEPTTL) != 0 ? ExpireMode.KEEP : ExpireMode.CLEAR;
            int comparison = (int) (options >>> 16) & 0xFFFF;
            status = ctx.store().strings().writeIf(ctx.db(), ctx.arg(1), ((int) options & IFEQ_FLAG) != 0,
                    ctx.arg(comparison), ctx.arg(2), mode, expireAt, get ? ctx.bulkSink : null);
        } else {
            status = ctx.store().strings().set(ctx.db(), ctx.arg(1), ctx.arg(2), flags, expireAt, get ? ctx.bulkSink : null);
        }
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
     * DELEX key [IFEQ value | IFNE value] (Redis 8.4, Valkey 9.2): DEL of one key, or only if
     * its string value equals (IFEQ) or differs from (IFNE) the given one, in one step.
     */
    private static void delex(CommandContext ctx) {
        if (ctx.argc() == 2) {
            ctx.integer(ctx.store().keys().delete(ctx.db(), ctx.arg(1)) == Status.OK ? 1 : 0);
            return;
        }
        if (ctx.argc() == 4 && (ctx.argIs(2, IFDEQ) || ctx.argIs(2, IFDNE))) {
            ctx.error(DIGESTS_NOT_SUPPORTED);
            return;
        }
        if (ctx.argc() != 4 || !(ctx.argIs(2, IFEQ) || ctx.argIs(2, IFNE))) {
            ctx.syntaxError();
            return;
        }
        Status status = ctx.store().strings().writeIf(ctx.db(), ctx.arg(1), ctx.argIs(2, IFEQ), ctx.arg(3),
                null, ExpireMode.KEEP, 0, null);
        if (!ctx.failed(status)) {
            ctx.integer(status == Status.OK ? 1 : 0);
        }
    }

    /**
     * Redis's parseExtendedStringArgumentsOrReply for SET ({@code set}) and GETEX: the options
     * only, as Redis checks them (an option may repeat, the last value wins; conflicting ones
     * are a syntax error). The expiry value is not validated here: Redis does that later (and
     * GETEX only after finding the key). Returns the {@link StringCommands} flags (plus
     * {@link #PERSIST_FLAG}) with the index of the expiry value in the upper 32 bits (0 for
     * none) and SET's IFEQ/IFNE comparison index in bits 16-31, -1 for a syntax error, or
     * {@link #DIGEST_OPTION} for the digest conditions Ferrite does not support.
     */
    private static long parseOptions(CommandContext ctx, boolean set) {
        int flags = 0;
        int expireIndex = 0;
        for (int i = set ? 3 : 2; i < ctx.argc(); i++) {
            boolean more = i + 1 < ctx.argc();
            int expiry = ctx.argIs(i, EX) ? EX_FLAG : ctx.argIs(i, PX) ? PX_FLAG
                    : ctx.argIs(i, EXAT) ? EXAT_FLAG : ctx.argIs(i, PXAT) ? PXAT_FLAG : 0;
            int condition = !set || !more ? 0 : ctx.argIs(i, IFEQ) ? IFEQ_FLAG : ctx.argIs(i, IFNE) ? IFNE_FLAG : 0;
            if (set && ctx.argIs(i, NX) && (flags & (StringCommands.XX | CONDITION_FLAGS)) == 0) {
                flags |= StringCommands.NX;
            } else if (set && ctx.argIs(i, XX) && (flags & (StringCommands.NX | CONDITION_FLAGS)) == 0) {
                flags |= StringCommands.XX;
            } else if (condition != 0 && i + 1 <= 0xFFFF
                    && (flags & (StringCommands.NX | StringCommands.XX | (CONDITION_FLAGS & ~condition))) == 0) {
                flags = (flags & 0xFFFF) | condition | (++i << 16);
            } else if (set && more && (ctx.argIs(i, IFDEQ) || ctx.argIs(i, IFDNE))) {
                return DIGEST_OPTION;
            } else if (set && ctx.argIs(i, GET)) {
                flags |= StringCommands.GET;
            } else if (set && ctx.argIs(i, KEEPTTL) && (flags & EXPIRY_FLAGS) == 0) {
                flags |= StringCommands.KEEPTTL;
            } else if (!set && ctx.argIs(i, PERSIST) && (flags & EXPIRY_FLAGS) == 0) {
                flags |= PERSIST_FLAG;
            } else if (expiry != 0 && more
                    && (flags & (StringCommands.KEEPTTL | PERSIST_FLAG | (EXPIRY_FLAGS & ~expiry))) == 0) {
                flags |= expiry;
                expireIndex = ++i;
            } else {
                return -1;
            }
        }
        return ((long) expireIndex << 32) | (flags & 0xFFFFFFFFL);
    }

    /** {@link #parseOptions}' answer for SET ... IFDEQ / IFDNE. */
    private static final long DIGEST_OPTION = -2;

    /**
     * Reads the expiry option at {@code optionIndex} (EX/PX/EXAT/PXAT) with its value and
     * returns the absolute expire time in ms; writes the error and returns -1 when invalid.
     */
    static long expireAtFrom(CommandContext ctx, int optionIndex, int valueIndex) {
        long at = expireAt(ctx, optionIndex, valueIndex);
        if (at == -1) {
            ctx.error(Errors.NOT_INTEGER);
        } else if (at == -2) {
            ctx.error(String.format(Errors.INVALID_EXPIRE, ctx.spec().fullName()));
        }
        return at < 0 ? -1 : at;
    }

    /**
     * The absolute expire time in ms of the expiry option at {@code optionIndex} with its
     * value, writing nothing: -1 when the value is not an integer, -2 when it is not a valid
     * time (Redis's getExpireMillisecondsOrReply).
     */
    private static long expireAt(CommandContext ctx, int optionIndex, int valueIndex) {
        if (!ctx.request().argLong(valueIndex)) {
            return -1;
        }
        long value = ctx.longValue();
        String option = ctx.argString(optionIndex).toUpperCase(Locale.ROOT);
        boolean seconds = option.equals("EX") || option.equals("EXAT");
        boolean relative = option.equals("EX") || option.equals("PX");
        if (value <= 0 || (seconds && value > Long.MAX_VALUE / 1000)) {
            return -2;
        }
        long millis = seconds ? value * 1000 : value;
        if (relative) {
            long now = ctx.startedMillis();
            if (millis > Long.MAX_VALUE - now) {
                return -2;
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
        if (ttl <= 0 || ttl > Long.MAX_VALUE / unit || ttl * unit > Long.MAX_VALUE - ctx.startedMillis()) {
            ctx.error(String.format(Errors.INVALID_EXPIRE, ctx.spec().fullName()));
            return;
        }
        Status status = ctx.store().strings().set(ctx.db(), ctx.arg(1), ctx.arg(3), 0,
                ctx.startedMillis() + ttl * unit, null);
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
        long options = parseOptions(ctx, false);
        if (options < 0) {
            ctx.syntaxError();
            return;
        }
        int expireIndex = (int) (options >>> 32);
        ExpireMode mode = expireIndex > 0 ? ExpireMode.SET : (options & PERSIST_FLAG) != 0 ? ExpireMode.CLEAR : ExpireMode.KEEP;
        long expireAt = 0;
        if (expireIndex > 0) {
            expireAt = expireAt(ctx, expireIndex - 1, expireIndex);
            if (expireAt < 0) {
                // Redis validates the time only once it found the key.
                ValueType type = ctx.store().keys().type(ctx.db(), ctx.arg(1));
                if (type == ValueType.NONE) {
                    ctx.hit(false);
                    ctx.out().nullBulk();
                } else if (type != ValueType.STRING) {
                    ctx.out().reply(SharedReply.WRONG_TYPE);
                } else {
                    expireAtFrom(ctx, expireIndex - 1, expireIndex);
                }
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
        long max = ctx.server().config().get(Directives.PROTO_MAX_BULK_LEN);
        if (max < ctx.store().config().maxValueSize()) {
            // proto-max-bulk-len was lowered at run time: the engine only knows its own limit.
            Status status = ctx.store().strings().strlen(ctx.db(), ctx.arg(1), ctx.number);
            if (status == Status.OK && ctx.number.value > 0
                    && RangeMath.exceedsMaxSize(ctx.number.value, ctx.request().argLength(2), max)) {
                ctx.error(Errors.STRING_TOO_LONG);
                return;
            }
        }
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
        if (ctx.request().argLength(3) > 0 && RangeMath.exceedsMaxSize(offset, ctx.request().argLength(3), max)) {
            // Redis checks the size first, but only when the key exists or would be created.
            ValueType type = ctx.store().keys().type(ctx.db(), ctx.arg(1));
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
        java.util.List<byte[]> result = ctx.captureList();
        Status status = ctx.store().strings().incrByFloat(ctx.db(), ctx.arg(1), ctx.arg(2), ctx.capturing(ctx.bulkSink, result));
        if (!ctx.failed(status) && result != null && !result.isEmpty()) {
            // Logged as the value it produced: replaying float arithmetic on text could differ.
            ctx.logAs(bytes("SET"), ctx.request().argBytes(1), result.getFirst(), bytes("KEEPTTL"));
        }
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
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
        Status status = ctx.store().strings().get(ctx.db(), ctx.arg(i),
                (src, off, len) -> value[0] = src.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE));
        return status == Status.WRONG_TYPE ? null : value[0];
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
