package io.ferrite.jcache;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.ExpireCondition;
import io.ferrite.core.api.ExpireMode;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.StorageException;
import io.ferrite.core.aof.RespCommand;
import io.ferrite.core.types.StringCommands;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import javax.cache.CacheException;

/**
 * One cache's entries in an embedded engine, written with the engine's compare-and-set. Own
 * writes are marked ({@link OwnWrites}) so their change events are not taken for another door's,
 * and reach the engine's append-only file (when one logs it) as the SET or PEXPIREAT that
 * replays them.
 */
final class EngineEntryStore extends EntryStore {
    private static final byte[] SET = ascii("SET");
    private static final byte[] PXAT = ascii("PXAT");
    private static final byte[] KEEPTTL = ascii("KEEPTTL");
    private static final byte[] PEXPIREAT = ascii("PEXPIREAT");

    private final FerriteStore store;
    private final int db;

    EngineEntryStore(FerriteStore store, int db, byte[] prefix, String cacheName) {
        super(prefix, cacheName);
        this.store = store;
        this.db = db;
    }

    @Override
    byte[] read(byte[] key) {
        byte[][] out = new byte[1][];
        Status status = store.strings().get(db, MemorySegment.ofArray(key), (source, offset, length) ->
                out[0] = source.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        return switch (status) {
            case OK -> out[0];
            case NOT_FOUND -> null;
            case WRONG_TYPE -> throw new CacheException("cache " + cacheName + ": key " + printable(key)
                    + " holds a Redis " + store.keys().type(db, MemorySegment.ofArray(key)).name().toLowerCase()
                    + ", not a string");
            default -> throw new CacheException("cache " + cacheName + ": reading " + printable(key) + " failed: " + status);
        };
    }

    @Override
    boolean exists(byte[] key) {
        return store.keys().exists(db, MemorySegment.ofArray(key));
    }

    @Override
    boolean compareAndSet(byte[] key, byte[] expected, byte[] value, ExpireMode mode, long expireAt) {
        Status status = write(key, () -> store.strings().compareAndSet(db, MemorySegment.ofArray(key),
                expected == null ? null : MemorySegment.ofArray(expected),
                value == null ? null : MemorySegment.ofArray(value), mode, expireAt),
                () -> switch (mode) {
                    case SET -> RespCommand.of(SET, key, value, PXAT, Long.toString(expireAt).getBytes(StandardCharsets.US_ASCII));
                    case KEEP -> RespCommand.of(SET, key, value, KEEPTTL);
                    case CLEAR -> RespCommand.of(SET, key, value);
                });
        return switch (status) {
            case OK -> true;
            case NOT_PERFORMED -> false;
            default -> throw failure(key, status);
        };
    }

    @Override
    void setKeepingTtl(byte[] key, byte[] value) {
        Status status = write(key, () -> store.strings().set(db, MemorySegment.ofArray(key), MemorySegment.ofArray(value),
                StringCommands.KEEPTTL, 0, null), () -> RespCommand.of(SET, key, value, KEEPTTL));
        if (status != Status.OK) {
            throw failure(key, status);
        }
    }

    @Override
    void expireAt(byte[] key, long expireAt) {
        write(key, () -> store.keys().expire(db, MemorySegment.ofArray(key), expireAt, ExpireCondition.ALWAYS),
                () -> RespCommand.of(PEXPIREAT, key, Long.toString(expireAt).getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Runs one write of {@code key} as the engine's API writes run (write gate, append-only file,
     * with {@code loggedForm} as the command that replays it), marked as this cache's own.
     */
    private <T> T write(byte[] key, Supplier<T> body, Supplier<byte[]> loggedForm) {
        OwnWrites.begin();
        try {
            return store.write(db, key, body, loggedForm);
        } catch (StorageException e) {
            throw new CacheException("cache " + cacheName + ": " + e.getMessage(), e);
        } finally {
            OwnWrites.end();
        }
    }

    private static byte[] ascii(String word) {
        return word.getBytes(StandardCharsets.US_ASCII);
    }

    private CacheException failure(byte[] key, Status status) {
        return switch (status) {
            case OUT_OF_MEMORY -> new CacheException("cache " + cacheName
                    + ": the engine's memory budget is exhausted (maxmemory); the entry was not written");
            case VALUE_TOO_LARGE -> new CacheException("cache " + cacheName + ": the value is larger than the"
                    + " engine's maximum value size");
            case KEY_TOO_LARGE -> new CacheException("cache " + cacheName + ": the key is larger than the"
                    + " engine's maximum key size");
            case WRONG_TYPE -> new CacheException("cache " + cacheName + ": key " + printable(key)
                    + " holds a Redis collection, not a string");
            default -> new CacheException("cache " + cacheName + ": writing " + printable(key) + " failed: " + status);
        };
    }
}
