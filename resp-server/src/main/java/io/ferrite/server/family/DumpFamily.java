package io.ferrite.server.family;

import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.types.StringCommands;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.rdb.DumpPayload;
import io.ferrite.server.rdb.RdbFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * DUMP and RESTORE, payload-compatible with Redis 7.0 (RDB version 10) in both directions.
 * Only strings exist in the engine so far, so only string payloads restore; other RDB types
 * answer "ERR Bad data format" until their engine types arrive.
 *
 * <p>Ferrite keeps no LRU/LFU data, so RESTORE validates IDLETIME and FREQ as Redis does and
 * then ignores them. The keyspace event of a RESTORE is the engine's "set", not "restore".
 */
public final class DumpFamily {
    private static final byte[] REPLACE = ascii("REPLACE");
    private static final byte[] ABSTTL = ascii("ABSTTL");
    private static final byte[] IDLETIME = ascii("IDLETIME");
    private static final byte[] FREQ = ascii("FREQ");
    private static final String BUSY_KEY = "BUSYKEY Target key name already exists.";

    private DumpFamily() {}

    public static void register(CommandTable table) {
        table.register("dump", DumpFamily::dump)
                .register("restore", DumpFamily::restore);
    }

    private static void dump(CommandContext ctx) {
        byte[][] value = {null};
        Status status = ctx.store().strings().get(ctx.db(), ctx.arg(1),
                (source, offset, length) -> value[0] = source.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        ctx.hit(status != Status.NOT_FOUND);
        switch (status) {
            case OK -> ctx.out().bulk(DumpPayload.ofString(value[0]));
            case NOT_FOUND -> ctx.out().nullBulk();
            // Cannot happen while strings are the only type; never answer a payload we cannot make.
            case WRONG_TYPE -> ctx.error("ERR DUMP of this type is not supported yet");
            default -> ctx.failed(status);
        }
    }

    /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
    private static void restore(CommandContext ctx) {
        boolean replace = false;
        boolean absTtl = false;
        long idleTime = -1;
        long frequency = -1;
        // Same checks in the same order as Redis, so the first error reported is the same.
        for (int j = 4; j < ctx.argc(); j++) {
            boolean more = j + 1 < ctx.argc();
            if (ctx.argIs(j, REPLACE)) {
                replace = true;
            } else if (ctx.argIs(j, ABSTTL)) {
                absTtl = true;
            } else if (ctx.argIs(j, IDLETIME) && more && frequency == -1) {
                if (!ctx.argLong(++j)) {
                    return;
                }
                idleTime = ctx.longValue();
                if (idleTime < 0) {
                    ctx.error("ERR Invalid IDLETIME value, must be >= 0");
                    return;
                }
            } else if (ctx.argIs(j, FREQ) && more && idleTime == -1) {
                if (!ctx.argLong(++j)) {
                    return;
                }
                frequency = ctx.longValue();
                if (frequency < 0 || frequency > 255) {
                    ctx.error("ERR Invalid FREQ value, must be >= 0 and <= 255");
                    return;
                }
            } else {
                ctx.syntaxError();
                return;
            }
        }
        int db = ctx.db();
        MemorySegment key = ctx.arg(1);
        if (!replace && ctx.store().keys().exists(db, key)) {
            ctx.error(BUSY_KEY);
            return;
        }
        if (!ctx.argLong(2)) {
            return;
        }
        long ttl = ctx.longValue();
        if (ttl < 0) {
            ctx.error("ERR Invalid TTL value, must be >= 0");
            return;
        }
        byte[] payload = ctx.request().argBytes(3);
        if (!DumpPayload.verify(payload)) {
            ctx.error("ERR DUMP payload version or checksum are wrong");
            return;
        }
        byte[] value;
        try {
            value = DumpPayload.decodeString(payload);
        } catch (RdbFormatException e) {
            ctx.error("ERR Bad data format");
            return;
        }
        if (replace) {
            ctx.store().keys().delete(db, key);
        }
        long now = System.currentTimeMillis();
        if (ttl != 0 && !absTtl) {
            // Wraps for huge TTLs exactly as Redis's ttl += mstime() does: the key then counts
            // as already expired.
            ttl += now;
        }
        if (ttl != 0 && ttl <= now) {
            // Already expired: Redis answers OK without creating the key (REPLACE has deleted it).
            ctx.ok();
            return;
        }
        // NX keeps the existence check above honest against a concurrent writer.
        Status status = ctx.store().strings().set(db, key, MemorySegment.ofArray(value),
                replace ? 0 : StringCommands.NX, ttl, null);
        if (ctx.failed(status)) {
            return;
        }
        if (status == Status.NOT_PERFORMED) {
            ctx.error(BUSY_KEY);
        } else {
            ctx.ok();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
