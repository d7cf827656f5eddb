package io.ferrite.server.family;

import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.BitOps;
import io.ferrite.core.types.BitfieldOps;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.command.Errors;
import io.ferrite.server.config.Directives;
import io.ferrite.server.protocol.RespWriter;
import io.ferrite.server.protocol.SharedReply;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

/** SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO. */
public final class BitFamily {
    private BitFamily() {}

    public static void register(CommandTable table) {
        table.register("setbit", BitFamily::setBit)
                .register("getbit", BitFamily::getBit)
                .register("bitcount", BitFamily::bitCount)
                .register("bitpos", BitFamily::bitPos)
                .register("bitop", BitFamily::bitOp)
                .register("bitfield", ctx -> bitfield(ctx, false))
                .register("bitfield_ro", ctx -> bitfield(ctx, true));
    }

    private static long maxBulk(CommandContext ctx) {
        return Math.min(ctx.store().config().maxValueSize(), ctx.server().config().get(Directives.PROTO_MAX_BULK_LEN));
    }

    /** Parses a bit offset argument; writes Redis's error and returns false when invalid. */
    private static boolean bitOffset(CommandContext ctx, int i, boolean hashAllowed, int bits) {
        MemorySegment arg = ctx.arg(i);
        if (BitOps.parseBitOffset(arg, 0, arg.byteSize(), hashAllowed, bits, maxBulk(ctx), ctx.number)) {
            return true;
        }
        ctx.error(Errors.BIT_OFFSET);
        return false;
    }

    private static void setBit(CommandContext ctx) {
        if (!bitOffset(ctx, 2, false, 0)) {
            return;
        }
        long offset = ctx.number.value;
        if (!ctx.request().argLong(3) || (ctx.request().longValue() & ~1L) != 0) {
            ctx.error(Errors.BIT_VALUE);
            return;
        }
        int bit = (int) ctx.request().longValue();
        Status status = ctx.store().strings().setBit(ctx.db(), ctx.arg(1), offset, bit, ctx.number);
        if (!ctx.failed(status)) {
            ctx.integer(ctx.number.value);
        }
    }

    private static void getBit(CommandContext ctx) {
        if (!bitOffset(ctx, 2, false, 0)) {
            return;
        }
        Status status = ctx.store().strings().getBit(ctx.db(), ctx.arg(1), ctx.number.value, ctx.number);
        if (!ctx.failed(status)) {
            ctx.integer(ctx.number.value);
        }
    }

    /**
     * Refuses an argument of a command that Redis checks only after looking the key up: a
     * missing key still gets {@code missing}, another type WRONGTYPE, and only then the error.
     */
    private static void refuseAfterLookup(CommandContext ctx, SharedReply missing, String error) {
        ValueType type = ctx.store().keys().type(ctx.db(), ctx.arg(1));
        if (type == ValueType.NONE) {
            ctx.out().reply(missing);
        } else if (type != ValueType.STRING) {
            ctx.out().reply(SharedReply.WRONG_TYPE);
        } else {
            ctx.error(error);
        }
    }

    private static void bitCount(CommandContext ctx) {
        int argc = ctx.argc();
        if (argc == 3 || argc > 5) {
            refuseAfterLookup(ctx, SharedReply.ZERO, Errors.SYNTAX);
            return;
        }
        long start = 0;
        long end = 0;
        boolean bitUnit = false;
        if (argc >= 4) {
            if (!ctx.request().argLong(2)) {
                refuseAfterLookup(ctx, SharedReply.ZERO, Errors.NOT_INTEGER);
                return;
            }
            start = ctx.longValue();
            if (!ctx.request().argLong(3)) {
                refuseAfterLookup(ctx, SharedReply.ZERO, Errors.NOT_INTEGER);
                return;
            }
            end = ctx.longValue();
            if (argc == 5) {
                String unit = ctx.argString(4).toUpperCase(Locale.ROOT);
                if (unit.equals("BIT")) {
                    bitUnit = true;
                } else if (!unit.equals("BYTE")) {
                    refuseAfterLookup(ctx, SharedReply.ZERO, Errors.SYNTAX);
                    return;
                }
            }
        }
        long s = start;
        long e = end;
        boolean bits = bitUnit;
        long[] count = {0};
        Status status = ctx.store().strings().get(ctx.db(), ctx.arg(1), (src, off, len) ->
                count[0] = argc >= 4 ? BitOps.bitcount(src, off, len, s, e, bits) : BitOps.bitcount(src, off, len));
        if (!ctx.failed(status)) {
            ctx.integer(count[0]);
        }
    }

    private static void bitPos(CommandContext ctx) {
        int argc = ctx.argc();
        if (!ctx.argLong(2)) {
            return;
        }
        long bit = ctx.longValue();
        if (bit != 0 && bit != 1) {
            ctx.error("ERR The bit argument must be 1 or 0.");
            return;
        }
        // Redis checks the rest after the key lookup: a missing key is all zeros.
        SharedReply missing = bit == 1 ? SharedReply.MINUS_ONE : SharedReply.ZERO;
        long start = 0;
        long end = 0;
        boolean endGiven = false;
        boolean bitUnit = false;
        if (argc > 6) {
            refuseAfterLookup(ctx, missing, Errors.SYNTAX);
            return;
        }
        if (argc >= 4) {
            if (!ctx.request().argLong(3)) {
                refuseAfterLookup(ctx, missing, Errors.NOT_INTEGER);
                return;
            }
            start = ctx.longValue();
        }
        if (argc >= 5) {
            if (!ctx.request().argLong(4)) {
                refuseAfterLookup(ctx, missing, Errors.NOT_INTEGER);
                return;
            }
            end = ctx.longValue();
            endGiven = true;
        }
        if (argc == 6) {
            String unit = ctx.argString(5).toUpperCase(Locale.ROOT);
            if (unit.equals("BIT")) {
                bitUnit = true;
            } else if (!unit.equals("BYTE")) {
                refuseAfterLookup(ctx, missing, Errors.SYNTAX);
                return;
            }
        }
        long s = start;
        long e = end;
        boolean given = endGiven;
        boolean bits = bitUnit;
        long[] position = {bit == 1 ? -1 : 0};
        Status status = ctx.store().strings().get(ctx.db(), ctx.arg(1), (src, off, len) ->
                position[0] = BitOps.bitpos(src, off, len, (int) bit, s, e, given, bits));
        if (!ctx.failed(status)) {
            ctx.integer(position[0]);
        }
    }

    private static void bitOp(CommandContext ctx) {
        BitOps.Op op;
        switch (ctx.argString(1).toUpperCase(Locale.ROOT)) {
            case "AND" -> op = BitOps.Op.AND;
            case "OR" -> op = BitOps.Op.OR;
            case "XOR" -> op = BitOps.Op.XOR;
            case "NOT" -> op = BitOps.Op.NOT;
            default -> {
                ctx.syntaxError();
                return;
            }
        }
        int count = ctx.argc() - 3;
        if (op == BitOps.Op.NOT && count != 1) {
            ctx.error("ERR " + BitOps.ERR_BITOP_NOT);
            return;
        }
        MemorySegment[] sources = new MemorySegment[count];
        for (int i = 0; i < count; i++) {
            sources[i] = ctx.arg(3 + i);
        }
        Status status = ctx.store().strings().bitOp(ctx.db(), op, ctx.arg(2), sources, count, ctx.number);
        if (!ctx.failed(status)) {
            ctx.integer(ctx.number.value);
        }
    }

    private static void bitfield(CommandContext ctx, boolean readOnly) {
        BitfieldOps ops = new BitfieldOps();
        BitOps.Overflow overflow = BitOps.Overflow.WRAP;
        for (int i = 2; i < ctx.argc(); i++) {
            String op = ctx.argString(i).toUpperCase(Locale.ROOT);
            int left = ctx.argc() - i - 1;
            if (op.equals("GET") && left >= 2) {
                int type = type(ctx, i + 1);
                if (type < 0 || !bitOffset(ctx, i + 2, true, BitOps.typeBits(type))) {
                    return;
                }
                ops.add(BitfieldOps.Kind.GET, BitOps.typeBits(type), BitOps.typeSigned(type), ctx.number.value, 0, overflow);
                i += 2;
            } else if ((op.equals("SET") || op.equals("INCRBY")) && left >= 3) {
                int type = type(ctx, i + 1);
                if (type < 0 || !bitOffset(ctx, i + 2, true, BitOps.typeBits(type))) {
                    return;
                }
                long offset = ctx.number.value;
                if (!ctx.argLong(i + 3)) {
                    return;
                }
                ops.add(op.equals("SET") ? BitfieldOps.Kind.SET : BitfieldOps.Kind.INCRBY, BitOps.typeBits(type),
                        BitOps.typeSigned(type), offset, ctx.longValue(), overflow);
                i += 3;
            } else if (op.equals("OVERFLOW") && left >= 1) {
                switch (ctx.argString(i + 1).toUpperCase(Locale.ROOT)) {
                    case "WRAP" -> overflow = BitOps.Overflow.WRAP;
                    case "SAT" -> overflow = BitOps.Overflow.SAT;
                    case "FAIL" -> overflow = BitOps.Overflow.FAIL;
                    default -> {
                        ctx.error("ERR Invalid OVERFLOW type specified");
                        return;
                    }
                }
                i++;
            } else {
                ctx.syntaxError();
                return;
            }
        }
        if (readOnly && ops.writes()) {
            // Redis refuses only once every argument parsed, and a read-only list may use OVERFLOW.
            ctx.error("ERR BITFIELD_RO only supports the GET subcommand");
            return;
        }
        Status status = ctx.store().strings().bitfield(ctx.db(), ctx.arg(1), ops);
        if (ctx.failed(status)) {
            return;
        }
        RespWriter out = ctx.out();
        out.arrayHeader(ops.count());
        for (int i = 0; i < ops.count(); i++) {
            if (ops.isNull(i)) {
                out.nullBulk();
            } else {
                out.integer(ops.result(i));
            }
        }
    }

    private static int type(CommandContext ctx, int i) {
        MemorySegment arg = ctx.arg(i);
        int type = BitOps.parseBitfieldType(arg, 0, arg.byteSize());
        if (type < 0) {
            ctx.error("ERR " + BitOps.ERR_BITFIELD_TYPE);
        }
        return type;
    }
}
