package io.ferrite.jcache;

import java.util.Iterator;
import java.util.NoSuchElementException;
import javax.cache.Cache;

/**
 * Walks the keys a cache had when the iteration began, reading each entry as it goes (an
 * entry removed meanwhile is skipped). Each entry read is a hit and an access for the expiry
 * policy; {@link #remove} is the cache's {@code remove(key)}.
 */
final class EntryIterator<K, V> implements Iterator<Cache.Entry<K, V>> {
    private final FerriteCache<K, V> cache;
    private final CacheEntries<K, V> core;
    private final KeyDirectory.Key[] keys;
    private int next;
    private Cache.Entry<K, V> ahead;
    private Cache.Entry<K, V> last;

    EntryIterator(FerriteCache<K, V> cache, CacheEntries<K, V> core, KeyDirectory.Key[] keys) {
        this.cache = cache;
        this.core = core;
        this.keys = keys;
    }

    @Override
    public boolean hasNext() {
        cache.checkOpen();
        while (ahead == null && next < keys.length) {
            byte[] ek = keys[next++].bytes();
            K key = core.decodeKey(core.store().cacheKey(ek));
            if (key == null) {
                continue; // another cache's key with no byte form: not one this cache can name
            }
            V value = core.locked(ek, () -> core.readAndAccess(ek));
            if (value != null) {
                cache.statistics().hits(1);
                ahead = new FerriteCacheEntry<>(key, value);
            }
        }
        return ahead != null;
    }

    @Override
    public Cache.Entry<K, V> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        last = ahead;
        ahead = null;
        return last;
    }

    @Override
    public void remove() {
        cache.checkOpen();
        if (last == null) {
            throw new IllegalStateException("next() has not been called, or remove() was called already");
        }
        cache.remove(last.getKey());
        last = null;
    }
}
