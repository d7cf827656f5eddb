package io.ferrite.bench;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import io.ferrite.core.api.Status;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark keyspace: keys {@code key:0} .. {@code key:<n-1>} as pre-built native
 * {@link MemorySegment}s (so a benchmark measures the engine, not key formatting), and a
 * store loaded with them.
 */
final class Keyspace {
    /** Keys in every benchmark and footprint run. */
    static final int KEYS = 1_000_000;
    /** Value size in bytes, as redis-benchmark's {@code -d 100}. */
    static final int VALUE_SIZE = 100;

    private Keyspace() {}

    /** Sum of the key lengths of {@code key:0} .. {@code key:<n-1>}. */
    static long rawKeyBytes(int n) {
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += 4 + Integer.toString(i).length();
        }
        return total;
    }

    /** All keys, each its own slice of one native block allocated in {@code arena}. */
    static MemorySegment[] keys(Arena arena, int n) {
        byte[][] bytes = new byte[n][];
        long total = 0;
        for (int i = 0; i < n; i++) {
            bytes[i] = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
            total += bytes[i].length;
        }
        MemorySegment block = arena.allocate(total, 8);
        MemorySegment[] keys = new MemorySegment[n];
        long offset = 0;
        for (int i = 0; i < n; i++) {
            MemorySegment.copy(MemorySegment.ofArray(bytes[i]), 0, block, offset, bytes[i].length);
            keys[i] = block.asSlice(offset, bytes[i].length);
            offset += bytes[i].length;
        }
        return keys;
    }

    /** A native value of {@code size} printable bytes. */
    static MemorySegment value(Arena arena, int size, char fill) {
        MemorySegment value = arena.allocate(size, 8);
        value.fill((byte) fill);
        return value;
    }

    /** A native segment holding {@code text} (ASCII). */
    static MemorySegment ascii(Arena arena, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        MemorySegment segment = arena.allocate(bytes.length, 8);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment, 0, bytes.length);
        return segment;
    }

    /** The store as the server opens it by default (one shard per core, 16 databases). */
    static FerriteStore openStore() {
        return FerriteStore.open(StoreConfig.builder().build());
    }

    /** SETs every key to {@code value} in database 0; fails loudly on any non-OK status. */
    static void load(FerriteStore store, MemorySegment[] keys, MemorySegment value) {
        for (MemorySegment key : keys) {
            Status status = store.strings().set(0, key, value);
            if (status != Status.OK) {
                throw new IllegalStateException("loading " + key + ": " + status);
            }
        }
    }
}
