package io.ferrite.core.aof;

import io.ferrite.core.api.KeySnapshot;
import io.ferrite.core.api.ValueExport;
import io.ferrite.core.api.ValueType;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * Writes one key's image as the commands that rebuild it, as Redis's AOF rewrite does: SET for
 * a string; HSET, SADD, RPUSH or ZADD with up to 64 elements per command for a collection; then
 * PEXPIREAT for a TTL. Each command goes to {@code sink} as soon as it is complete, under the
 * key's lock (see {@link KeySnapshot}). If the engine restarts the export after a disk read, a
 * hash's, set's or sorted set's image is sent again from its start: those commands are
 * idempotent, so the repeat is harmless; strings and lists are one record and never restart
 * midway.
 */
final class KeyImage implements KeySnapshot, ValueExport {
    /** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
    static final int ITEMS_PER_COMMAND = 64;

    /** Decides, under the lock, whether the key still needs an image, and records that it has one. */
    interface Ledger {
        boolean needsImage(int db, byte[] key);

        void imaged(int db, byte[] key);
    }

    private final int db;
    private final byte[] key;
    private final Ledger ledger;
    private final Consumer<byte[]> sink;
    private final RespCommand command = new RespCommand();
    private String verb;
    private long remaining;
    private int inCommand;

    KeyImage(int db, byte[] key, Ledger ledger, Consumer<byte[]> sink) {
        this.db = db;
        this.key = key;
        this.ledger = ledger;
        this.sink = sink;
    }

    @Override
    public boolean begin() {
        verb = null;
        inCommand = 0;
        return ledger.needsImage(db, key);
    }

    @Override
    public ValueExport export() {
        return this;
    }

    @Override
    public void end(boolean exists, long expireAt) {
        if (exists && expireAt > 0) {
            sink.accept(command.begin(3).arg("PEXPIREAT").arg(key).arg(expireAt).toByteArray());
        }
        ledger.imaged(db, key);
    }

    @Override
    public void string(MemorySegment source, long offset, long length) {
        sink.accept(command.begin(3).arg("SET").arg(key).arg(source, offset, length).toByteArray());
    }

    @Override
    public void collection(ValueType type, String encoding, long count, int intsetWidth) {
        verb = switch (type) {
            case HASH -> "HSET";
            case SET -> "SADD";
            case LIST -> "RPUSH";
            case ZSET -> "ZADD";
            default -> throw new IllegalStateException("no image for a " + type);
        };
        remaining = count;
        inCommand = 0;
    }

    @Override
    public void member(MemorySegment source, long offset, long length) {
        startIfNeeded(1);
        command.arg(source, offset, length);
        finishIfFull();
    }

    @Override
    public void entry(MemorySegment field, long fieldOffset, long fieldLength, MemorySegment value, long valueOffset, long valueLength) {
        startIfNeeded(2);
        if (verb.equals("ZADD")) {
            command.arg(value, valueOffset, valueLength).arg(field, fieldOffset, fieldLength); // score, member
        } else {
            command.arg(field, fieldOffset, fieldLength).arg(value, valueOffset, valueLength);
        }
        finishIfFull();
    }

    private void startIfNeeded(int argsPerItem) {
        if (inCommand == 0) {
            int items = (int) Math.min(ITEMS_PER_COMMAND, Math.max(1, remaining));
            command.begin(2 + items * argsPerItem).arg(verb).arg(key);
            inCommand = items;
        }
    }

    private void finishIfFull() {
        remaining--;
        if (--inCommand == 0) {
            sink.accept(command.toByteArray());
        }
    }
}
