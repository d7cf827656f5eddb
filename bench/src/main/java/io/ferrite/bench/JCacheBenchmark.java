package io.ferrite.bench;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.EntryUnit;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.jsr107.Eh107Configuration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JCache {@code get} and {@code put} of 100-character String values on 100K String keys chosen
 * uniformly at random, through the standard {@code javax.cache} API of each provider in the
 * same run: Ferrite's embedded provider, Ehcache 3 with a heap tier and with an off-heap tier,
 * and Caffeine's JCache provider. Every cache stores by value (the JSR-107 default), so each
 * provider copies or serializes keys and values its own way. Run with {@code -t 1} and {@code -t 2}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
public class JCacheBenchmark {
    static final int KEYS = 100_000;
    static final int VALUE_CHARS = 100;

    /** One provider's cache, loaded with every key. */
    @State(Scope.Benchmark)
    public static class Provider {
        @Param({"ferrite", "ehcache-heap", "ehcache-offheap", "caffeine"})
        public String provider;

        CachingProvider cachingProvider;
        CacheManager manager;
        Cache<String, String> cache;
        String[] keys;
        String value;

        @Setup(Level.Trial)
        public void setUp() {
            cachingProvider = Caching.getCachingProvider(switch (provider) {
                case "ferrite" -> "io.ferrite.jcache.FerriteCachingProvider";
                case "ehcache-heap", "ehcache-offheap" -> "org.ehcache.jsr107.EhcacheCachingProvider";
                case "caffeine" -> "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";
                default -> throw new IllegalArgumentException(provider);
            });
            manager = cachingProvider.getCacheManager();
            cache = switch (provider) {
                case "ehcache-heap" -> manager.createCache("bench", Eh107Configuration.fromEhcacheCacheConfiguration(
                        CacheConfigurationBuilder.newCacheConfigurationBuilder(String.class, String.class,
                                ResourcePoolsBuilder.newResourcePoolsBuilder().heap(2 * KEYS, EntryUnit.ENTRIES))));
                case "ehcache-offheap" -> manager.createCache("bench", Eh107Configuration.fromEhcacheCacheConfiguration(
                        CacheConfigurationBuilder.newCacheConfigurationBuilder(String.class, String.class,
                                ResourcePoolsBuilder.newResourcePoolsBuilder().heap(1000, EntryUnit.ENTRIES)
                                        .offheap(256, MemoryUnit.MB))));
                default -> manager.createCache("bench",
                        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
            };
            keys = keys(KEYS);
            value = "v".repeat(VALUE_CHARS);
            load(cache, keys, value, provider);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            manager.destroyCache("bench");
            manager.close();
        }

        String randomKey() {
            return keys[ThreadLocalRandom.current().nextInt(KEYS)];
        }
    }

    /** {@code key:0} .. {@code key:<n-1>}. */
    static String[] keys(int n) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "key:" + i;
        }
        return keys;
    }

    /** Puts every key with {@code value} and checks that the cache answers it. */
    static void load(Cache<String, String> cache, String[] keys, String value, String provider) {
        for (String key : keys) {
            cache.put(key, value);
        }
        if (!value.equals(cache.get(keys[keys.length - 1]))) {
            throw new IllegalStateException(provider + ": get after loading did not return the value");
        }
    }

    @Benchmark
    public String get(Provider p) {
        return p.cache.get(p.randomKey());
    }

    @Benchmark
    public void put(Provider p) {
        p.cache.put(p.randomKey(), p.value);
    }
}
