package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.LongParse;
import io.ferrite.core.types.KeyCommands;
import java.lang.foreign.MemorySegment;
import java.util.List;
import io.ferrite.core.aof.RespCommand;

/**
 * {@code keys(key, type, ttl_ms, encoding, size)}: every key of the database with its Redis
 * type, the milliseconds it has left to live (NULL without a TTL, as PTTL's -1), its OBJECT
 * ENCODING, and its size (a string's length in bytes, a collection's element count). UPDATE of
 * {@code ttl_ms} sets the TTL (PEXPIREAT; NULL is PERSIST); DELETE is DEL; rows are inserted
 * through the table of the key's type.
 */
final class KeysTable extends KeyspaceTable {
    KeysTable(FerriteStore store, int db) {
        super(store, db, null, List.of(Column.key("key"), Column.varchar("type"), Column.bigint("ttl_ms"),
                Column.varchar("encoding"), Column.bigint("size")));
    }

    @Override
    KeyRows rowsOf(byte[] key, int[] projects, ScanFilter filter) {
        MemorySegment k = MemorySegment.ofArray(key);
        ValueType type = store.keys().type(db, k);
        if (type == ValueType.NONE) {
            return KeyRows.NONE;
        }
        return once(project(projects, column -> switch (column) {
            case 0 -> text(key);
            case 1 -> type.redisName();
            case 2 -> ttl(k);
            case 3 -> store.keys().encoding(db, k);
            default -> size(k, type);
        }));
    }

    private Long ttl(MemorySegment key) {
        long at = store.keys().expireAt(db, key);
        return at == KeyCommands.NO_EXPIRY || at == KeyCommands.NO_KEY ? null : Math.max(0, at - System.currentTimeMillis());
    }

    private Long size(MemorySegment key, ValueType type) {
        LongParse size = new LongParse();
        Status status = switch (type) {
            case STRING -> store.strings().strlen(db, key, size);
            case HASH -> store.hashes().length(db, key, size);
            case SET -> store.sets().size(db, key, size);
            default -> Status.NOT_FOUND;
        };
        return status == Status.OK ? size.value : null;
    }

    @Override
    String name() {
        return "keys";
    }

    @Override
    boolean delete(Object[] row) {
        return deleteKey(required(row, 0));
    }

    @Override
    int updatableColumn() {
        return 2;
    }

    /** {@code ttl_ms}: PEXPIREAT now + the value (a value of 0 or less deletes the key, as PEXPIRE), NULL PERSIST. */
    @Override
    boolean update(Object[] row, Object value) {
        byte[] key = required(row, 0);
        MemorySegment k = MemorySegment.ofArray(key);
        if (value == null) {
            Status status = write(key, () -> store.keys().persist(db, k), () -> RespCommand.of(PERSIST, key));
            return status != Status.NOT_FOUND;
        }
        long at = System.currentTimeMillis() + ((Number) value).longValue();
        byte[] atText = Long.toString(at).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return write(key, () -> store.keys().expire(db, k, at, io.ferrite.core.api.ExpireCondition.ALWAYS),
                () -> RespCommand.of(PEXPIREAT, key, atText)) == Status.OK;
    }

    private static final byte[] PERSIST = {'P', 'E', 'R', 'S', 'I', 'S', 'T'};
    private static final byte[] PEXPIREAT = {'P', 'E', 'X', 'P', 'I', 'R', 'E', 'A', 'T'};
}
