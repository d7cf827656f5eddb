package io.ferrite.jcache;

import io.ferrite.core.api.ExpireMode;

/**
 * Where one cache's entries live: Redis string keys {@code <prefix><key>} in one database,
 * in an embedded engine ({@link EngineEntryStore}) or a Ferrite server ({@link RemoteEntryStore}).
 * Every write is a compare-and-set against what the cache read, so a write made by another
 * door (or another JVM) in between is never lost: the cache reads again and retries.
 */
abstract class EntryStore {
    private final byte[] prefix;
    protected final String cacheName;

    EntryStore(byte[] prefix, String cacheName) {
        this.prefix = prefix;
        this.cacheName = cacheName;
    }

    /** The store key of an encoded cache key. */
    final byte[] engineKey(byte[] encodedKey) {
        byte[] key = new byte[prefix.length + encodedKey.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(encodedKey, 0, key, prefix.length, encodedKey.length);
        return key;
    }

    /** The encoded cache key of a store key of this cache. */
    final byte[] cacheKey(byte[] engineKey) {
        byte[] key = new byte[engineKey.length - prefix.length];
        System.arraycopy(engineKey, prefix.length, key, 0, key.length);
        return key;
    }

    /** The value's bytes, or null when the key does not exist (or has expired). */
    abstract byte[] read(byte[] key);

    abstract boolean exists(byte[] key);

    /**
     * Writes {@code value} (null: deletes) if the key still holds {@code expected} (null: is
     * still absent). {@code expireAt} is absolute epoch ms with {@link ExpireMode#SET}.
     *
     * @return false when another write came first (read again and retry)
     */
    abstract boolean compareAndSet(byte[] key, byte[] expected, byte[] value, ExpireMode mode, long expireAt);

    /** Writes {@code value} whatever the key holds, keeping its TTL (none when it is created). */
    abstract void setKeepingTtl(byte[] key, byte[] value);

    /** Sets the absolute expiry of an existing key; a time in the past removes it. */
    abstract void expireAt(byte[] key, long expireAt);

    /** A key as text, non-printable bytes escaped, for error messages. */
    static String printable(byte[] key) {
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
