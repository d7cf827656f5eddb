package io.ferrite.jcache;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a store-by-reference cache keeps beside the engine: for each entry the instance it last
 * stored or handed out and the bytes the engine held for that instance. A read that finds those
 * bytes still in the engine returns the very instance (with whatever the application changed in
 * it since, as JSR-107's store-by-reference means); bytes another door wrote meanwhile differ,
 * so they are decoded afresh and become the entry's instance. The engine always holds the value
 * as of the last write, so other doors read it and its TTL applies. A store-by-value cache uses
 * {@link #NONE}, which keeps nothing.
 */
class ValueReferences {
    /** Keeps nothing: every read decodes (store-by-value). */
    static final ValueReferences NONE = new ValueReferences();

    private ValueReferences() {}

    static ValueReferences byReference() {
        return new Held();
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
