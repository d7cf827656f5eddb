package io.ferrite.jcache;

/**
 * Marks the engine writes a cache of this JVM makes on the current thread, so that the change
 * events they cause (delivered synchronously on this thread) are not mistaken for another
 * door's writes: the cache raises its own listener events, with old values, itself.
 */
final class OwnWrites {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private OwnWrites() {}

    static void begin() {
        DEPTH.get()[0]++;
    }

    static void end() {
        DEPTH.get()[0]--;
    }

    static boolean active() {
        return DEPTH.get()[0] > 0;
    }
}
