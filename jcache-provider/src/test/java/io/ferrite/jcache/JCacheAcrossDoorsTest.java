package io.ferrite.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.server.Main;
import io.ferrite.server.config.ConfigFileParser;
import io.ferrite.server.config.ServerConfig;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * The JCache door and the RESP door over one engine in one JVM: what one writes, the other
 * reads at once, with the same TTLs, and the cache's listeners hear the RESP door's writes.
 */
class JCacheAcrossDoorsTest {
    private static final AtomicInteger MANAGERS = new AtomicInteger();
    private static Main.Running server;
    private static Jedis jedis;
    private CacheManager manager;

    @BeforeAll
    static void startServer() throws Exception {
        Path dir = Files.createTempDirectory("ferrite-jcache");
        ServerConfig config = new ServerConfig();
        new ConfigFileParser(config).loadText("port 0\nbind 127.0.0.1\nsave \"\"\ndir " + dir + "\n");
        server = Main.start(config, Optional.empty());
        jedis = new Jedis("127.0.0.1", server.port());
    }

    @AfterAll
    static void stopServer() {
        jedis.close();
        server.close();
    }

    @BeforeEach
    void openManager() {
        jedis.flushAll();
        Properties properties = new Properties();
        properties.put(FerriteCachingProvider.STORE_PROPERTY, server.context().store());
        manager = new FerriteCachingProvider().getCacheManager(
                URI.create("ferrite:across-doors-" + MANAGERS.incrementAndGet()), getClass().getClassLoader(), properties);
    }

    @org.junit.jupiter.api.AfterEach
    void closeManager() {
        manager.close();
    }

    private Cache<String, String> users() {
        return manager.createCache("users", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    }

    @Test
    void eachCacheIsATableOfTheSqlDoorTypedFromItsJavaTypes() throws Exception {
        Cache<String, Long> visits = manager.createCache("visits", new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
        visits.put("home", 10L);
        visits.put("about", 3L);
        Cache<String, Object> things = manager.createCache("things", new MutableConfiguration<String, Object>()
                .setTypes(String.class, Object.class));
        things.put("text", "plain");
        things.put("object", new java.util.ArrayList<>(List.of(1, 2)));
        assertThat(jedis.hget("ferrite:jcache:caches", "visits")).contains("prefix=visits\\:").contains("valueType=java.lang.Long");
        try (java.sql.Connection sql = io.ferrite.sql.FerriteSql.connect(server.context().store());
             java.sql.Statement statement = sql.createStatement()) {
            try (java.sql.ResultSet rs = statement.executeQuery("SELECT SUM(\"value\"), COUNT(*) FROM visits WHERE \"value\" > 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(13);
                assertThat(rs.getInt(2)).isEqualTo(2);
            }
            assertThat(statement.executeUpdate("UPDATE visits SET \"value\" = \"value\" + 1 WHERE key = 'home'")).isEqualTo(1);
            assertThat(visits.get("home")).isEqualTo(11L); // the cache reads what SQL wrote
            assertThat(statement.executeUpdate("INSERT INTO visits VALUES ('blog', 1)")).isEqualTo(1);
            assertThat(visits.get("blog")).isEqualTo(1L);
            List<String> rows = new ArrayList<>();
            try (java.sql.ResultSet rs = statement.executeQuery("SELECT key, \"value\" FROM things ORDER BY key")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "=" + rs.getString(2));
                }
            }
            assertThat(rows).containsExactly("object=null", "text=plain"); // a serialized object has no SQL value
            assertThat(statement.getWarnings().getMessage()).contains("things.value").contains("serialized Java object");
            manager.destroyCache("visits");
            assertThat(jedis.hexists("ferrite:jcache:caches", "visits")).isFalse();
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM visits")).isInstanceOf(java.sql.SQLException.class)
                    .extracting(e -> ((java.sql.SQLException) e).getSQLState()).isEqualTo("42P01");
        }
    }

    @Test
    void aPutIsAStringTheRespDoorReadsWithTheCachesTtl() {
        Cache<String, String> users = manager.createCache("users", new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 60))));
        users.put("42", "alice");

        assertThat(jedis.get("users:42")).isEqualTo("alice");
        assertThat(jedis.ttl("users:42")).isBetween(58L, 60L);
        assertThat(jedis.type("users:42")).isEqualTo("string");
    }

    @Test
    void numbersAreStoredAsTextSoIncrWorksOnThem() {
        Cache<Long, Long> counters = manager.createCache("counters",
                new MutableConfiguration<Long, Long>().setTypes(Long.class, Long.class));
        counters.put(1L, 100L);
        assertThat(jedis.get("counters:1")).isEqualTo("100");

        assertThat(jedis.incr("counters:1")).isEqualTo(101L);
        assertThat(counters.get(1L)).isEqualTo(101L);
    }

    @Test
    void respWritesAndDeletesAreSeenByTheCacheAtOnce() {
        Cache<String, String> users = users();
        jedis.set("users:7", "bob");
        assertThat(users.get("7")).isEqualTo("bob");
        assertThat(users.containsKey("7")).isTrue();

        jedis.del("users:7");
        assertThat(users.get("7")).isNull();
    }

    @Test
    void iterationAndClearCoverKeysWrittenThroughResp() {
        jedis.set("users:early", "0"); // there before the cache opens: found by its one scan
        Cache<String, String> users = users();
        users.put("a", "1");
        jedis.set("users:b", "2");
        jedis.set("other:c", "3"); // not the cache's

        List<String> keys = new ArrayList<>();
        for (Cache.Entry<String, String> e : users) {
            keys.add(e.getKey() + "=" + e.getValue());
        }
        assertThat(keys).containsExactlyInAnyOrder("early=0", "a=1", "b=2");

        users.clear();
        assertThat(jedis.exists("users:early", "users:a", "users:b")).isZero();
        assertThat(jedis.get("other:c")).isEqualTo("3");
    }

    @Test
    void anExpiryThroughEitherDoorIsSeenByTheOther() throws Exception {
        Cache<String, String> sessions = manager.createCache("sessions", new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 150))));
        sessions.put("s1", "x");
        jedis.set("sessions:s2", "y", SetParams.setParams().px(150));
        assertThat(jedis.pttl("sessions:s1")).isBetween(1L, 150L);

        Thread.sleep(300);
        assertThat(jedis.get("sessions:s1")).isNull();
        assertThat(sessions.get("s2")).isNull();
    }

    @Test
    void listenersHearTheRespDoorsWrites() throws Exception {
        Cache<String, String> users = users();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        EventRecorder.sink = events;
        users.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(EventRecorder.class), null, false, false));

        jedis.set("users:8", "x");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("CREATED 8=x");
        jedis.set("users:8", "y");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("UPDATED 8=y");
        jedis.del("users:8");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("REMOVED 8");
        jedis.set("users:9", "z", SetParams.setParams().px(50));
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("CREATED 9=z");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("EXPIRED 9"); // reclaimed by the engine's active expiry

        users.put("10", "own"); // the cache's own write: one event, not two
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("CREATED 10=own");
        assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    /** Records events as "TYPE key=value (was old)", old values included when the event has them. */
    public static final class OldValueRecorder implements javax.cache.event.CacheEntryCreatedListener<String, String>,
            javax.cache.event.CacheEntryUpdatedListener<String, String>, javax.cache.event.CacheEntryRemovedListener<String, String>,
            javax.cache.event.CacheEntryExpiredListener<String, String>, Serializable {
        static volatile BlockingQueue<String> sink;

        private void record(Iterable<javax.cache.event.CacheEntryEvent<? extends String, ? extends String>> events) {
            for (javax.cache.event.CacheEntryEvent<? extends String, ? extends String> e : events) {
                sink.add(e.getEventType() + " " + e.getKey() + "=" + e.getValue()
                        + (e.isOldValueAvailable() ? " (was " + e.getOldValue() + ")" : ""));
            }
        }

        @Override
        public void onCreated(Iterable<javax.cache.event.CacheEntryEvent<? extends String, ? extends String>> events) {
            record(events);
        }

        @Override
        public void onUpdated(Iterable<javax.cache.event.CacheEntryEvent<? extends String, ? extends String>> events) {
            record(events);
        }

        @Override
        public void onRemoved(Iterable<javax.cache.event.CacheEntryEvent<? extends String, ? extends String>> events) {
            record(events);
        }

        @Override
        public void onExpired(Iterable<javax.cache.event.CacheEntryEvent<? extends String, ? extends String>> events) {
            record(events);
        }
    }

    @Test
    void aListenerThatRequiresOldValuesGetsThemForTheRespDoorsWrites() throws Exception {
        Cache<String, String> users = users();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        OldValueRecorder.sink = events;
        MutableCacheEntryListenerConfiguration<String, String> withOld = new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(OldValueRecorder.class), null, true, false);
        users.registerCacheEntryListener(withOld);

        jedis.set("users:8", "x");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("CREATED 8=x");
        jedis.set("users:8", "y");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("UPDATED 8=y (was x)");
        jedis.append("users:8", "z");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("UPDATED 8=yz (was y)");
        jedis.del("users:8");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("REMOVED 8=yz (was yz)");
        jedis.set("users:9", "z", SetParams.setParams().px(50));
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("CREATED 9=z");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("EXPIRED 9=z (was z)");

        // Once no listener requires them, other doors' writes no longer carry old values.
        users.deregisterCacheEntryListener(withOld);
        users.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
                FactoryBuilder.factoryOf(OldValueRecorder.class), null, false, false));
        jedis.set("users:10", "a");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("CREATED 10=a");
        jedis.set("users:10", "b");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("UPDATED 10=b");
        jedis.del("users:10");
        assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("REMOVED 10=null");
    }

    @Test
    void aKeyThatHoldsAnotherTypeIsAClearError() {
        Cache<String, String> users = users();
        jedis.hset("users:h", "field", "value");
        assertThatThrownBy(() -> users.get("h")).isInstanceOf(CacheException.class)
                .hasMessageContaining("users:h").hasMessageContaining("hash");

        Cache<Long, Long> counters = manager.createCache("counters",
                new MutableConfiguration<Long, Long>().setTypes(Long.class, Long.class));
        jedis.set("counters:2", "abc");
        assertThatThrownBy(() -> counters.get(2L)).isInstanceOf(CacheException.class)
                .hasMessageContaining("'abc'").hasMessageContaining("Long");
    }

    @Test
    void aValueTheSerializerCannotWriteIsRefusedAndNothingIsStored() {
        Cache<Object, Object> things = manager.createCache("things", new MutableConfiguration<>());
        assertThatThrownBy(() -> things.put("k", new Object())).isInstanceOf(CacheException.class)
                .hasMessageContaining("not Serializable");
        assertThat(jedis.exists("things:k")).isFalse();

        things.put("k", new Point(1, 2));
        assertThat(things.get("k")).isEqualTo(new Point(1, 2));
        assertThat(jedis.get("things:k".getBytes())[0]).isEqualTo((byte) 0xFF); // the documented binary form
    }

    @Test
    void storeByReferenceHandsBackTheInstanceUntilAnotherDoorWritesTheKey() {
        Cache<String, StringBuilder> notes = manager.createCache("notes",
                new MutableConfiguration<String, StringBuilder>().setTypes(String.class, StringBuilder.class)
                        .setStoreByValue(false));
        assertThat(notes.getConfiguration(MutableConfiguration.class).isStoreByValue()).isFalse();
        StringBuilder note = new StringBuilder("draft");
        notes.put("n1", note);
        note.append(" 2"); // a change the application makes to the instance it put

        assertThat(notes.get("n1")).isSameAs(note).hasToString("draft 2");
        assertThat(notes.iterator().next().getValue()).isSameAs(note);
        // the engine holds the value as of the put, for the other doors
        assertThat(jedis.exists("notes:n1")).isTrue();
        // a conditional operation compares with the instance held (changed since the put, so its
        // bytes are not the engine's any more), not with the bytes of the put
        StringBuilder other = new StringBuilder("draft 2");
        assertThat(notes.replace("n1", other, new StringBuilder("no"))).isFalse(); // StringBuilder: identity equals
        assertThat(notes.replace("n1", note, note)).isTrue();
        StringBuilder next = new StringBuilder("final");
        assertThat(notes.getAndReplace("n1", next)).isSameAs(note);
        assertThat(notes.get("n1")).isSameAs(next);

        // another door's write replaces the instance: the cache reads what that door wrote
        Cache<String, StringBuilder> byValue = manager.createCache("notes-copy",
                new MutableConfiguration<String, StringBuilder>().setTypes(String.class, StringBuilder.class));
        byValue.put("x", new StringBuilder("resp"));
        jedis.set("notes:n1".getBytes(), jedis.get("notes-copy:x".getBytes()));
        assertThat(notes.get("n1")).isNotSameAs(next).hasToString("resp");
        StringBuilder decoded = notes.get("n1");
        assertThat(notes.get("n1")).isSameAs(decoded); // and holds on to what it decoded

        jedis.del("notes:n1");
        assertThat(notes.get("n1")).isNull();
        assertThat(notes.containsKey("n1")).isFalse();
    }

    @Test
    void storeByReferenceStillNeedsAValueTheEngineCanHold() {
        Cache<Object, Object> things = manager.createCache("by-ref",
                new MutableConfiguration<>().setStoreByValue(false));
        assertThatThrownBy(() -> things.put("k", new Object())).isInstanceOf(CacheException.class)
                .hasMessageContaining("not Serializable");
        assertThat(things.get("k")).isNull();
        assertThat(jedis.exists("by-ref:k")).isFalse();
    }

    /** A key with no byte form (not Serializable). */
    record Unserializable(String id) {}

    @Test
    void aKeyWithNoByteFormIsKeyedByReferenceUntilTheCacheCloses() {
        Cache<Object, Object> things = manager.createCache("by-ref",
                new MutableConfiguration<>().setStoreByValue(false));
        Unserializable key = new Unserializable("1");
        things.put(key, "v");
        assertThat(things.get(new Unserializable("1"))).isEqualTo("v"); // an equal key finds it
        assertThat(things.containsKey(new Unserializable("2"))).isFalse();
        java.util.Set<byte[]> engineKeys = jedis.keys("by-ref:*".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(engineKeys).hasSize(1);
        byte[] engineKey = engineKeys.iterator().next();
        assertThat(engineKey).hasSize("by-ref:".length() + 17);
        assertThat(engineKey["by-ref:".length()]).isEqualTo((byte) 0xFE);
        assertThat(jedis.get(engineKey)).isEqualTo("v".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<Object> keys = new ArrayList<>();
        things.forEach(e -> keys.add(e.getKey()));
        assertThat(keys).containsExactly(key);

        // Another JVM's (here another manager's) cache of that name cannot name the key: it skips the entry.
        Properties properties = new Properties();
        properties.put(FerriteCachingProvider.STORE_PROPERTY, server.context().store());
        try (CacheManager other = new FerriteCachingProvider().getCacheManager(
                URI.create("ferrite:across-doors-other-" + MANAGERS.incrementAndGet()), getClass().getClassLoader(), properties)) {
            Cache<Object, Object> same = other.createCache("by-ref", new MutableConfiguration<>().setStoreByValue(false));
            same.put("named", "n");
            List<Object> seen = new ArrayList<>();
            same.forEach(e -> seen.add(e.getKey()));
            assertThat(seen).containsExactly("named");
            same.remove("named");
        }

        assertThat(things.remove(new Unserializable("1"))).isTrue();
        things.put(key, "again");
        things.close(); // nobody could reach the entry again: it goes
        assertThat(jedis.exists(engineKey)).isFalse();
        assertThat(jedis.keys("by-ref:*")).isEmpty();
    }

    record Point(int x, int y) implements Serializable {}
}
