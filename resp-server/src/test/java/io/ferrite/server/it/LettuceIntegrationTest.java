package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.server.TestServer;
import io.lettuce.core.BitFieldArgs;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.CopyArgs;
import io.lettuce.core.ExpireArgs;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LcsArgs;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StringMatchResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Lettuce against Ferrite: the typed sync API in RESP3 (Lettuce's default, HELLO 3) and RESP2,
 * the async API, and pipelining with auto-flush off.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LettuceIntegrationTest {
    private TestServer server;
    private RedisClient client;

    @BeforeAll
    void start() {
        server = TestServer.start();
        client = RedisClient.create(RedisURI.builder().withHost(server.host()).withPort(server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
    }

    @AfterAll
    void stop() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        server.close();
    }

    @BeforeEach
    void flush() {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().flushall();
        }
    }

    private StatefulRedisConnection<String, String> connect(ProtocolVersion protocol) {
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        return client.connect();
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void strings(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> connection = connect(protocol)) {
            RedisCommands<String, String> redis = connection.sync();
            assertThat(redis.set("k", "v", SetArgs.Builder.nx().ex(10))).isEqualTo("OK");
            assertThat(redis.set("k", "v", SetArgs.Builder.nx())).isNull();
            assertThat(redis.ttl("k")).isEqualTo(10);
            assertThat(redis.set("k", "v2", SetArgs.Builder.xx().keepttl())).isEqualTo("OK");
            assertThat(redis.ttl("k")).isEqualTo(10);
            assertThat(redis.setGet("k", "v3")).isEqualTo("v2");
            assertThat(redis.get("k")).isEqualTo("v3");
            assertThat(redis.get("missing")).isNull();
            assertThat(redis.setnx("n", "1")).isTrue();
            assertThat(redis.setnx("n", "1")).isFalse();
            assertThat(redis.setex("e", 100, "v")).isEqualTo("OK");
            assertThat(redis.psetex("p", 100_000, "v")).isEqualTo("OK");
            assertThat(redis.ttl("p")).isEqualTo(100);
            assertThat(redis.getset("e", "w")).isEqualTo("v");
            assertThat(redis.getdel("e")).isEqualTo("w");
            assertThat(redis.getdel("e")).isNull();
            assertThat(redis.getex("k", GetExArgs.Builder.ex(Duration.ofSeconds(200)))).isEqualTo("v3");
            assertThat(redis.ttl("k")).isEqualTo(200);
            assertThat(redis.getex("k", GetExArgs.Builder.persist())).isEqualTo("v3");
            assertThat(redis.ttl("k")).isEqualTo(-1);
            assertThat(redis.getex("missing", GetExArgs.Builder.px(100))).isNull();
            Map<String, String> pairs = new LinkedHashMap<>();
            pairs.put("a", "1");
            pairs.put("b", "2");
            assertThat(redis.mset(pairs)).isEqualTo("OK");
            assertThat(redis.mget("a", "missing", "b")).containsExactly(KeyValue.just("a", "1"), KeyValue.empty("missing"),
                    KeyValue.just("b", "2"));
            assertThat(redis.msetnx(Map.of("a", "x", "c", "3"))).isFalse();
            assertThat(redis.msetnx(Map.of("c", "3", "d", "4"))).isTrue();
            assertThat(redis.append("s", "Hello")).isEqualTo(5);
            assertThat(redis.append("s", " World")).isEqualTo(11);
            assertThat(redis.strlen("s")).isEqualTo(11);
            assertThat(redis.getrange("s", -5, -1)).isEqualTo("World");
            assertThat(redis.setrange("s", 6, "There")).isEqualTo(11);
            assertThat(redis.get("s")).isEqualTo("Hello There");
            assertThat(redis.incr("i")).isEqualTo(1);
            assertThat(redis.incrby("i", 41)).isEqualTo(42);
            assertThat(redis.decr("i")).isEqualTo(41);
            assertThat(redis.decrby("i", 50)).isEqualTo(-9);
            assertThat(redis.incrbyfloat("f", 3.5)).isEqualTo(3.5);
            assertThat(redis.incrbyfloat("f", -0.25)).isEqualTo(3.25);
            redis.set("i", "notanumber");
            assertThatThrownBy(() -> redis.incr("i")).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessage("ERR value is not an integer or out of range");
            redis.mset(Map.of("key1", "ohmytext", "key2", "mynewtext"));
            assertThat(redis.lcs(LcsArgs.Builder.keys("key1", "key2")).getMatchString()).isEqualTo("mytext");
            assertThat(redis.lcs(LcsArgs.Builder.keys("key1", "key2").justLen()).getLen()).isEqualTo(6);
            StringMatchResult idx = redis.lcs(LcsArgs.Builder.keys("key1", "key2").withIdx().withMatchLen().minMatchLen(4));
            assertThat(idx.getLen()).isEqualTo(6);
            assertThat(idx.getMatches()).hasSize(1);
            assertThat(idx.getMatches().get(0).getA().getStart()).isEqualTo(4);
            assertThat(idx.getMatches().get(0).getB().getEnd()).isEqualTo(8);
            assertThat(idx.getMatches().get(0).getMatchLen()).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void bits(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> connection = connect(protocol)) {
            RedisCommands<String, String> redis = connection.sync();
            assertThat(redis.setbit("b", 7, 1)).isZero();
            assertThat(redis.setbit("b", 7, 0)).isEqualTo(1);
            assertThat(redis.getbit("b", 7)).isZero();
            redis.set("s", "foobar");
            assertThat(redis.bitcount("s")).isEqualTo(26);
            assertThat(redis.bitcount("s", 1, 1)).isEqualTo(6);
            assertThat(redis.bitpos("s", true)).isEqualTo(1);
            assertThat(redis.bitpos("s", false, 2, -1)).isEqualTo(16);
            redis.set("x", "abc");
            redis.set("y", "xyz");
            assertThat(redis.bitopAnd("d", "x", "y")).isEqualTo(3);
            assertThat(redis.get("d")).isEqualTo("``b");
            assertThat(redis.bitopOr("d", "x", "y")).isEqualTo(3);
            assertThat(redis.get("d")).isEqualTo("y{{");
            assertThat(redis.bitopXor("d", "x", "x")).isEqualTo(3);
            assertThat(redis.get("d")).isEqualTo("\0\0\0");
            assertThat(redis.bitopNot("d", "missing")).isZero();
            assertThat(redis.exists("d")).isZero();
            BitFieldArgs args = BitFieldArgs.Builder.set(BitFieldArgs.signed(8), 0, 100).get(BitFieldArgs.signed(8), 0)
                    .overflow(BitFieldArgs.OverflowType.SAT).incrBy(BitFieldArgs.signed(8), 0, 100)
                    .overflow(BitFieldArgs.OverflowType.FAIL).incrBy(BitFieldArgs.signed(8), 0, 1)
                    .get(BitFieldArgs.unsigned(4), BitFieldArgs.typeWidthBasedOffset(1));
            assertThat(redis.bitfield("bf", args)).containsExactly(0L, 100L, 127L, null, 15L);
            assertThat(redis.bitfield("missing", BitFieldArgs.Builder.get(BitFieldArgs.unsigned(8), 0))).containsExactly(0L);
            assertThat(redis.exists("missing")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void keysAndExpiry(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> connection = connect(protocol)) {
            RedisCommands<String, String> redis = connection.sync();
            redis.mset(Map.of("a", "1", "b", "2", "c", "3"));
            assertThat(redis.exists("a", "b", "missing")).isEqualTo(2);
            assertThat(redis.touch("a", "missing")).isEqualTo(1);
            assertThat(redis.type("a")).isEqualTo("string");
            assertThat(redis.del("a", "missing")).isEqualTo(1);
            assertThat(redis.unlink("b")).isEqualTo(1);
            assertThat(redis.rename("c", "d")).isEqualTo("OK");
            redis.set("e", "5");
            assertThat(redis.renamenx("d", "e")).isFalse();
            assertThat(redis.copy("d", "f")).isTrue();
            assertThat(redis.copy("e", "f", new CopyArgs().replace(true))).isTrue();
            assertThat(redis.copy("e", "g", new CopyArgs().destinationDb(3))).isTrue();
            assertThat(redis.move("d", 4)).isTrue();
            assertThat(redis.keys("*")).containsExactlyInAnyOrder("e", "f");
            assertThat(redis.randomkey()).isIn("e", "f");
            assertThat(redis.objectEncoding("e")).isEqualTo("int");
            assertThat(redis.objectRefcount("e")).isEqualTo(Integer.MAX_VALUE); // 5 is one of Redis's shared integers
            assertThat(redis.dbsize()).isEqualTo(2);
            assertThat(redis.expire("e", 100, new ExpireArgs().xx())).isFalse();
            assertThat(redis.expire("e", Duration.ofSeconds(100), new ExpireArgs().nx())).isTrue();
            assertThat(redis.expire("e", 200, new ExpireArgs().gt())).isTrue();
            assertThat(redis.pexpire("e", 50_000, new ExpireArgs().lt())).isTrue();
            assertThat(redis.ttl("e")).isEqualTo(50);
            assertThat(redis.pttl("e")).isBetween(49_000L, 50_000L);
            long at = System.currentTimeMillis() / 1000 + 1000;
            assertThat(redis.expireat("e", at)).isTrue();
            assertThat(redis.expiretime("e")).isEqualTo(at);
            assertThat(redis.pexpireat("e", at * 1000 + 1)).isTrue();
            assertThat(redis.pexpiretime("e")).isEqualTo(at * 1000 + 1);
            assertThat(redis.persist("e")).isTrue();
            assertThat(redis.ttl("e")).isEqualTo(-1);
            assertThat(redis.ttl("missing")).isEqualTo(-2);
            for (int i = 0; i < 300; i++) {
                redis.set("scan:" + i, "v");
            }
            Set<String> seen = new HashSet<>();
            KeyScanCursor<String> cursor = redis.scan(ScanArgs.Builder.matches("scan:*").limit(40));
            seen.addAll(cursor.getKeys());
            while (!cursor.isFinished()) {
                cursor = redis.scan(cursor, ScanArgs.Builder.matches("scan:*").limit(40));
                seen.addAll(cursor.getKeys());
            }
            assertThat(seen).hasSize(300);
            assertThat(redis.select(3)).isEqualTo("OK");
            assertThat(redis.get("g")).isEqualTo("5");
            assertThat(redis.flushdb()).isEqualTo("OK");
            assertThat(redis.waitForReplication(0, 0)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void connectionAndServer(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> connection = connect(protocol)) {
            RedisCommands<String, String> redis = connection.sync();
            assertThat(redis.ping()).isEqualTo("PONG");
            assertThat(redis.echo("hi\r\n")).isEqualTo("hi\r\n");
            assertThat(redis.clientSetname("lettuce")).isEqualTo("OK");
            assertThat(redis.clientGetname()).isEqualTo("lettuce");
            assertThat(redis.clientId()).isPositive();
            assertThat(redis.clientInfo()).contains("name=lettuce", "lib-name=Lettuce");
            assertThat(redis.clientList()).contains("name=lettuce");
            assertThat(redis.clientSetinfo("lib-ver", "1.2.3")).isEqualTo("OK");
            assertThat(redis.clientNoEvict(true)).isEqualTo("OK");
            assertThat(redis.configGet("maxmemory")).containsEntry("maxmemory", "0");
            assertThat(redis.configSet("slowlog-max-len", "64")).isEqualTo("OK");
            assertThat(redis.configGet("slowlog-max-len", "maxmemory-policy"))
                    .containsEntry("slowlog-max-len", "64").containsEntry("maxmemory-policy", "noeviction");
            assertThat(redis.configSet(Map.of("slowlog-max-len", "128"))).isEqualTo("OK");
            assertThat(redis.configResetstat()).isEqualTo("OK");
            assertThat(redis.commandCount()).isGreaterThan(50);
            assertThat(redis.commandInfo("get", "set")).hasSize(2);
            assertThat(redis.info("server")).contains("redis_version:7.0.15");
            assertThat(redis.time()).hasSize(2);
            redis.set("k", "v");
            assertThat(redis.dbsize()).isEqualTo(1);
            assertThat(redis.flushall()).isEqualTo("OK");
            assertThat(redis.dbsize()).isZero();
        }
    }

    @Test
    void binaryValues() {
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            var redis = connection.sync();
            byte[] key = {'k', 0, '\r', '\n'};
            byte[] value = {0, (byte) 0xff, '\r', '\n', 0};
            assertThat(redis.set(key, value)).isEqualTo("OK");
            assertThat(redis.get(key)).isEqualTo(value);
            assertThat(redis.getrange(key, 1, 2)).containsExactly(0xff, '\r');
        }
    }

    @Test
    void async() throws Exception {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            RedisFuture<String> set = redis.set("k", "v", SetArgs.Builder.px(100_000));
            RedisFuture<Long> incr = redis.incrby("n", 5);
            RedisFuture<String> get = redis.get("k");
            RedisFuture<Long> ttl = redis.ttl("k");
            RedisFuture<List<Long>> bitfield = redis.bitfield("bf", BitFieldArgs.Builder.incrBy(BitFieldArgs.unsigned(4), 0, 20));
            RedisFuture<String> bad = redis.getrange("k", 0, 0);
            RedisFuture<Long> wrong = redis.incr("k");
            assertThat(set.get(5, TimeUnit.SECONDS)).isEqualTo("OK");
            assertThat(incr.get(5, TimeUnit.SECONDS)).isEqualTo(5);
            assertThat(get.get(5, TimeUnit.SECONDS)).isEqualTo("v");
            assertThat(ttl.get(5, TimeUnit.SECONDS)).isEqualTo(100);
            assertThat(bitfield.get(5, TimeUnit.SECONDS)).containsExactly(4L);
            assertThat(bad.get(5, TimeUnit.SECONDS)).isEqualTo("v");
            assertThatThrownBy(() -> wrong.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageContaining("ERR value is not an integer or out of range");
        }
    }

    @Test
    void pipelinedWithAutoFlushOff() {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                futures.add(redis.set("key:" + i, "value:" + i));
                futures.add(redis.incr("counter"));
            }
            RedisFuture<List<KeyValue<String, String>>> mget = redis.mget("key:0", "key:1999", "missing");
            RedisFuture<String> getex = redis.getex("key:7", GetExArgs.Builder.ex(60));
            RedisFuture<Long> ttl = redis.ttl("key:7");
            futures.add(mget);
            futures.add(getex);
            futures.add(ttl);
            assertThat(futures.get(0).isDone()).isFalse();
            connection.flushCommands();
            assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(10), futures.toArray(new RedisFuture[0]))).isTrue();
            connection.setAutoFlushCommands(true);
            RedisCommands<String, String> sync = connection.sync();
            assertThat(sync.get("counter")).isEqualTo("2000");
            assertThat(sync.dbsize()).isEqualTo(2001);
            assertThat(mget.toCompletableFuture().join()).containsExactly(KeyValue.just("key:0", "value:0"),
                    KeyValue.just("key:1999", "value:1999"), KeyValue.empty("missing"));
            assertThat(getex.toCompletableFuture().join()).isEqualTo("value:7");
            assertThat(ttl.toCompletableFuture().join()).isEqualTo(60);
        }
    }
}
