package io.ferrite.jcache;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.ExpireMode;
import io.ferrite.jcache.codec.TypedCodec;
import io.ferrite.jcache.event.CacheListeners;
import io.ferrite.jcache.event.FerriteEntryEvent;
import io.ferrite.jcache.management.CacheStatistics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.cache.CacheException;
import javax.cache.event.EventType;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;

/**
 * One cache's entries as typed keys and values, and the steps of its operations that run
 * under a key's stripe lock: each reads the entry, applies the expiry policy, writes with a
 * compare-and-set (redone when another door wrote in between), raises the event and counts
 * the statistics. {@link FerriteCache} checks the arguments, takes the lock and calls these.
 */
final class CacheEntries<K, V> {
    private static final int STRIPES = 256;

    private final FerriteCache<K, V> cache;
    private final String name;
    private final EntryStore entries;
    private final TypedCodec keyCodec;
    private final TypedCodec valueCodec;
    private final ExpiryTimes expiry;
    private final boolean readThrough;
    private final CacheLoader<K, V> loader;
    private final CacheWriter<K, V> writer;
    private final CacheListeners<K, V> listeners;
    private final CacheStatistics statistics;
    private final ValueReferences references;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    CacheEntries(FerriteCache<K, V> cache, EntryStore entries, TypedCodec keyCodec, TypedCodec valueCodec,
                 ExpiryTimes expiry, boolean readThrough, CacheLoader<K, V> loader, CacheWriter<K, V> writer,
                 CacheListeners<K, V> listeners, CacheStatistics statistics, ValueReferences references) {
        this.cache = cache;
        this.name = cache.getName();
        this.entries = entries;
        this.keyCodec = keyCodec;
        this.valueCodec = valueCodec;
        this.expiry = expiry;
        this.readThrough = readThrough;
        this.loader = loader;
        this.writer = writer;
        this.listeners = listeners;
        this.statistics = statistics;
        this.references = references;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    EntryStore store() {
        return entries;
    }

    boolean hasWriter() {
        return writer != null;
    }

    CacheWriter<K, V> writer() {
        return writer;
    }

    /**
     * Creates the entry if it is absent, with the creation expiry.
     * @return false when it exists (also when another door created it first)
     */
    boolean createIfAbsent(K key, byte[] ek, V value) {
        while (true) {
            long at = expiry.forCreation();
            if (at == ExpiryTimes.EXPIRED) {
                return true;
            }
            if (store(ek, null, value, encodeValue(value), modeOf(at), at)) {
                statistics.puts(1);
                fire(EventType.CREATED, key, value, null);
                return true;
            }
            if (entries.read(ek) != null) {
                return false;
            }
        }
    }

    /** The entry's value with the access expiry applied, or null when it is absent. */
    V readAndAccess(byte[] ek) {
        byte[] current = entries.read(ek);
        if (current == null) {
            references.removed(ek);
            return null;
        }
        accessed(ek, current);
        return decodeValue(ek, current);
    }

    /** Removes whatever the entry holds now, without events or statistics ({@code clear()}). */
    void clear(byte[] ek) {
        byte[] current;
        while ((current = entries.read(ek)) != null && !delete(ek, current)) {
            // another door wrote it meanwhile: clear what is there now
        }
    }

    <T> T invoke(K key, byte[] ek, EntryProcessor<K, V, T> processor, Object[] arguments) {
        while (true) {
            byte[] current = entries.read(ek);
            V original = current == null ? null : decodeValue(ek, current);
            ProcessorEntry<K, V> entry = new ProcessorEntry<>(key, original,
                    readThrough ? loader : null);
            T result;
            try {
                result = processor.process(entry, arguments);
            } catch (EntryProcessorException e) {
                throw e;
            } catch (Exception e) {
                throw new EntryProcessorException(e);
            }
            if (apply(key, ek, current, entry)) {
                if (entry.existed()) {
                    statistics.hits(1);
                } else {
                    statistics.misses(1);
                }
                return result;
            }
        }
    }

    /** Applies a processor's net effect; false when another door changed the entry meanwhile. */
    private boolean apply(K key, byte[] ek, byte[] current, ProcessorEntry<K, V> entry) {
        try {
            switch (entry.effect()) {
                case NONE -> {
                    return true;
                }
                case ACCESSED -> {
                    accessed(ek, current);
                    return true;
                }
                case LOADED -> {
                    long at = expiry.forCreation();
                    if (at == ExpiryTimes.EXPIRED) {
                        return true;
                    }
                    if (!store(ek, null, entry.value(), encodeValue(entry.value()), modeOf(at), at)) {
                        return false;
                    }
                    fire(EventType.CREATED, key, entry.value(), null);
                    return true;
                }
                case CREATED -> {
                    writeThrough(key, entry.value());
                    long at = expiry.forCreation();
                    if (at == ExpiryTimes.EXPIRED) {
                        return current == null || delete(ek, current);
                    }
                    if (!store(ek, current, entry.value(), encodeValue(entry.value()), modeOf(at), at)) {
                        return false;
                    }
                    statistics.puts(1);
                    fire(EventType.CREATED, key, entry.value(), null);
                    return true;
                }
                case UPDATED -> {
                    writeThrough(key, entry.value());
                    if (!update(ek, current, entry.value(), encodeValue(entry.value()))) {
                        return false;
                    }
                    statistics.puts(1);
                    fire(EventType.UPDATED, key, entry.value(), entry.original());
                    return true;
                }
                case REMOVED -> {
                    deleteThrough(key);
                    if (current == null) {
                        return true; // nothing was stored: the writer is told, the cache has nothing to remove
                    }
                    if (!delete(ek, current)) {
                        return false;
                    }
                    statistics.removals(1);
                    fire(EventType.REMOVED, key, entry.original(), entry.original());
                    return true;
                }
                default -> throw new AssertionError(entry.effect());
            }
        } catch (CacheException e) {
            throw e instanceof EntryProcessorException ? e : new EntryProcessorException(e);
        }
    }

    /** Puts under the key's lock: creation or update expiry, the event, the statistics. */
    void put(K key, byte[] ek, V value, boolean countPut) {
        if (listeners.isEmpty() && expiry.eternal()) {
            // Nobody needs the old value or whether there was one (eternal: created without a TTL,
            // updated keeping it): one plain write, and another door's write meanwhile loses nothing
            // an unconditional put would not overwrite anyway.
            byte[] encoded = encodeValue(value);
            entries.setKeepingTtl(ek, encoded);
            references.stored(ek, encoded, value);
            if (countPut) {
                statistics.puts(1);
            }
            return;
        }
        put(key, ek, value, countPut, listeners.wants(EventType.UPDATED));
    }

    /** As {@link #put}, returning the value it replaced (null when there was none). */
    V getAndPut(K key, byte[] ek, V value) {
        return put(key, ek, value, true, true);
    }

    private V put(K key, byte[] ek, V value, boolean countPut, boolean wantOld) {
        byte[] encoded = encodeValue(value);
        while (true) {
            byte[] current = entries.read(ek);
            if (current == null) {
                long at = expiry.forCreation();
                if (at == ExpiryTimes.EXPIRED) {
                    return null;
                }
                if (store(ek, null, value, encoded, modeOf(at), at)) {
                    if (countPut) {
                        statistics.puts(1);
                    }
                    fire(EventType.CREATED, key, value, null);
                    return null;
                }
            } else {
                V old = wantOld ? decodeValue(ek, current) : null;
                if (update(ek, current, value, encoded)) {
                    if (countPut) {
                        statistics.puts(1);
                    }
                    fire(EventType.UPDATED, key, value, old);
                    return old;
                }
            }
        }
    }

    /** Replaces an existing value (any, when {@code expected} is null); false when it is gone. */
    boolean replace(K key, byte[] ek, byte[] expected, V value) {
        byte[] encoded = encodeValue(value);
        while (true) {
            byte[] current = entries.read(ek);
            if (current == null || (expected != null && !Arrays.equals(current, expected))) {
                return false;
            }
            V old = decodeValue(ek, current);
            if (update(ek, current, value, encoded)) {
                statistics.puts(1);
                fire(EventType.UPDATED, key, value, old);
                return true;
            }
        }
    }

    /** Writes a new value over {@code current} with the update expiry (which may remove it). */
    private boolean update(byte[] ek, byte[] current, V value, byte[] encoded) {
        long at = expiry.forUpdate();
        if (at == ExpiryTimes.EXPIRED) {
            return delete(ek, current);
        }
        return store(ek, current, value, encoded, at == ExpiryTimes.UNCHANGED ? ExpireMode.KEEP : modeOf(at), at);
    }

    /** Writes {@code value} (its bytes: {@code encoded}) if the entry still holds {@code current}. */
    private boolean store(byte[] ek, byte[] current, V value, byte[] encoded, ExpireMode mode, long at) {
        if (!entries.compareAndSet(ek, current, encoded, mode, at)) {
            return false;
        }
        references.stored(ek, encoded, value);
        return true;
    }

    /** Removes the entry if it still holds {@code current}. */
    private boolean delete(byte[] ek, byte[] current) {
        if (!entries.compareAndSet(ek, current, null, ExpireMode.KEEP, 0)) {
            return false;
        }
        references.removed(ek);
        return true;
    }

    /**
     * Removes the entry (only if it holds {@code expected}, when not null).
     * @return the removed value, null when nothing was removed
     */
    V remove(K key, byte[] ek, byte[] expected) {
        while (true) {
            byte[] current = entries.read(ek);
            if (current == null || (expected != null && !Arrays.equals(current, expected))) {
                return null;
            }
            V old = decodeValue(ek, current);
            if (delete(ek, current)) {
                statistics.removals(1);
                fire(EventType.REMOVED, key, old, old);
                return old;
            }
        }
    }

    /** A value loaded by read-through: stored with the creation expiry, no writer call, no put counted. */
    Void storeLoaded(K key, byte[] ek, V value) {
        long at = expiry.forCreation();
        if (at == ExpiryTimes.EXPIRED) {
            return null;
        }
        if (store(ek, null, value, encodeValue(value), modeOf(at), at)) {
            fire(EventType.CREATED, key, value, null);
        }
        return null;
    }

    /** Applies the access expiry after a read that found {@code current}. */
    void accessed(byte[] ek, byte[] current) {
        long at = expiry.forAccess();
        if (at == ExpiryTimes.UNCHANGED) {
            return;
        }
        if (at == ExpiryTimes.EXPIRED) {
            delete(ek, current);
        } else if (at == ExpiryTimes.ETERNAL) {
            entries.compareAndSet(ek, current, current, ExpireMode.CLEAR, 0);
        } else {
            entries.expireAt(ek, at);
        }
    }

    private static ExpireMode modeOf(long at) {
        return at == ExpiryTimes.ETERNAL ? ExpireMode.CLEAR : ExpireMode.SET;
    }

    V load(K key) {
        try {
            return loader.load(key);
        } catch (CacheLoaderException e) {
            throw e;
        } catch (Exception e) {
            throw new CacheLoaderException(e);
        }
    }

    Map<K, V> loadAll(Set<K> keys) {
        try {
            Map<K, V> loaded = loader.loadAll(keys);
            return loaded == null ? Map.of() : loaded;
        } catch (CacheLoaderException e) {
            throw e;
        } catch (Exception e) {
            throw new CacheLoaderException(e);
        }
    }

    void writeThrough(K key, V value) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(new FerriteCacheEntry<>(key, value));
        } catch (CacheWriterException e) {
            throw e;
        } catch (Exception e) {
            throw new CacheWriterException(e);
        }
    }

    void deleteThrough(K key) {
        if (writer == null) {
            return;
        }
        try {
            writer.delete(key);
        } catch (CacheWriterException e) {
            throw e;
        } catch (Exception e) {
            throw new CacheWriterException(e);
        }
    }

    private void fire(EventType type, K key, V value, V oldValue) {
        if (!listeners.isEmpty() && listeners.wants(type)) {
            listeners.fire(new FerriteEntryEvent<>(cache, type, key, value, oldValue, oldValue != null));
        }
    }

    /** A change another door made to one of this cache's keys (called under the engine's lock: hand over). */
    void foreignChange(KeyDirectory.Key key, ChangeKind kind, boolean existedBefore, byte[] oldValue) {
        switch (kind) {
            case DEL, RENAME_FROM, MOVE_FROM, EXPIRED, EVICTED -> references.removed(key.bytes());
            default -> { } // a new value has new bytes: the instance held is no longer returned
        }
        if (listeners.isEmpty() || cache.isClosed()) {
            return;
        }
        listeners.onEventThread(() -> {
            try {
                deliverForeign(key.bytes(), kind, existedBefore, oldValue);
            } catch (RuntimeException e) {
                System.getLogger("ferrite.jcache").log(System.Logger.Level.WARNING,
                        "cache " + name + ": cannot turn a change of another door into an event", e);
            }
        });
    }

    private void deliverForeign(byte[] ek, ChangeKind kind, boolean existedBefore, byte[] oldBytes) {
        if (cache.isClosed()) {
            return;
        }
        K key = decodeKey(entries.cacheKey(ek));
        if (key == null) {
            return;
        }
        EventType type = switch (kind) {
            case DEL, RENAME_FROM, MOVE_FROM -> EventType.REMOVED;
            case EXPIRED, EVICTED -> EventType.EXPIRED;
            case EXPIRE, PERSIST -> null;
            default -> existedBefore ? EventType.UPDATED : EventType.CREATED;
        };
        if (type == null) {
            return;
        }
        V value = null;
        if (type == EventType.CREATED || type == EventType.UPDATED) {
            // under the key's lock, as every read that may record a store-by-reference instance
            value = locked(ek, () -> {
                byte[] current = entries.read(ek);
                return current == null ? null : decodeValue(ek, current);
            });
            if (value == null) {
                return; // gone again before it could be read: its removal has its own event
            }
        }
        // The old value is known when a listener requires it (the engine copied it out); a
        // removal's event carries it as its value too, as this cache's own removals do.
        V old = previousValue(oldBytes);
        if (type == EventType.REMOVED || type == EventType.EXPIRED) {
            value = old;
        }
        listeners.fireForeign(new FerriteEntryEvent<>(cache, type, key, value, old, old != null));
    }

    /** The value another door's change replaced, decoded; null when unknown or not a value of this cache's type. */
    @SuppressWarnings("unchecked")
    private V previousValue(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return (V) valueCodec.decode(bytes);
        } catch (RuntimeException e) {
            return null; // another door wrote something this cache cannot read: the event goes without it
        }
    }

    <R> R locked(byte[] ek, Supplier<R> body) {
        ReentrantLock lock = stripes[(Arrays.hashCode(ek) & 0x7fffffff) % STRIPES];
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    byte[] engineKey(K key) {
        try {
            try {
                return entries.engineKey(keyCodec.encode(key));
            } catch (IllegalArgumentException noForm) {
                // No byte form (not Serializable): a store-by-reference cache keys it by reference.
                return entries.engineKey(references.referenceKey(key, noForm));
            }
        } catch (RuntimeException e) {
            throw new CacheException("cache " + name + ": cannot store the key " + key + ": " + e.getMessage(), e);
        }
    }

    /** Removes the entries of keys with no byte form (when the cache closes: nobody could reach them again). */
    void removeReferenceKeyedEntries() {
        for (byte[] encoded : references.referenceKeys()) {
            byte[] ek = entries.engineKey(encoded);
            locked(ek, () -> {
                byte[] current = entries.read(ek);
                if (current != null) {
                    entries.compareAndSet(ek, current, null, io.ferrite.core.api.ExpireMode.KEEP, 0);
                }
                return null;
            });
        }
    }

    /**
     * Whether the entry, found holding {@code current}, holds {@code expected} (whose bytes are
     * {@code wanted}): the held instance's equals when there is one, else the bytes.
     */
    boolean holds(byte[] ek, byte[] current, V expected, byte[] wanted) {
        Object held = references.find(ek, current);
        return held != null ? held.equals(expected) : Arrays.equals(current, wanted);
    }

    byte[] encodeValue(V value) {
        try {
            return valueCodec.encode(value);
        } catch (RuntimeException e) {
            throw new CacheException("cache " + name + ": cannot store the value: " + e.getMessage(), e);
        }
    }

    /** The key of an encoded key; null for a reference key of another cache (skip its entry). */
    @SuppressWarnings("unchecked")
    K decodeKey(byte[] encoded) {
        Object referenced = references.keyOf(encoded);
        if (referenced != null) {
            return referenced == ValueReferences.UNKNOWN_KEY ? null : (K) referenced;
        }
        try {
            return (K) keyCodec.decode(encoded);
        } catch (RuntimeException e) {
            throw new CacheException("cache " + name + ": a key " + e.getMessage(), e);
        }
    }

    /** The value of bytes the engine holds for the entry: the instance held for them (store-by-reference) or a new one. */
    @SuppressWarnings("unchecked")
    V decodeValue(byte[] ek, byte[] encoded) {
        Object held = references.find(ek, encoded);
        if (held != null) {
            return (V) held;
        }
        try {
            V value = (V) valueCodec.decode(encoded);
            references.stored(ek, encoded, value);
            return value;
        } catch (RuntimeException e) {
            throw new CacheException("cache " + name + ": the entry " + new String(ek, StandardCharsets.UTF_8)
                    + " " + e.getMessage(), e);
        }
    }
}
