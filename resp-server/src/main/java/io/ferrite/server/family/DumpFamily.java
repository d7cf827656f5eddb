package io.ferrite.server.family;

import io.ferrite.core.api.CollectionImage;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.rdb.DumpPayload;
import io.ferrite.server.rdb.RdbCollections;
import io.ferrite.server.rdb.RdbFormatException;
import io.ferrite.server.rdb.RdbObjectWriter;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * DUMP and RESTORE, payload-compatible with Redis 7.0 (RDB version 10) in both directions:
 * strings, hashes (listpack, hashtable; ziplist and zipmap on RESTORE) and sets (intset,
 * hashtable). RESTORE gives a collection the encoding Redis 7.0's loader would. Lists, sorted
 * sets and streams are not stored by the engine yet: their payloads answer "ERR Bad data format".
 *
 * <p>Ferrite keeps no LRU/LFU data, so RESTORE validates IDLETIME and FREQ as Redis does and
 * then ignores them. The keyspace event of a RESTORE is {@code restore}, as in Redis.
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
        RdbObjectWriter writer = new RdbObjectWriter();
        Status status = ctx.store().keys().export(ctx.db(), ctx.arg(1), writer);
        ctx.hit(status != Status.NOT_FOUND);
        switch (status) {
            case OK -> {
                if (writer.type() == ValueType.LIST || writer.type() == ValueType.ZSET) {
                    // RESTORE cannot take them back yet (they live on interim storage)
                    ctx.error("ERR DUMP of a " + writer.type().redisName() + " is not supported yet by Ferrite");
                } else {
                    ctx.out().bulk(writer.payload());
                }
            }
            case NOT_FOUND -> ctx.out().nullBulk();
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
        MemorySegment string = null;
        CollectionImage image = null;
        try {
            if (RdbCollections.type(payload) == DumpPayload.TYPE_STRING) {
                string = MemorySegment.ofArray(DumpPayload.decodeString(payload));
            } else {
                var limits = ctx.store().encodingLimits();
                image = RdbCollections.decode(payload, limits.hashMaxListpackEntries(), limits.hashMaxListpackValue(),
                        limits.setMaxIntsetEntries());
            }
        } catch (RdbFormatException e) {
            ctx.error("ERR Bad data format");
            return;
        }
        long now = ctx.startedMillis();
        if (ttl != 0 && !absTtl) {
            // Wraps for huge TTLs exactly as Redis's ttl += mstime() does: the key then counts
            // as already expired.
            ttl += now;
        }
        long expireAt = ttl == 0 ? 0 : ttl <= now ? 1 : ttl;
        // The engine checks existence again under the key's lock: a concurrent writer cannot
        // slip in between the check above and the write.
        Status status = string != null ? ctx.store().keys().restore(db, key, string, expireAt, replace)
                : ctx.store().keys().restore(db, key, image, expireAt, replace);
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
