package io.ferrite.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.server.Main;
import io.ferrite.server.config.ConfigFileParser;
import io.ferrite.server.config.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A cache sharing its engine with a RESP server whose append-only file is on: what the cache
 * writes, expires and removes is in that file, so a restart of the server brings it back as
 * the cache left it, TTLs included, also across an AOF rewrite taken while the cache writes.
 */
class JCacheDurabilityTest {
    private static final AtomicInteger MANAGERS = new AtomicInteger();

    private static Main.Running start(Path dir, String fsync) throws Exception {
        ServerConfig config = new ServerConfig();
        new ConfigFileParser(config).loadText("port 0\nbind 127.0.0.1\nsave \"\"\nappendonly yes\nappendfsync " + fsync
                + "\ndir " + dir + "\n");
        return Main.start(config, Optional.empty());
    }

    private static CacheManager managerOn(Main.Running server) {
        Properties properties = new Properties();
        properties.put(FerriteCachingProvider.STORE_PROPERTY, server.context().store());
        return new FerriteCachingProvider().getCacheManager(
                URI.create("ferrite:durable-" + MANAGERS.incrementAndGet()), JCacheDurabilityTest.class.getClassLoader(), properties);
    }

    private static long unjournaled(Jedis jedis) {
        String info = jedis.info("persistence");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("ferrite_aof_unjournaled_changes:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1));
            }
        }
        throw new AssertionError("no ferrite_aof_unjournaled_changes in " + info);
    }

    @Test
    void theCachesWritesAreInTheServersAppendOnlyFile() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-jcache-aof");
        try (Main.Running server = start(dir, "always"); CacheManager manager = managerOn(server)) {
            Cache<String, String> users = manager.createCache("users",
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class));
            Cache<String, String> sessions = manager.createCache("sessions",
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                            .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR)));
            Cache<String, String> visits = manager.createCache("visits",
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                            .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 5))));
            users.put("a", "1");
            users.put("b", "2");
            users.put("c", "3");
            users.replace("a", "1", "one");
            users.remove("b");
            assertThat(users.getAndPut("c", "three")).isEqualTo("3");
            sessions.put("s1", "alice");
            visits.put("v1", "home");
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                jedis.persist("visits:v1");
                visits.get("v1"); // the accessed policy sets a TTL again: a PEXPIREAT in the file
                assertThat(jedis.pttl("visits:v1")).isPositive();
                assertThat(unjournaled(jedis)).isZero();
            }
        }
        try (Main.Running server = start(dir, "always"); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.get("users:a")).isEqualTo("one");
            assertThat(jedis.exists("users:b")).isFalse();
            assertThat(jedis.get("users:c")).isEqualTo("three");
            assertThat(jedis.pttl("users:a")).isEqualTo(-1);
            assertThat(jedis.get("sessions:s1")).isEqualTo("alice");
            assertThat(jedis.pttl("sessions:s1")).isBetween(TimeUnit.MINUTES.toMillis(50), TimeUnit.HOURS.toMillis(1));
            assertThat(jedis.get("visits:v1")).isEqualTo("home");
            assertThat(jedis.pttl("visits:v1")).isBetween(TimeUnit.MINUTES.toMillis(4), TimeUnit.MINUTES.toMillis(5));
        }
    }

    @Test
    void writesDuringARewriteSurviveTheRestart() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-jcache-rewrite");
        int entries = 20_000;
        try (Main.Running server = start(dir, "everysec"); CacheManager manager = managerOn(server);
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            Cache<Integer, String> numbers = manager.createCache("numbers",
                    new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
            for (int i = 0; i < entries; i++) {
                numbers.put(i, "v" + i);
            }
            jedis.bgrewriteaof();
            for (int i = 0; i < entries; i++) {
                numbers.put(i, "w" + i); // some before the rewrite's image reaches the key, some after
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (jedis.info("persistence").contains("aof_rewrite_in_progress:1") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            numbers.remove(0);
            assertThat(unjournaled(jedis)).isZero();
        }
        try (Main.Running server = start(dir, "everysec"); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.exists("numbers:0")).isFalse();
            for (int i = 1; i < entries; i++) {
                assertThat(jedis.get("numbers:" + i)).as("numbers:" + i).isEqualTo("w" + i);
            }
        }
    }

    /** A disk that refuses writes (here /dev/full): the cache's writes are refused with the reason, reads go on. */
    @Test
    void writesAreRefusedWhileTheAppendOnlyFileCannotBeWritten() throws Exception {
        Path devFull = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(devFull));
        Path dir = Files.createTempDirectory("ferrite-jcache-full");
        start(dir, "everysec").close();
        Path incr = dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
        Files.delete(incr);
        Files.createSymbolicLink(incr, devFull);
        try (Main.Running server = start(dir, "everysec"); CacheManager manager = managerOn(server);
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            Cache<String, String> users = manager.createCache("users",
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class));
            users.put("doomed", "x"); // accepted; the writer then fails to write it
            long deadline = System.currentTimeMillis() + 10_000;
            while (!jedis.info("persistence").contains("aof_last_write_status:err") && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> users.put("refused", "x"))
                    .isInstanceOf(javax.cache.CacheException.class)
                    .hasMessageContaining("cache users: writes are refused: the append-only file cannot be written")
                    .hasMessageContaining("No space left on device");
            assertThat(users.containsKey("refused")).isFalse();
            assertThat(users.get("doomed")).isEqualTo("x");
        }
    }
}
