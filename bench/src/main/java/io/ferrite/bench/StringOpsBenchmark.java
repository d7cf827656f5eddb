package io.ferrite.bench;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GET, SET and INCR against {@link FerriteStore} directly, on 1M keys {@code key:0} ..
 * {@code key:999999} chosen uniformly at random (like {@code redis-benchmark -r 1000000}),
 * with 1 and 2 threads. GET and SET use 100-byte values; INCR uses the same keys in a store
 * loaded with small integers (INCR on a 100-byte string is an error, not an increment).
 *
 * <p>Keys are pre-built native segments and the random key choice is a xorshift step, so
 * the numbers are the engine's cost: hash, shard routing, epoch pin, index probe, record
 * access (plus, for writes, the shard lock and the in-place update). GET hands the value to
 * a sink that copies it into a per-thread buffer, as the server copies it into a reply.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
public class StringOpsBenchmark {

    /** 1M keys holding 100-byte values (GET, SET). */
    @State(Scope.Benchmark)
    public static class Strings {
        Arena arena;
        FerriteStore store;
        MemorySegment[] keys;
        MemorySegment value;

        @Setup(Level.Trial)
        public void setUp() {
            arena = Arena.ofShared();
            keys = Keyspace.keys(arena, Keyspace.KEYS);
            value = Keyspace.value(arena, Keyspace.VALUE_SIZE, 'v');
            store = Keyspace.openStore();
            Keyspace.load(store, keys, value);
            long[] length = {-1};
            Status status = store.strings().get(0, keys[keys.length - 1], (src, off, len) -> length[0] = len);
            if (status != Status.OK || length[0] != Keyspace.VALUE_SIZE) {
                throw new IllegalStateException("GET after loading: " + status + ", length " + length[0]);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            store.close();
            arena.close();
        }
    }

    /** 1M keys holding the integer {@code 0} (INCR). */
    @State(Scope.Benchmark)
    public static class Counters {
        Arena arena;
        FerriteStore store;
        MemorySegment[] keys;

        @Setup(Level.Trial)
        public void setUp() {
            arena = Arena.ofShared();
            keys = Keyspace.keys(arena, Keyspace.KEYS);
            store = Keyspace.openStore();
            // A counter that starts wide enough never changes its length during the run,
            // so INCR stays an in-place update like Redis's on an existing integer.
            Keyspace.load(store, keys, Keyspace.ascii(arena, "1000000000"));
            LongParse result = new LongParse();
            Status status = store.strings().incrBy(0, keys[0], 0, result);
            if (status != Status.OK || result.value != 1_000_000_000L) {
                throw new IllegalStateException("INCRBY 0 after loading: " + status + ", " + result.value);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            store.close();
            arena.close();
        }
    }

    /** Per-thread random key choice and reusable result holders (no allocation per op). */
    @State(Scope.Thread)
    public static class Cursor {
        long seed;
        final MemorySegment copy = Arena.ofAuto().allocate(Keyspace.VALUE_SIZE * 2L, 8);
        final LongParse result = new LongParse();
        final ValueSink sink = (source, offset, length) -> MemorySegment.copy(source, offset, copy, 0, length);

        @Setup(Level.Trial)
        public void setUp() {
            seed = System.nanoTime() | 1;
        }

        /** Index of the next key, uniform over the keyspace (xorshift64, then multiply-shift). */
        int next() {
            long x = seed;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            seed = x;
            return (int) (((x >>> 32) * Keyspace.KEYS) >>> 32);
        }
    }

    private static Status get(Strings s, Cursor c) {
        return s.store.strings().get(0, s.keys[c.next()], c.sink);
    }

    private static Status set(Strings s, Cursor c) {
        return s.store.strings().set(0, s.keys[c.next()], s.value);
    }

    private static long incr(Counters s, Cursor c) {
        s.store.strings().incrBy(0, s.keys[c.next()], 1, c.result);
        return c.result.value;
    }

    @Benchmark
    @Threads(1)
    public Status get_t1(Strings s, Cursor c) {
        return get(s, c);
    }

    @Benchmark
    @Threads(2)
    public Status get_t2(Strings s, Cursor c) {
        return get(s, c);
    }

    @Benchmark
    @Threads(1)
    public Status set_t1(Strings s, Cursor c) {
        return set(s, c);
    }

    @Benchmark
    @Threads(2)
    public Status set_t2(Strings s, Cursor c) {
        return set(s, c);
    }

    @Benchmark
    @Threads(1)
    public long incr_t1(Counters s, Cursor c) {
        return incr(s, c);
    }

    @Benchmark
    @Threads(2)
    public long incr_t2(Counters s, Cursor c) {
        return incr(s, c);
    }
}
