package io.ferrite.jcache.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.jcache.EventRecorder;
import io.ferrite.jcache.FerriteCachingProvider;
import java.net.URI;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * The provider's remote mode ({@code ferrite://host:port}) against a Ferrite server in its own
 * JVM: the cache's entries are the server's keys, another client's writes are seen and never
 * lost by a conditional write, a server that goes away gives clear errors and then serves
 * again, bad URIs are refused.
 */
class RemoteModeTest {
    private final FerriteCachingProvider provider = new FerriteCachingProvider();
    private ServerProcess server;
    private Jedis jedis;

    @BeforeEach
    void start() {
        server = ServerProcess.start();
        jedis = new Jedis("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        provider.close();
        jedis.close();
        server.close();
    }

    private Cache<String, String> users(MutableConfiguration<String, String> configuration) {
        CacheManager manager = provider.getCacheManager(URI.create(server.uri()), getClass().getClassLoader());
        return manager.createCache("users", configuration.setTypes(String.class, String.class));
    }

    @Test
    void entriesAreTheServersKeysWithTheirTtls() {
        Cache<String, String> cache = users(new MutableConfiguration<String, String>()
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 60))));
        cache.put("42", "ada");
        assertThat(jedis.get("users:42")).isEqualTo("ada");
        assertThat(jedis.pttl("users:42")).isBetween(1L, 60_000L);
        assertThat(jedis.hget("ferrite:jcache:caches", "users")).contains("prefix=users\\:"); // the SQL door's table of the cache

        jedis.set("users:7", "grace");
        assertThat(cache.get("7")).isEqualTo("grace");
        jedis.del("users:7");
        assertThat(cache.containsKey("7")).isFalse();

        jedis.set("users:8", "linus");
        jedis.set("other:1", "not the cache's");
        Set<String> keys = new HashSet<>();
        cache.forEach(e -> keys.add(e.getKey()));
        assertThat(keys).containsExactlyInAnyOrder("42", "8");
        cache.clear();
        assertThat(jedis.exists("users:42", "users:8")).isZero();
        assertThat(jedis.get("other:1")).isEqualTo("not the cache's");
    }

    @Test
    void listenersHearOtherClientsWritesDeletesAndExpiriesButNotTheCachesOwn() throws Exception {
        Cache<String, String> cache = users(new MutableConfiguration<>());
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        EventRecorder.sink = events;
        cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(EventRecorder.class), null, false, false));
        assertThat(jedis.configGet("notify-keyspace-events").get("notify-keyspace-events")).contains("K");

        jedis.set("users:8", "x");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("CREATED 8=x");
        jedis.set("users:8", "y");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("UPDATED 8=y");
        jedis.expire("users:8", 100); // a TTL is no entry event
        jedis.del("users:8");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("REMOVED 8");
        jedis.set("users:9", "z", SetParams.setParams().px(50));
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("CREATED 9=z");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("EXPIRED 9");
        jedis.set("other:1", "not the cache's");

        // The cache's own writes raise one event each, and a write that changes nothing none.
        cache.put("10", "own");
        assertThat(cache.replace("10", "wrong", "never")).isFalse();
        cache.replace("10", "own2");
        cache.remove("10");
        assertThat(cache.remove("10")).isFalse();
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("CREATED 10=own");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("UPDATED 10=own2");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("REMOVED 10");
        assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();

        // Iteration and clear() use the key set the notifications keep, up to the last write.
        jedis.set("users:11", "a");
        jedis.set("users:12", "b");
        Set<String> keys = new HashSet<>();
        cache.forEach(e -> keys.add(e.getKey()));
        assertThat(keys).containsExactlyInAnyOrder("11", "12");
        cache.clear();
        assertThat(jedis.exists("users:11", "users:12")).isZero();
        assertThat(jedis.get("other:1")).isEqualTo("not the cache's");
    }

    @Test
    void aServerThatRefusesConfigStillServesReadsAndIterationByScanning() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(onPath("redis-server"), "redis-server is not installed");
        int port = ServerProcess.freePort();
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--rename-command", "CONFIG", "").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (Jedis other = awaitRedis(port)) {
            other.set("users:1", "one");
            CacheManager manager = provider.getCacheManager(URI.create("ferrite://127.0.0.1:" + port), getClass().getClassLoader());
            Cache<String, String> cache = manager.createCache("users",
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class));
            assertThat(cache.get("1")).isEqualTo("one");
            other.set("users:2", "two");
            Set<String> keys = new HashSet<>();
            cache.forEach(e -> keys.add(e.getKey()));
            assertThat(keys).containsExactlyInAnyOrder("1", "2");
        } finally {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Jedis awaitRedis(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            Jedis jedis = new Jedis("127.0.0.1", port);
            try {
                jedis.ping();
                return jedis;
            } catch (RuntimeException notYet) {
                jedis.close();
                if (System.currentTimeMillis() > deadline) {
                    throw notYet;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void conditionalWritesLoseNothingAnotherClientWrote() {
        Cache<String, String> cache = users(new MutableConfiguration<>());
        cache.put("a", "1");
        jedis.set("users:a", "2"); // another client, after the cache's put
        assertThat(cache.replace("a", "1", "3")).isFalse();
        assertThat(cache.remove("a", "1")).isFalse();
        assertThat(jedis.get("users:a")).isEqualTo("2");
        assertThat(cache.putIfAbsent("a", "4")).isFalse();
        assertThat(cache.getAndReplace("a", "5")).isEqualTo("2");
        assertThat(cache.remove("a", "5")).isTrue();
        assertThat(jedis.exists("users:a")).isFalse();
        Boolean existed = cache.invoke("a", (entry, args) -> {
            boolean was = entry.exists();
            entry.setValue("made by a processor");
            return was;
        });
        assertThat(existed).isFalse();
        assertThat(jedis.get("users:a")).isEqualTo("made by a processor");
    }

    @Test
    void aServerThatGoesAwayGivesClearErrorsThenServesAgain() throws InterruptedException {
        Cache<String, String> cache = users(new MutableConfiguration<>());
        cache.put("k", "before");
        int port = server.port();
        jedis.close();
        server.close();

        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheException.class)
                .hasMessageContaining("cache users").hasMessageContaining("Ferrite server at 127.0.0.1:" + port);
        assertThatThrownBy(() -> cache.put("k", "while away")).isInstanceOf(CacheException.class);

        server = ServerProcess.startOn(port); // a new server: the old one's memory is gone
        jedis = new Jedis("127.0.0.1", port);
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            try {
                cache.put("k", "after");
                break;
            } catch (CacheException notYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw notYet;
                }
                Thread.sleep(50);
            }
        }
        assertThat(cache.get("k")).isEqualTo("after");
        assertThat(jedis.get("users:k")).isEqualTo("after");
    }

    @Test
    void aKeyOfAnotherTypeAndASlowServerAreClearErrors() {
        Properties quick = new Properties();
        quick.setProperty("ferrite.timeout", "300");
        Cache<String, String> cache = provider.getCacheManager(URI.create(server.uri()), getClass().getClassLoader(), quick)
                .createCache("users", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        jedis.hset("users:h", "field", "value");
        assertThatThrownBy(() -> cache.get("h")).isInstanceOf(CacheException.class)
                .hasMessage("cache users: key users:h holds a Redis collection, not a string");
        assertThatThrownBy(() -> cache.replace("h", "x")).isInstanceOf(CacheException.class)
                .hasMessageContaining("holds a Redis collection");
        assertThat(jedis.hget("users:h", "field")).isEqualTo("value");
        cache.put("h", "x"); // a put is a SET: it replaces a key of any type, as SET does
        assertThat(jedis.get("users:h")).isEqualTo("x");

        cache.put("k", "v");
        jedis.clientPause(1500); // the server holds every other client's commands
        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheException.class)
                .hasMessage("cache users: the Ferrite server at 127.0.0.1:" + server.port() + " did not answer within 300 ms");
    }

    @Test
    void aServerThatIsNotThereAtFirstIsNamedInTheError() {
        int nobody = ServerProcess.freePort();
        CacheManager manager = provider.getCacheManager(URI.create("ferrite://127.0.0.1:" + nobody), getClass().getClassLoader());
        Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheException.class)
                .hasMessageContaining("cannot reach the Ferrite server at 127.0.0.1:" + nobody);
        // once the server is there, the cache works and its registration for the other doors is written
        try (ServerProcess late = ServerProcess.startOn(nobody); Jedis lateJedis = new Jedis("127.0.0.1", nobody)) {
            cache.put("k", "v");
            assertThat(lateJedis.get("c:k")).isEqualTo("v");
            assertThat(lateJedis.hget("ferrite:jcache:caches", "c")).contains("prefix=c\\:");
        }
    }

    @Test
    void aServerWithAPasswordTakesItFromTheUriOrTheProperties() {
        try (ServerProcess secured = ServerProcess.start("--requirepass", "s3cret")) {
            ClassLoader loader = getClass().getClassLoader();
            MutableConfiguration<String, String> configuration =
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class);
            Cache<String, String> inUri = provider.getCacheManager(
                    URI.create("ferrite://default:s3cret@127.0.0.1:" + secured.port()), loader).createCache("a", configuration);
            inUri.put("k", "v");
            assertThat(inUri.get("k")).isEqualTo("v");

            Properties password = new Properties();
            password.setProperty("ferrite.password", "s3cret");
            Cache<String, String> inProperties = provider.getCacheManager(
                    URI.create("ferrite://localhost:" + secured.port()), loader, password).createCache("b", configuration);
            inProperties.put("k", "w");
            assertThat(inProperties.get("k")).isEqualTo("w");

            Cache<String, String> without = provider.getCacheManager(
                    URI.create("ferrite://127.0.0.1:" + secured.port()), loader).createCache("c", configuration);
            assertThatThrownBy(() -> without.get("k")).isInstanceOf(CacheException.class)
                    .hasMessageContaining("Ferrite server at 127.0.0.1:" + secured.port());
        }
    }

    @Test
    void badUrisAndSettingsAreRefused() {
        ClassLoader loader = getClass().getClassLoader();
        assertThatThrownBy(() -> provider.getCacheManager(URI.create("ferrites://127.0.0.1:6379"), loader))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLS");
        assertThatThrownBy(() -> provider.getCacheManager(URI.create("ferrite://127.0.0.1:6379/3"), loader))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FerriteConfiguration for the database");
        Properties properties = new Properties();
        properties.setProperty("ferrite.timeout", "soon");
        assertThatThrownBy(() -> provider.getCacheManager(URI.create("ferrite://127.0.0.1:6379"), loader, properties))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ferrite.timeout");
    }

    private static boolean onPath(String executable) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, executable)));
    }
}
