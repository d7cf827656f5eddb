package io.ferrite.server.family;

import io.ferrite.core.api.EntrySink;
import io.ferrite.core.api.LookupSink;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.LongParse;
import io.ferrite.core.strings.RedisNumbers;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.command.Errors;
import io.ferrite.server.protocol.RespWriter;
import io.ferrite.server.protocol.SharedReply;
import java.lang.foreign.MemorySegment;

/**
 * The hash commands, with Redis 7.0's argument checks in Redis's order (an argument error is
 * reported before the key is looked at, where Redis does so), its error texts and its reply
 * types in RESP2 and RESP3 (HGETALL is a map, HRANDFIELD WITHVALUES pairs in RESP3).
 */
public final class HashFamily {
    private static final byte[] WITHVALUES = "WITHVALUES".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final String HASH_NOT_INTEGER = "ERR hash value is not an integer";
    static final String HASH_NOT_FLOAT = "ERR hash value is not a float";
    static final String COUNT_RANGE = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

    private HashFamily() {}

    public static void register(CommandTable table) {
        table.register("hset", ctx -> set(ctx, false))
                .register("hmset", ctx -> set(ctx, true))
                .register("hsetnx", HashFamily::setnx)
                .register("hget", HashFamily::get)
                .register("hmget", HashFamily::mget)
                .register("hdel", HashFamily::del)
                .register("hlen", ctx -> integer(ctx, ctx.store().hashes().length(ctx.db(), ctx.arg(1), ctx.number)))
                .register("hstrlen", ctx -> integer(ctx, ctx.store().hashes().valueLength(ctx.db(), ctx.arg(1), ctx.arg(2), ctx.number)))
                .register("hexists", ctx -> integer(ctx, ctx.store().hashes().exists(ctx.db(), ctx.arg(1), ctx.arg(2), ctx.number)))
                .register("hkeys", ctx -> all(ctx, false))
                .register("hvals", ctx -> all(ctx, true))
                .register("hgetall", HashFamily::getall)
                .register("hincrby", HashFamily::incrBy)
                .register("hincrbyfloat", HashFamily::incrByFloat)
                .register("hrandfield", HashFamily::randomField)
                .register("hscan", HashFamily::scan);
    }

    /** The error reply for a hash command's status, in Redis's words; false for OK and NOT_FOUND. */
    static boolean failed(CommandContext ctx, Status status) {
        switch (status) {
            case NOT_AN_INTEGER -> ctx.error(HASH_NOT_INTEGER);
            case NOT_A_FLOAT -> ctx.error(HASH_NOT_FLOAT);
            default -> {
                return ctx.failed(status);
            }
        }
        return true;
    }

    private static void integer(CommandContext ctx, Status status) {
        if (!failed(ctx, status)) {
            ctx.integer(ctx.number.value);
        }
    }

    private static void set(CommandContext ctx, boolean hmset) {
        if (ctx.argc() % 2 != 0) {
            ctx.error(Errors.arity(hmset ? "hmset" : "hset"));
            return;
        }
        int pairs = (ctx.argc() - 2) / 2;
        Status status = ctx.store().hashes().set(ctx.db(), ctx.arg(1), ctx.args(2, pairs * 2), 0, pairs, ctx.number);
        if (failed(ctx, status)) {
            return;
        }
        if (hmset) {
            ctx.ok();
        } else {
            ctx.integer(ctx.number.value);
        }
    }

    private static void setnx(CommandContext ctx) {
        integer(ctx, ctx.store().hashes().setIfAbsent(ctx.db(), ctx.arg(1), ctx.arg(2), ctx.arg(3), ctx.number));
    }

    private static void get(CommandContext ctx) {
        Status status = ctx.store().hashes().get(ctx.db(), ctx.arg(1), ctx.arg(2), ctx.bulkSink);
        if (status == Status.NOT_FOUND) {
            ctx.out().nullBulk();
        } else {
            failed(ctx, status);
        }
    }

    private static void mget(CommandContext ctx) {
        RespWriter out = ctx.out();
        int mark = out.mark();
        out.arrayHeader(ctx.argc() - 2);
        Status status = ctx.store().hashes().getMany(ctx.db(), ctx.arg(1), ctx.args(2, ctx.argc() - 2), 0, ctx.argc() - 2,
                new LookupSink() {
                    @Override
                    public void found(MemorySegment source, long offset, long length) {
                        out.bulk(source, offset, (int) length);
                    }

                    @Override
                    public void missing() {
                        out.nullBulk();
                    }
                });
        if (status != Status.OK) {
            out.resetTo(mark);
            failed(ctx, status);
        }
    }

    private static void del(CommandContext ctx) {
        integer(ctx, ctx.store().hashes().delete(ctx.db(), ctx.arg(1), ctx.args(2, ctx.argc() - 2), 0, ctx.argc() - 2, ctx.number));
    }

    private static void all(CommandContext ctx, boolean values) {
        RespWriter out = ctx.out();
        int mark = out.mark();
        ValueSink sink = (src, off, len) -> out.bulk(src, off, (int) len);
        Status status = values ? ctx.store().hashes().values(ctx.db(), ctx.arg(1), sink, ctx.number)
                : ctx.store().hashes().fields(ctx.db(), ctx.arg(1), sink, ctx.number);
        if (status != Status.OK) {
            out.resetTo(mark);
            failed(ctx, status);
            return;
        }
        out.endDeferred(mark, RespWriter.Aggregate.ARRAY, ctx.number.value);
    }

    private static void getall(CommandContext ctx) {
        RespWriter out = ctx.out();
        int mark = out.mark();
        Status status = ctx.store().hashes().entries(ctx.db(), ctx.arg(1), pairs(out), ctx.number);
        if (status != Status.OK) {
            out.resetTo(mark);
            failed(ctx, status);
            return;
        }
        out.endDeferred(mark, RespWriter.Aggregate.MAP, ctx.number.value);
    }

    private static EntrySink pairs(RespWriter out) {
        return (f, fo, fl, v, vo, vl) -> {
            out.bulk(f, fo, (int) fl);
            out.bulk(v, vo, (int) vl);
        };
    }

    private static void incrBy(CommandContext ctx) {
        if (!ctx.argLong(3)) {
            return;
        }
        integer(ctx, ctx.store().hashes().incrBy(ctx.db(), ctx.arg(1), ctx.arg(2), ctx.longValue(), ctx.number));
    }

    private static void incrByFloat(CommandContext ctx) {
        MemorySegment increment = ctx.arg(3);
        int kind = RedisNumbers.classifyLongDouble(increment, 0, increment.byteSize());
        if (kind == RedisNumbers.LONG_DOUBLE_INVALID) {
            ctx.error(Errors.NOT_FLOAT);
            return;
        }
        if (kind == RedisNumbers.LONG_DOUBLE_INFINITE) {
            ctx.error("ERR value is NaN or Infinity");
            return;
        }
        java.util.List<byte[]> result = ctx.captureList();
        Status status = ctx.store().hashes().incrByFloat(ctx.db(), ctx.arg(1), ctx.arg(2), increment,
                ctx.capturing(ctx.bulkSink, result));
        failed(ctx, status);
        if (status == Status.OK && result != null && !result.isEmpty()) {
            ctx.logAs("HSET".getBytes(java.nio.charset.StandardCharsets.US_ASCII), ctx.request().argBytes(1),
                    ctx.request().argBytes(2), result.getFirst());
        }
    }

    private static void randomField(CommandContext ctx) {
        if (ctx.argc() == 2) {
            Status status = ctx.store().hashes().randomField(ctx.db(), ctx.arg(1), ctx.bulkSink);
            if (status == Status.NOT_FOUND) {
                ctx.out().nullBulk();
            } else {
                failed(ctx, status);
            }
            return;
        }
        Long count = randomCount(ctx);
        if (count == null) {
            return;
        }
        boolean withValues = ctx.argc() == 4;
        if (ctx.argc() > 4 || (withValues && !ctx.argIs(3, WITHVALUES))) {
            ctx.syntaxError();
            return;
        }
        if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            ctx.error("ERR value is out of range");
            return;
        }
        RespWriter out = ctx.out();
        int mark = out.mark();
        boolean pairsInResp3 = withValues && out.protocol() == 3;
        EntrySink sink = (f, fo, fl, v, vo, vl) -> {
            ctx.checkReplySize();
            if (pairsInResp3) {
                out.arrayHeader(2);
            }
            out.bulk(f, fo, (int) fl);
            if (withValues) {
                out.bulk(v, vo, (int) vl);
            }
        };
        Status status = ctx.store().hashes().random(ctx.db(), ctx.arg(1), count, sink, ctx.number);
        if (status != Status.OK) {
            out.resetTo(mark);
            failed(ctx, status);
            return;
        }
        out.endDeferred(mark, RespWriter.Aggregate.ARRAY, withValues && !pairsInResp3 ? 2 * ctx.number.value : ctx.number.value);
    }

    /**
     * The count of HRANDFIELD and SRANDMEMBER: an integer in [-LONG_MAX, LONG_MAX], parsed before
     * the key is looked at; null after writing the error.
     */
    static Long randomCount(CommandContext ctx) {
        if (!ctx.argLong(2)) {
            return null;
        }
        long count = ctx.longValue();
        if (count == Long.MIN_VALUE) {
            ctx.error(COUNT_RANGE);
            return null;
        }
        return count;
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
        if (type != ValueType.HASH) {
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
        Status status = ctx.store().hashes().scan(ctx.db(), ctx.arg(1), cursor, options.count, (f, fo, fl, v, vo, vl) -> {
            if (options.matches(f, fo, fl)) {
                out.bulk(f, fo, (int) fl);
                out.bulk(v, vo, (int) vl);
                emitted[0] += 2;
            }
        }, next);
        if (status == Status.NOT_FOUND) {
            out.resetTo(mark);
            out.reply(SharedReply.EMPTY_SCAN);
            return;
        }
        if (status != Status.OK) {
            out.resetTo(mark);
            failed(ctx, status);
            return;
        }
        finishScan(out, cursorAt, next.value, emitted[0]);
    }

    /**
     * Completes a scan reply whose elements were written after {@code cursorAt}: the cursor as
     * a bulk string, then the elements as an array, both placed before them.
     */
    static void finishScan(RespWriter out, int cursorAt, long next, long elements) {
        out.endDeferred(cursorAt, RespWriter.Aggregate.ARRAY, elements);
        out.insertBulk(cursorAt, Long.toUnsignedString(next));
    }
}
