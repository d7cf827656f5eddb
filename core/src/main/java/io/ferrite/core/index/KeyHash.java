package io.ferrite.core.index;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The 64-bit hash of a key, used to pick a shard, a bucket and a tag. A simple word-at-a-time
 * multiply-mix with a murmur3 finaliser: fast on short keys, and every output bit depends on
 * every input bit, which matters because different bit ranges pick shard, bucket and tag.
 */
public final class KeyHash {
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private KeyHash() {}

    public static long hash(MemorySegment key, long offset, long length) {
        long h = K1 ^ (length * K2);
        long i = 0;
        for (; i + 8 <= length; i += 8) {
            h = Long.rotateLeft(h ^ (key.get(LONG, offset + i) * K2), 31) * K1;
        }
        if (i + 4 <= length) {
            h = Long.rotateLeft(h ^ ((key.get(INT, offset + i) & 0xFFFFFFFFL) * K2), 27) * K1;
            i += 4;
        }
        for (; i < length; i++) {
            h = Long.rotateLeft(h ^ ((key.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFFL) * K2), 11) * K1;
        }
        return fmix(h);
    }

    public static long hash(MemorySegment key) {
        return hash(key, 0, key.byteSize());
    }

    private static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
