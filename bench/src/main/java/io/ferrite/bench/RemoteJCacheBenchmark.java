package io.ferrite.bench;

import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
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
import org.redisson.config.Config;
import org.redisson.jcache.configuration.RedissonConfiguration;

/**
 * JCache {@code get} and {@code put} of 100-character String values on 10K String keys chosen
 * uniformly at random, on a server: Ferrite's provider in remote mode ({@code ferrite://}) on
 * a Ferrite server, and Redisson's JCache on redis-server, in the same run. The servers are
 * started by {@code bench/run jcache-remote}, which passes their ports as the system properties
 * {@code bench.ferrite.port} and {@code bench.redis.port}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
public class RemoteJCacheBenchmark {
    static final int KEYS = 10_000;
    static final int VALUE_CHARS = 100;

    /** One provider's cache on its server, loaded with every key. */
    @State(Scope.Benchmark)
    public static class Provider {
        @Param({"ferrite-remote", "redisson-redis"})
        public String provider;

        CachingProvider cachingProvider;
        CacheManager manager;
        Cache<String, String> cache;
        String[] keys;
        String value;

        @Setup(Level.Trial)
        public void setUp() {
            MutableConfiguration<String, String> configuration =
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class);
            if (provider.equals("ferrite-remote")) {
                cachingProvider = Caching.getCachingProvider("io.ferrite.jcache.FerriteCachingProvider");
                manager = cachingProvider.getCacheManager(
                        URI.create("ferrite://127.0.0.1:" + port("bench.ferrite.port")), getClass().getClassLoader());
                cache = manager.createCache("bench", configuration);
            } else {
                cachingProvider = Caching.getCachingProvider("org.redisson.jcache.JCachingProvider");
                manager = cachingProvider.getCacheManager();
                Config redisson = new Config();
                redisson.useSingleServer().setAddress("redis://127.0.0.1:" + port("bench.redis.port"));
                cache = manager.createCache("bench", RedissonConfiguration.fromConfig(redisson, configuration));
            }
            keys = JCacheBenchmark.keys(KEYS);
            value = "v".repeat(VALUE_CHARS);
            JCacheBenchmark.load(cache, keys, value, provider);
        }

        private static int port(String property) {
            String port = System.getProperty(property);
            if (port == null) {
                throw new IllegalStateException("run through bench/run jcache-remote, which sets -D" + property);
            }
            return Integer.parseInt(port);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            manager.destroyCache("bench");
            manager.close();
            cachingProvider.close();
        }

        String randomKey() {
            return keys[ThreadLocalRandom.current().nextInt(KEYS)];
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
