package io.ferrite.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.core.FerriteStore;
import io.ferrite.server.Main;
import io.ferrite.server.config.ConfigFileParser;
import io.ferrite.server.config.ServerConfig;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * An embedded engine with a data directory keeps its caches' entries across restarts of the
 * application (checkpoints of the log, taken while entries change and when the engine closes),
 * is shared by every manager of that directory, and refuses a directory of a Ferrite server.
 */
class EmbeddedPersistenceTest {
    private static final AtomicInteger MANAGERS = new AtomicInteger();

    private static CacheManager managerOn(Path dir, String... more) {
        Properties properties = new Properties();
        properties.setProperty("ferrite.dir", dir.toString());
        properties.setProperty("ferrite.shards", "2");
        for (int i = 0; i + 1 < more.length; i += 2) {
            properties.setProperty(more[i], more[i + 1]);
        }
        return new FerriteCachingProvider().getCacheManager(URI.create("ferrite:persistent-" + MANAGERS.incrementAndGet()),
                EmbeddedPersistenceTest.class.getClassLoader(), properties);
    }

    private static Cache<String, String> users(CacheManager manager) {
        Cache<String, String> users = manager.getCache("users", String.class, String.class);
        return users != null ? users : manager.createCache("users",
                new MutableConfiguration<String, String>().setTypes(String.class, String.class)
                        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR)));
    }

    private static long pttl(CacheManager manager, String key) {
        FerriteStore store = manager.unwrap(FerriteStore.class);
        return store.keys().expireAt(0, MemorySegment.ofArray(key.getBytes(StandardCharsets.UTF_8))) - System.currentTimeMillis();
    }

    @Test
    void entriesAndTheirExpiryOutliveTheEngine() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-embedded");
        try (CacheManager manager = managerOn(dir)) {
            Cache<String, String> users = users(manager);
            for (int i = 0; i < 1000; i++) {
                users.put("u" + i, "user " + i);
            }
            users.remove("u7");
            users.replace("u8", "changed");
        }
        try (CacheManager manager = managerOn(dir)) {
            Cache<String, String> users = users(manager);
            assertThat(users.get("u1")).isEqualTo("user 1");
            assertThat(users.get("u999")).isEqualTo("user 999");
            assertThat(users.containsKey("u7")).isFalse();
            assertThat(users.get("u8")).isEqualTo("changed");
            assertThat(pttl(manager, "users:u1")).isBetween(TimeUnit.MINUTES.toMillis(50), TimeUnit.HOURS.toMillis(1));
            int count = 0;
            for (Cache.Entry<String, String> ignored : users) {
                count++;
            }
            assertThat(count).isEqualTo(999);
        }
    }

    /** An application killed (SIGKILL) after a checkpoint: the next start finds what that checkpoint held. */
    @Test
    void aKilledApplicationComesBackWithItsLastCheckpoint() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-embedded-crash");
        int entries = 20_000;
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                EmbeddedCrashChild.class.getName(), dir.toString(), Integer.toString(entries))
                .redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("checkpointed")) {
                // the child's log lines
            }
            assertThat(line).as("the child's last line").isEqualTo("checkpointed");
            // While the child holds the directory, no other engine may open it.
            assertThatThrownBy(() -> managerOn(dir)).isInstanceOf(CacheException.class)
                    .hasMessageContaining("is in use by another store (process " + child.pid() + ")");
        } finally {
            child.destroyForcibly(); // SIGKILL: no close, no last checkpoint
            child.waitFor(30, TimeUnit.SECONDS);
        }
        try (CacheManager manager = managerOn(dir)) {
            Cache<Integer, String> numbers = manager.getCache("numbers", Integer.class, String.class);
            if (numbers == null) {
                numbers = manager.createCache("numbers", new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
            }
            for (int i = 0; i < entries; i++) {
                assertThat(numbers.get(i)).as("entry " + i).isEqualTo("n" + i);
            }
            // the entries and the cache's registration for other doors (ferrite:jcache:caches)
            assertThat(manager.unwrap(FerriteStore.class).checkpoints().recovered().keys()).isEqualTo(entries + 1);
        }
    }

    @Test
    void managersOfOneDirectoryShareOneEngineWhateverTheirUris() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-embedded-shared");
        try (CacheManager first = managerOn(dir); CacheManager second = managerOn(dir)) {
            assertThat(first.getURI()).isNotEqualTo(second.getURI());
            assertThat(first.unwrap(FerriteStore.class)).isSameAs(second.unwrap(FerriteStore.class));
            users(first).put("shared", "yes");
            assertThat(users(second).get("shared")).isEqualTo("yes");
        }
    }

    @Test
    void aCheckpointIsTakenWhileEntriesChange() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-embedded-periodic");
        try (CacheManager manager = managerOn(dir, "ferrite.checkpoint-seconds", "1")) {
            FerriteStore store = manager.unwrap(FerriteStore.class);
            users(manager).put("a", "1");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((store.checkpoints().latest() == null || store.checkpoints().latest().keys() < 2)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(store.checkpoints().latest()).isNotNull();
            assertThat(store.checkpoints().latest().keys()).isEqualTo(2); // the entry and the cache's registration
            assertThat(store.checkpoints().latest().tag()).isEqualTo(io.ferrite.core.embedded.EmbeddedEngine.TAG);
        }
    }

    @Test
    void withCheckpointsOffTheDirectoryStartsEmpty() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-embedded-off");
        try (CacheManager manager = managerOn(dir, "ferrite.checkpoints", "no")) {
            users(manager).put("a", "1");
        }
        try (CacheManager manager = managerOn(dir, "ferrite.checkpoints", "no")) {
            assertThat(users(manager).get("a")).isNull();
        }
    }

    @Test
    void badCheckpointSettingsAreRefusedWithTheirNames() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-embedded-bad");
        assertThatThrownBy(() -> managerOn(dir, "ferrite.checkpoints", "maybe"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ferrite.checkpoints must be yes or no, not 'maybe'");
        assertThatThrownBy(() -> managerOn(dir, "ferrite.checkpoint-seconds", "-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ferrite.checkpoint-seconds must be 0 or more, not -1");
        assertThatThrownBy(() -> managerOn(dir, "ferrite.checkpoint-seconds", "often"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ferrite.checkpoint-seconds must be a number");
    }

    @Test
    void aServersDirectoryIsRefusedAndLeftAsItWas() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-embedded-server");
        ServerConfig config = new ServerConfig();
        new ConfigFileParser(config).loadText("port 0\nbind 127.0.0.1\nshards 2\ndir " + dir + "\n");
        try (Main.Running server = Main.start(config, Optional.empty()); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.set("users:a", "from the server");
            jedis.save();
        }
        assertThatThrownBy(() -> managerOn(dir))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("holds a Ferrite server's data")
                .hasMessageContaining("give the embedded engine a directory of its own");
        ServerConfig again = new ServerConfig();
        new ConfigFileParser(again).loadText("port 0\nbind 127.0.0.1\nshards 2\ndir " + dir + "\n");
        try (Main.Running server = Main.start(again, Optional.empty()); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(jedis.get("users:a")).isEqualTo("from the server");
        }
    }
}
