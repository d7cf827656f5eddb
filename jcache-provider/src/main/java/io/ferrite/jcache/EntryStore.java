package io.ferrite.jcache;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.ExpireCondition;
import io.ferrite.core.api.ExpireMode;
import io.ferrite.core.api.Status;
import io.ferrite.core.types.StringCommands;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import javax.cache.CacheException;

/**
 * One cache's entries in the engine: Redis string keys {@code <prefix><key>} in one
 * database. Every write is a compare-and-set against what the cache read, so a write made by
 * another door in between is never lost: the cache reads again and retries. Own writes are
 * marked ({@link OwnWrites}) so their change events are not taken for another door's.
 */
final class EntryStore {
    private final FerriteStore store;
    private final int db;
    private final byte[] prefix;
    private final String cacheName;

    EntryStore(FerriteStore store, int db, byte[] prefix, String cacheName) {
        this.store = store;
        this.db = db;
        this.prefix = prefix;
        this.cacheName = cacheName;
    }

    /** The engine key of an encoded cache key. */
    byte[] engineKey(byte[] encodedKey) {
        byte[] key = new byte[prefix.length + encodedKey.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(encodedKey, 0, key, prefix.length, encodedKey.length);
        return key;
    }

    /** The encoded cache key of an engine key of this cache. */
    byte[] cacheKey(byte[] engineKey) {
        byte[] key = new byte[engineKey.length - prefix.length];
        System.arraycopy(engineKey, prefix.length, key, 0, key.length);
        return key;
    }

    /** The value's bytes, or null when the key does not exist (or has expired). */
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

    boolean exists(byte[] key) {
        return store.keys().exists(db, MemorySegment.ofArray(key));
    }

    /**
     * Writes {@code value} (null: deletes) if the key still holds {@code expected} (null: is
     * still absent). {@code expireAt} is absolute epoch ms with {@link ExpireMode#SET}.
     *
     * @return false when another write came first (read again and retry)
     */
    boolean compareAndSet(byte[] key, byte[] expected, byte[] value, ExpireMode mode, long expireAt) {
        OwnWrites.begin();
        try {
            Status status = store.strings().compareAndSet(db, MemorySegment.ofArray(key),
                    expected == null ? null : MemorySegment.ofArray(expected),
                    value == null ? null : MemorySegment.ofArray(value), mode, expireAt);
            return switch (status) {
                case OK -> true;
                case NOT_PERFORMED -> false;
                default -> throw failure(key, status);
            };
        } finally {
            OwnWrites.end();
        }
    }

    /** Writes {@code value} whatever the key holds, keeping its TTL (none when it is created). */
    void setKeepingTtl(byte[] key, byte[] value) {
        OwnWrites.begin();
        try {
            Status status = store.strings().set(db, MemorySegment.ofArray(key), MemorySegment.ofArray(value),
                    StringCommands.KEEPTTL, 0, null);
            if (status != Status.OK) {
                throw failure(key, status);
            }
        } finally {
            OwnWrites.end();
        }
    }

    /** Sets the absolute expiry of an existing key; a time in the past removes it. */
    void expireAt(byte[] key, long expireAt) {
        OwnWrites.begin();
        try {
            store.keys().expire(db, MemorySegment.ofArray(key), expireAt, ExpireCondition.ALWAYS);
        } finally {
            OwnWrites.end();
        }
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

    private static String printable(byte[] key) {
        StringBuilder out = new StringBuilder(key.length);
        for (byte b : key) {
            int c = b & 0xFF;
            if (c >= 0x20 && c < 0x7F) {
                out.append((char) c);
            } else {
                out.append(String.format("\\x%02x", c));
            }
        }
        return out.toString();
    }
}
