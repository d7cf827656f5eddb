package io.ferrite.jcache;

import java.util.Objects;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.processor.MutableEntry;

/**
 * The entry an {@link javax.cache.processor.EntryProcessor} works on: it records what the
 * processor did (read, set, remove, or a value loaded through read-through) so the cache can
 * apply the net effect once the processor returns.
 */
final class ProcessorEntry<K, V> implements MutableEntry<K, V> {
    /** The net effect on the cache. */
    enum Effect { NONE, ACCESSED, LOADED, CREATED, UPDATED, REMOVED }

    private final K key;
    private final V original;
    private final boolean existed;
    private final CacheLoader<K, V> loader;
    private V value;
    private boolean present;
    private boolean loadTried;
    private Effect effect = Effect.NONE;

    ProcessorEntry(K key, V original, CacheLoader<K, V> loader) {
        this.key = key;
        this.original = original;
        this.existed = original != null;
        this.loader = loader;
        this.value = original;
        this.present = existed;
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        if (present) {
            if (effect == Effect.NONE) {
                effect = Effect.ACCESSED;
            }
            return value;
        }
        if (effect == Effect.NONE && loader != null && !loadTried) {
            loadTried = true;
            V loaded;
            try {
                loaded = loader.load(key);
            } catch (CacheLoaderException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CacheLoaderException(e);
            }
            if (loaded != null) {
                value = loaded;
                present = true;
                effect = Effect.LOADED;
            }
            return loaded;
        }
        return null;
    }

    @Override
    public boolean exists() {
        return present;
    }

    @Override
    public void remove() {
        value = null;
        present = false;
        // Removing what this processor created leaves nothing to do; any other removal reaches the writer.
        effect = effect == Effect.CREATED ? Effect.NONE : Effect.REMOVED;
    }

    @Override
    public void setValue(V newValue) {
        Objects.requireNonNull(newValue, "an entry processor cannot set a null value");
        value = newValue;
        present = true;
        effect = existed ? Effect.UPDATED : Effect.CREATED;
    }

    Effect effect() {
        return effect;
    }

    V value() {
        return value;
    }

    V original() {
        return original;
    }

    boolean existed() {
        return existed;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("cannot unwrap a mutable entry to " + clazz.getName());
    }
}
