package io.ferrite.server.family;

import io.ferrite.core.api.EntrySink;
import io.ferrite.core.api.Status;
import io.ferrite.core.types.ZSetCommands;
import io.ferrite.core.strings.RedisNumbers;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.command.Errors;
import io.ferrite.server.protocol.RespWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The first sorted-set commands (ZADD with NX/XX/GT/LT/CH/INCR, ZINCRBY, ZREM, ZCARD, ZSCORE, ZRANGE
 * by index with REV and WITHSCORES), with Redis 7.0's argument checks in Redis's order, error
 * texts and reply types (scores as RESP3 doubles, WITHSCORES pairs as RESP3 arrays), on the
 * engine's interim packed sorted sets. ZRANGE BYSCORE and BYLEX answer a "not supported yet"
 * error; the other sorted-set commands "unknown command", until the sorted-sets issue.
 */
public final class ZSetFamily {
    private static final byte[] NX = ascii("NX");
    private static final byte[] XX = ascii("XX");
    private static final byte[] GT = ascii("GT");
    private static final byte[] LT = ascii("LT");
    private static final byte[] CH = ascii("CH");
    private static final byte[] INCR = ascii("INCR");
    private static final byte[] WITHSCORES = ascii("WITHSCORES");
    private static final byte[] LIMIT = ascii("LIMIT");
    private static final byte[] REV = ascii("REV");
    private static final byte[] BYSCORE = ascii("BYSCORE");
    private static final byte[] BYLEX = ascii("BYLEX");
    static final String NOT_SUPPORTED_RANGE = "ERR ZRANGE BYSCORE and BYLEX are not supported yet by Ferrite";

    private ZSetFamily() {}

    public static void register(CommandTable table) {
        table.register("zadd", ctx -> add(ctx, 0))
                .register("zincrby", ctx -> add(ctx, ZSetCommands.INCR))
                .register("zrem", ZSetFamily::remove)
                .register("zcard", ctx -> integer(ctx, ctx.store().zsets().cardinality(ctx.db(), ctx.arg(1), ctx.number)))
                .register("zscore", ZSetFamily::score)
                .register("zrange", ZSetFamily::range);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void integer(CommandContext ctx, Status status) {
        if (!ListFamily.failed(ctx, status)) {
            ctx.integer(ctx.number.value);
        }
    }

    /**
     * ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...], checked as Redis
     * does; ZINCRBY key increment member is the same with INCR preset (as in Redis, which
     * even takes its third argument for a flag).
     */
    private static void add(CommandContext ctx, int preset) {
        int flags = preset;
        int at = 2;
        for (; at < ctx.argc(); at++) {
            if (ctx.argIs(at, NX)) {
                flags |= ZSetCommands.NX;
            } else if (ctx.argIs(at, XX)) {
                flags |= ZSetCommands.XX;
            } else if (ctx.argIs(at, CH)) {
                flags |= ZSetCommands.CH;
            } else if (ctx.argIs(at, INCR)) {
                flags |= ZSetCommands.INCR;
            } else if (ctx.argIs(at, GT)) {
                flags |= ZSetCommands.GT;
            } else if (ctx.argIs(at, LT)) {
                flags |= ZSetCommands.LT;
            } else {
                break;
            }
        }
        int elements = ctx.argc() - at;
        if (elements % 2 != 0 || elements == 0) {
            ctx.syntaxError();
            return;
        }
        int n = elements / 2;
        boolean nx = (flags & ZSetCommands.NX) != 0;
        if (nx && (flags & ZSetCommands.XX) != 0) {
            ctx.error("ERR XX and NX options at the same time are not compatible");
            return;
        }
        boolean gt = (flags & ZSetCommands.GT) != 0;
        boolean lt = (flags & ZSetCommands.LT) != 0;
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            ctx.error("ERR GT, LT, and/or NX options at the same time are not compatible");
            return;
        }
        boolean incr = (flags & ZSetCommands.INCR) != 0;
        if (incr && n > 1) {
            ctx.error("ERR INCR option supports a single increment-element pair");
            return;
        }
        double[] scores = new double[n];
        MemorySegment[] members = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            MemorySegment text = ctx.arg(at + 2 * i);
            double score = RedisNumbers.parseDouble(text, 0, text.byteSize());
            if (Double.isNaN(score)) {
                ctx.error(Errors.NOT_FLOAT);
                return;
            }
            scores[i] = score;
            members[i] = ctx.arg(at + 2 * i + 1);
        }
        double[] newScore = new double[1];
        Status status = ctx.store().zsets().add(ctx.db(), ctx.arg(1), scores, members, 0, n, flags, ctx.number, newScore);
        if (status == Status.NAN_OR_INFINITY) {
            ctx.error("ERR resulting score is not a number (NaN)");
        } else if (ListFamily.failed(ctx, status)) {
            return;
        } else if (incr) {
            if (status == Status.NOT_PERFORMED) {
                ctx.out().nullBulk();
            } else {
                ctx.out().doubleValue(newScore[0]);
            }
        } else {
            ctx.integer(ctx.number.value);
        }
    }

    private static void remove(CommandContext ctx) {
        int n = ctx.argc() - 2;
        integer(ctx, ctx.store().zsets().remove(ctx.db(), ctx.arg(1), ctx.args(2, n), 0, n, ctx.number));
    }

    private static void score(CommandContext ctx) {
        double[] score = new double[1];
        Status status = ctx.store().zsets().score(ctx.db(), ctx.arg(1), ctx.arg(2), score);
        if (status == Status.NOT_FOUND) {
            ctx.out().nullBulk();
        } else if (!ctx.failed(status)) {
            ctx.out().doubleValue(score[0]);
        }
    }

    /** ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES], Redis's checks in order. */
    private static void range(CommandContext ctx) {
        boolean withScores = false;
        boolean reverse = false;
        boolean byScoreOrLex = false;
        boolean byLex = false;
        long limit = -1;
        for (int j = 4; j < ctx.argc(); j++) {
            int left = ctx.argc() - j - 1;
            if (ctx.argIs(j, WITHSCORES)) {
                withScores = true;
            } else if (ctx.argIs(j, LIMIT) && left >= 2) {
                if (!ctx.argLong(j + 1) || !ctx.argLong(j + 2)) {
                    return;
                }
                limit = ctx.longValue();
                j += 2;
            } else if (!reverse && ctx.argIs(j, REV)) {
                reverse = true;
            } else if (!byScoreOrLex && ctx.argIs(j, BYLEX)) {
                byScoreOrLex = true;
                byLex = true;
            } else if (!byScoreOrLex && ctx.argIs(j, BYSCORE)) {
                byScoreOrLex = true;
            } else {
                ctx.syntaxError();
                return;
            }
        }
        if (limit != -1 && !byScoreOrLex) {
            ctx.error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
            return;
        }
        if (withScores && byLex) {
            ctx.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
            return;
        }
        if (byScoreOrLex) {
            ctx.error(NOT_SUPPORTED_RANGE);
            return;
        }
        if (!ctx.argLong(2)) {
            return;
        }
        long start = ctx.longValue();
        if (!ctx.argLong(3)) {
            return;
        }
        long stop = ctx.longValue();
        RespWriter out = ctx.out();
        boolean resp3 = out.protocol() == 3;
        boolean scores = withScores;
        EntrySink sink = (m, mo, ml, s, so, sl) -> {
            if (scores && resp3) {
                out.arrayHeader(2);
            }
            out.bulk(m, mo, (int) ml);
            if (scores) {
                out.doubleValue(s.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, so));
            }
        };
        int mark = out.mark();
        Status status = ctx.store().zsets().range(ctx.db(), ctx.arg(1), start, stop, reverse, sink, ctx.number);
        ctx.endDeferred(mark, status, RespWriter.Aggregate.ARRAY, scores && !resp3 ? 2 * ctx.number.value : ctx.number.value);
    }
}
