package io.ferrite.core.aof;

import io.ferrite.core.api.ValueExport;
import io.ferrite.core.api.ValueType;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * Writes one key's value as the commands that rebuild it, as Redis's AOF rewrite does: SET for
 * a string; HSET, SADD, RPUSH or ZADD with up to 64 elements per command for a collection;
 * {@link #expiry} adds PEXPIREAT. Each command goes to {@code sink} as soon as it is complete.
 * Used for the images of an AOF rewrite and for an RDB import.
 */
public final class ValueCommands implements ValueExport {
    /** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
    static final int ITEMS_PER_COMMAND = 64;
    private static final byte[] SET = ascii("SET");
    private static final byte[] PEXPIREAT = ascii("PEXPIREAT");
    private static final byte[] HSET = ascii("HSET");
    private static final byte[] SADD = ascii("SADD");
    private static final byte[] RPUSH = ascii("RPUSH");
    private static final byte[] ZADD = ascii("ZADD");

    private byte[] key;
    private final Output sink;
    private final RespCommand command = new RespCommand();
    private byte[] verb;
    private long remaining;
    private int inCommand;

    /** Receives each command complete, as the first {@code length} bytes of {@code command} (valid during the call). */
    @FunctionalInterface
    interface Output {
        void write(byte[] command, int length);
    }

    public ValueCommands(byte[] key, Consumer<byte[]> sink) {
        this(key, (command, length) -> sink.accept(java.util.Arrays.copyOf(command, length)));
    }

    ValueCommands(byte[] key, Output sink) {
        this.key = key;
        this.sink = sink;
    }

    /** Starts over for another key (one instance writes many keys' commands, as a new base does). */
    void forKey(byte[] key) {
        this.key = key;
        reset();
    }

    private static byte[] ascii(String word) {
        return word.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Forgets a command begun and not sent (the value is exported again from its start). */
    void reset() {
        verb = null;
        inCommand = 0;
    }

    /** PEXPIREAT for {@code expireAt} (epoch ms; 0: none, nothing written). */
    public void expiry(long expireAt) {
        if (expireAt > 0) {
            command.begin(3).arg(PEXPIREAT).arg(key).arg(expireAt);
            sink.write(command.array(), command.size());
        }
    }

    @Override
    public void string(MemorySegment source, long offset, long length) {
        command.begin(3).arg(SET).arg(key).arg(source, offset, length);
        sink.write(command.array(), command.size());
    }

    @Override
    public void collection(ValueType type, String encoding, long count, int intsetWidth) {
        verb = switch (type) {
            case HASH -> HSET;
            case SET -> SADD;
            case LIST -> RPUSH;
            case ZSET -> ZADD;
            default -> throw new IllegalStateException("no commands for a " + type);
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

    /** A hash field and value, or a sorted-set member and its score (written as ZADD's score member). */
    @Override
    public void entry(MemorySegment field, long fieldOffset, long fieldLength, MemorySegment value, long valueOffset, long valueLength) {
        startIfNeeded(2);
        if (verb == ZADD) {
            command.arg(value, valueOffset, valueLength).arg(field, fieldOffset, fieldLength);
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
            sink.write(command.array(), command.size());
        }
    }
}
