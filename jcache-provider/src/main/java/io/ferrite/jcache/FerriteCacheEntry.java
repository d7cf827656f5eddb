package io.ferrite.jcache;

import javax.cache.Cache;

/** A key and value read from a cache (iteration, {@code invokeAll} results, writer calls). */
public final class FerriteCacheEntry<K, V> implements Cache.Entry<K, V> {
    private final K key;
    private final V value;

    public FerriteCacheEntry(K key, V value) {
        this.key = key;
        this.value = value;
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        return value;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("cannot unwrap a cache entry to " + clazz.getName());
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
