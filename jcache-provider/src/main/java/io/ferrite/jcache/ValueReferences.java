package io.ferrite.jcache;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a store-by-reference cache keeps beside the engine: for each entry the instance it last
 * stored or handed out and the bytes the engine held for that instance. A read that finds those
 * bytes still in the engine returns the very instance (with whatever the application changed in
 * it since, as JSR-107's store-by-reference means); bytes another door wrote meanwhile differ,
 * so they are decoded afresh and become the entry's instance. The engine always holds the value
 * as of the last write, so other doors read it and its TTL applies. A store-by-value cache uses
 * {@link #NONE}, which keeps nothing.
 *
 * <p>A key with no byte form of its own (not Serializable, no Serializer), which a
 * store-by-reference cache must still take, gets a <em>reference key</em>: {@code 0xFE} and 16
 * random bytes, the same for every key equal to it while the cache is open ({@code 0xFE} never
 * occurs in UTF-8 and serialized keys start with {@code 0xFF}, so it names no other key). Its
 * entry is an engine key like any other (its value and TTL visible to other doors), but only this
 * cache in this JVM knows which key it stands for: others skip it, and the cache removes those
 * entries when it closes, since nobody could reach them again.
 */
class ValueReferences {
    /** First byte of a reference key. */
    static final byte REFERENCE_KEY_MARK = (byte) 0xFE;
    /** What {@link #keyOf} answers for a reference key this cache did not make. */
    static final Object UNKNOWN_KEY = new Object();

    /** Keeps nothing: every read decodes (store-by-value). */
    static final ValueReferences NONE = new ValueReferences();

    private ValueReferences() {}

    /** @param referenceKeys whether keys may be given reference keys (not for byte[] keys, whose bytes may start with 0xFE) */
    static ValueReferences byReference(boolean referenceKeys) {
        return new Held(referenceKeys);
    }

    /** The encoded form for {@code key}, whose codec found no byte form ({@code noForm}); by value there is none. */
    byte[] referenceKey(Object key, RuntimeException noForm) {
        throw noForm;
    }

    /** The key the encoded key {@code encoded} stands for if it is a reference key ({@link #UNKNOWN_KEY}: not one of this cache's), else null. */
    Object keyOf(byte[] encoded) {
        return null;
    }

    /** The reference keys made so far. */
    List<byte[]> referenceKeys() {
        return List.of();
    }

    /** The instance held for the entry if the engine still holds {@code current} for it, else null. */
    Object find(byte[] ek, byte[] current) {
        return null;
    }

    /** The entry now holds {@code bytes}, which are {@code value}'s. */
    void stored(byte[] ek, byte[] bytes, Object value) {}

    /** The entry is gone. */
    void removed(byte[] ek) {}

    private static final class Held extends ValueReferences {
        private record Instance(byte[] bytes, Object value) {}

        private final ConcurrentHashMap<KeyDirectory.Key, Instance> instances = new ConcurrentHashMap<>();
        private final boolean referenceKeys;
        /** Keys without a byte form and their reference keys, both ways; kept while the cache is open. */
        private final ConcurrentHashMap<Object, byte[]> referenced = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<KeyDirectory.Key, Object> byReference = new ConcurrentHashMap<>();

        Held(boolean referenceKeys) {
            this.referenceKeys = referenceKeys;
        }

        @Override
        byte[] referenceKey(Object key, RuntimeException noForm) {
            if (!referenceKeys) {
                throw noForm;
            }
            return referenced.computeIfAbsent(key, k -> {
                UUID id = UUID.randomUUID();
                byte[] bytes = java.nio.ByteBuffer.allocate(17).put(REFERENCE_KEY_MARK)
                        .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
                byReference.put(new KeyDirectory.Key(bytes), k);
                return bytes;
            });
        }

        @Override
        Object keyOf(byte[] encoded) {
            if (!referenceKeys || encoded.length != 17 || encoded[0] != REFERENCE_KEY_MARK) {
                return null;
            }
            Object key = byReference.get(new KeyDirectory.Key(encoded));
            return key != null ? key : UNKNOWN_KEY;
        }

        @Override
        List<byte[]> referenceKeys() {
            return List.copyOf(referenced.values());
        }

        @Override
        Object find(byte[] ek, byte[] current) {
            Instance held = instances.get(new KeyDirectory.Key(ek));
            return held != null && Arrays.equals(held.bytes, current) ? held.value : null;
        }

        @Override
        void stored(byte[] ek, byte[] bytes, Object value) {
            instances.put(new KeyDirectory.Key(ek), new Instance(bytes, value));
        }

        @Override
        void removed(byte[] ek) {
            instances.remove(new KeyDirectory.Key(ek));
        }
    }
}
