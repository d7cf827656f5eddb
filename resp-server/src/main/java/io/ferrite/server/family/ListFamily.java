package io.ferrite.server.family;

import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.types.ListCommands;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.command.Errors;
import io.ferrite.server.protocol.RespWriter;

/**
 * The first list commands (LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP, LLEN, LRANGE, LINDEX),
 * with Redis 7.0's argument checks, error texts and reply types, on the engine's interim
 * packed lists. The other list commands answer "unknown command" until the lists issue.
 */
public final class ListFamily {
    static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
    /** The interim storage's limit, reported for pushes past it. */
    static final String TOO_LARGE = "ERR this version of Ferrite keeps a list or sorted set in one record of at most "
            + (ListCommands.MAX_BYTES >> 20) + " MB";

    private ListFamily() {}

    public static void register(CommandTable table) {
        table.register("lpush", ctx -> push(ctx, true, false))
                .register("rpush", ctx -> push(ctx, false, false))
                .register("lpushx", ctx -> push(ctx, true, true))
                .register("rpushx", ctx -> push(ctx, false, true))
                .register("lpop", ctx -> pop(ctx, true))
                .register("rpop", ctx -> pop(ctx, false))
                .register("llen", ctx -> integer(ctx, ctx.store().lists().length(ctx.db(), ctx.arg(1), ctx.number)))
                .register("lrange", ListFamily::range)
                .register("lindex", ListFamily::index);
    }

    /** Writes the error for a failed status (the interim size limit in its own words); false for OK. */
    static boolean failed(CommandContext ctx, Status status) {
        if (status == Status.VALUE_TOO_LARGE) {
            ctx.error(TOO_LARGE);
            return true;
        }
        return ctx.failed(status);
    }

    private static void integer(CommandContext ctx, Status status) {
        if (!failed(ctx, status)) {
            ctx.integer(ctx.number.value);
        }
    }

    private static void push(CommandContext ctx, boolean left, boolean onlyIfExists) {
        int n = ctx.argc() - 2;
        integer(ctx, ctx.store().lists().push(ctx.db(), ctx.arg(1), ctx.args(2, n), 0, n, left, onlyIfExists, ctx.number));
    }

    /** LPOP / RPOP key [count]: a bulk string without a count, an array with one. */
    private static void pop(CommandContext ctx, boolean left) {
        if (ctx.argc() > 3) {
            ctx.error(Errors.arity(left ? "lpop" : "rpop"));
            return;
        }
        RespWriter out = ctx.out();
        if (ctx.argc() == 2) {
            Status status = ctx.store().lists().pop(ctx.db(), ctx.arg(1), left, 1, ctx.bulkSink, ctx.number);
            if (status == Status.NOT_FOUND) {
                out.nullBulk();
            } else {
                ctx.failed(status);
            }
            return;
        }
        if (!ctx.request().argLong(2) || ctx.longValue() < 0) {
            ctx.error(MUST_BE_POSITIVE);
            return;
        }
        long count = ctx.longValue();
        int mark = out.mark();
        Status status = ctx.store().lists().pop(ctx.db(), ctx.arg(1), left, count, bulks(out), ctx.number);
        if (status == Status.NOT_FOUND) {
            out.nullArray();
        } else {
            ctx.endDeferred(mark, status, RespWriter.Aggregate.ARRAY, ctx.number.value);
        }
    }

    private static void range(CommandContext ctx) {
        if (!ctx.argLong(2)) {
            return;
        }
        long start = ctx.longValue();
        if (!ctx.argLong(3)) {
            return;
        }
        long stop = ctx.longValue();
        RespWriter out = ctx.out();
        int mark = out.mark();
        Status status = ctx.store().lists().range(ctx.db(), ctx.arg(1), start, stop, bulks(out), ctx.number);
        ctx.endDeferred(mark, status, RespWriter.Aggregate.ARRAY, ctx.number.value);
    }

    private static void index(CommandContext ctx) {
        if (!ctx.argLong(2)) {
            return;
        }
        Status status = ctx.store().lists().index(ctx.db(), ctx.arg(1), ctx.longValue(), ctx.bulkSink);
        if (status == Status.NOT_FOUND) {
            ctx.out().nullBulk();
        } else {
            ctx.failed(status);
        }
    }

    static ValueSink bulks(RespWriter out) {
        return (src, off, len) -> out.bulk(src, off, (int) len);
    }
}
