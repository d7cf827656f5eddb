package io.ferrite.server.family;

import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.LongParse;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.protocol.RespWriter;
import io.ferrite.server.protocol.SharedReply;
import java.lang.foreign.MemorySegment;

/**
 * The set commands, with Redis 7.0's argument checks in Redis's order, its error texts and its
 * reply types (SMEMBERS, SPOP with a count and the set algebra are RESP3 sets; SRANDMEMBER with
 * a count and SMISMEMBER stay arrays).
 */
public final class SetFamily {
    private static final byte[] LIMIT = "LIMIT".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";

    /** The set algebra commands that read (SINTER, SUNION, SDIFF). */
    private enum Combine { INTER, UNION, DIFF }

    private SetFamily() {}

    public static void register(CommandTable table) {
        table.register("sadd", ctx -> integer(ctx, ctx.store().sets().add(ctx.db(), ctx.arg(1), ctx.args(2, ctx.argc() - 2), 0, ctx.argc() - 2, ctx.number)))
                .register("srem", ctx -> integer(ctx, ctx.store().sets().remove(ctx.db(), ctx.arg(1), ctx.args(2, ctx.argc() - 2), 0, ctx.argc() - 2, ctx.number)))
                .register("smembers", SetFamily::members)
                .register("sismember", ctx -> integer(ctx, ctx.store().sets().contains(ctx.db(), ctx.arg(1), ctx.arg(2), ctx.number)))
                .register("smismember", SetFamily::containsMany)
                .register("scard", ctx -> integer(ctx, ctx.store().sets().size(ctx.db(), ctx.arg(1), ctx.number)))
                .register("spop", SetFamily::pop)
                .register("srandmember", SetFamily::randomMember)
                .register("smove", ctx -> integer(ctx, ctx.store().sets().move(ctx.db(), ctx.arg(1), ctx.arg(2), ctx.arg(3), ctx.number)))
                .register("sinter", ctx -> combine(ctx, Combine.INTER))
                .register("sunion", ctx -> combine(ctx, Combine.UNION))
                .register("sdiff", ctx -> combine(ctx, Combine.DIFF))
                .register("sintercard", SetFamily::interCard)
                .register("sinterstore", ctx -> store(ctx, Combine.INTER))
                .register("sunionstore", ctx -> store(ctx, Combine.UNION))
                .register("sdiffstore", ctx -> store(ctx, Combine.DIFF))
                .register("sscan", SetFamily::scan);
    }

    private static void integer(CommandContext ctx, Status status) {
        if (!ctx.failed(status)) {
            ctx.integer(ctx.number.value);
        }
    }

    private static ValueSink bulks(RespWriter out) {
        return (src, off, len) -> out.bulk(src, off, (int) len);
    }

    private static void members(CommandContext ctx) {
        RespWriter out = ctx.out();
        int mark = out.mark();
        Status status = ctx.store().sets().members(ctx.db(), ctx.arg(1), bulks(out), ctx.number);
        ctx.endDeferred(mark, status, RespWriter.Aggregate.SET, ctx.number.value);
    }

    private static void containsMany(CommandContext ctx) {
        int n = ctx.argc() - 2;
        boolean[] found = new boolean[n];
        Status status = ctx.store().sets().containsMany(ctx.db(), ctx.arg(1), ctx.args(2, n), 0, n, found);
        if (ctx.failed(status)) {
            return;
        }
        RespWriter out = ctx.out();
        out.arrayHeader(n);
        for (boolean f : found) {
            out.reply(f ? SharedReply.ONE : SharedReply.ZERO);
        }
    }

    private static void pop(CommandContext ctx) {
        if (ctx.argc() > 3) {
            ctx.syntaxError();
            return;
        }
        java.util.List<byte[]> popped = ctx.captureList();
        if (ctx.argc() == 2) {
            Status status = ctx.store().sets().pop(ctx.db(), ctx.arg(1), ctx.capturing(ctx.bulkSink, popped));
            if (status == Status.NOT_FOUND) {
                ctx.out().nullBulk();
            } else {
                ctx.failed(status);
            }
            logPopped(ctx, popped);
            return;
        }
        if (!ctx.request().argLong(2) || ctx.longValue() < 0) {
            ctx.error(MUST_BE_POSITIVE);
            return;
        }
        long count = ctx.longValue();
        RespWriter out = ctx.out();
        int mark = out.mark();
        Status status = ctx.store().sets().pop(ctx.db(), ctx.arg(1), count, ctx.capturing(bulks(out), popped), ctx.number);
        ctx.endDeferred(mark, status, RespWriter.Aggregate.SET, ctx.number.value);
        logPopped(ctx, popped);
    }

    /** SPOP's effect is logged as the SREM of what it popped (replaying chance would pop others). */
    private static void logPopped(CommandContext ctx, java.util.List<byte[]> popped) {
        if (popped == null || popped.isEmpty()) {
            return;
        }
        byte[][] argv = new byte[popped.size() + 2][];
        argv[0] = "SREM".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        argv[1] = ctx.request().argBytes(1);
        for (int i = 0; i < popped.size(); i++) {
            argv[i + 2] = popped.get(i);
        }
        ctx.logAs(argv);
    }

    private static void randomMember(CommandContext ctx) {
        if (ctx.argc() > 3) {
            ctx.syntaxError();
            return;
        }
        if (ctx.argc() == 2) {
            Status status = ctx.store().sets().randomMember(ctx.db(), ctx.arg(1), ctx.bulkSink);
            if (status == Status.NOT_FOUND) {
                ctx.out().nullBulk();
            } else {
                ctx.failed(status);
            }
            return;
        }
        Long count = HashFamily.randomCount(ctx);
        if (count == null) {
            return;
        }
        RespWriter out = ctx.out();
        int mark = out.mark();
        Status status = ctx.store().sets().random(ctx.db(), ctx.arg(1), count, (src, off, len) -> {
            ctx.checkReplySize();
            out.bulk(src, off, (int) len);
        }, ctx.number);
        ctx.endDeferred(mark, status, RespWriter.Aggregate.ARRAY, ctx.number.value);
    }

    private static void combine(CommandContext ctx, Combine op) {
        int n = ctx.argc() - 1;
        MemorySegment[] keys = ctx.args(1, n);
        RespWriter out = ctx.out();
        int mark = out.mark();
        ValueSink sink = bulks(out);
        Status status = switch (op) {
            case INTER -> ctx.store().sets().intersection(ctx.db(), keys, 0, n, sink, ctx.number);
            case UNION -> ctx.store().sets().union(ctx.db(), keys, 0, n, sink, ctx.number);
            case DIFF -> ctx.store().sets().difference(ctx.db(), keys, 0, n, sink, ctx.number);
        };
        ctx.endDeferred(mark, status, RespWriter.Aggregate.SET, ctx.number.value);
    }

    private static void store(CommandContext ctx, Combine op) {
        int n = ctx.argc() - 2;
        MemorySegment[] keys = ctx.args(2, n);
        Status status = switch (op) {
            case INTER -> ctx.store().sets().intersectionStore(ctx.db(), ctx.arg(1), keys, 0, n, ctx.number);
            case UNION -> ctx.store().sets().unionStore(ctx.db(), ctx.arg(1), keys, 0, n, ctx.number);
            case DIFF -> ctx.store().sets().differenceStore(ctx.db(), ctx.arg(1), keys, 0, n, ctx.number);
        };
        integer(ctx, status);
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit]: every argument checked before a key is read. */
    private static void interCard(CommandContext ctx) {
        if (!ctx.request().argLong(1) || ctx.longValue() < 1) {
            ctx.error("ERR numkeys should be greater than 0");
            return;
        }
        long numKeys = ctx.longValue();
        if (numKeys > ctx.argc() - 2) {
            ctx.error("ERR Number of keys can't be greater than number of args");
            return;
        }
        long limit = 0;
        for (int i = 2 + (int) numKeys; i < ctx.argc(); i++) {
            if (ctx.argIs(i, LIMIT) && i + 1 < ctx.argc()) {
                if (!ctx.request().argLong(++i) || ctx.longValue() < 0) {
                    ctx.error("ERR LIMIT can't be negative");
                    return;
                }
                limit = ctx.longValue();
            } else {
                ctx.syntaxError();
                return;
            }
        }
        integer(ctx, ctx.store().sets().intersectionSize(ctx.db(), ctx.args(2, (int) numKeys), 0, (int) numKeys, limit, ctx.number));
    }

    private static void scan(CommandContext ctx) {
        Long cursor = ScanOptions.cursor(ctx, 2);
        if (cursor == null) {
            return;
        }
        ValueType type = ctx.store().keys().type(ctx.db(), ctx.arg(1));
        if (type == ValueType.NONE) {
            ctx.out().reply(SharedReply.EMPTY_SCAN);
            return;
        }
        if (type != ValueType.SET) {
            ctx.out().reply(SharedReply.WRONG_TYPE);
            return;
        }
        ScanOptions options = new ScanOptions();
        if (!options.parse(ctx, 3, false)) {
            return;
        }
        RespWriter out = ctx.out();
        int mark = out.mark();
        out.arrayHeader(2);
        int cursorAt = out.mark();
        long[] emitted = {0};
        LongParse next = new LongParse();
        Status status = ctx.store().sets().scan(ctx.db(), ctx.arg(1), cursor, options.count, (src, off, len) -> {
            if (options.matches(src, off, len)) {
                out.bulk(src, off, (int) len);
                emitted[0]++;
            }
        }, next);
        if (status == Status.NOT_FOUND) {
            out.resetTo(mark);
            out.reply(SharedReply.EMPTY_SCAN);
            return;
        }
        if (status != Status.OK) {
            out.resetTo(mark);
            ctx.failed(status);
            return;
        }
        HashFamily.finishScan(out, cursorAt, next.value, emitted[0]);
    }
}
