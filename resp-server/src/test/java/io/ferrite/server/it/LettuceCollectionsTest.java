package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.server.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Lettuce's hash and set API against Ferrite in RESP3 (maps and sets) and RESP2, sync and async. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LettuceCollectionsTest {
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
    void hashes(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> connection = connect(protocol)) {
            RedisCommands<String, String> redis = connection.sync();
            Map<String, String> pairs = new java.util.LinkedHashMap<>();
            pairs.put("a", "1");
            pairs.put("b", "2");
            assertThat(redis.hset("h", pairs)).isEqualTo(2);
            assertThat(redis.hset("h", "c", "3")).isTrue();
            assertThat(redis.hget("h", "c")).isEqualTo("3");
            assertThat(redis.hmget("h", "a", "x")).containsExactly(KeyValue.just("a", "1"), KeyValue.empty("x"));
            assertThat(redis.hgetall("h")).isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
            assertThat(redis.hkeys("h")).containsExactly("a", "b", "c");
            assertThat(redis.hvals("h")).containsExactly("1", "2", "3");
            assertThat(redis.hlen("h")).isEqualTo(3);
            assertThat(redis.hexists("h", "b")).isTrue();
            assertThat(redis.hstrlen("h", "a")).isEqualTo(1);
            assertThat(redis.hincrby("h", "a", 41)).isEqualTo(42);
            assertThat(redis.hincrbyfloat("h", "f", 0.5)).isEqualTo(0.5);
            assertThat(redis.hsetnx("h", "a", "x")).isFalse();
            assertThat(redis.hrandfield("h")).isIn("a", "b", "c", "f");
            assertThat(redis.hrandfieldWithvalues("h", 2)).hasSize(2);
            assertThat(redis.hdel("h", "a", "b", "c", "f")).isEqualTo(4);
            assertThat(redis.exists("h")).isZero();
            redis.set("s", "x");
            assertThatThrownBy(() -> redis.hgetall("s")).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageStartingWith("WRONGTYPE");

            RedisAsyncCommands<String, String> async = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<Boolean>> sets = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                sets.add(async.hset("big", "f" + i, "v" + i));
            }
            connection.flushCommands();
            assertThat(LettuceFutures.awaitAll(10, TimeUnit.SECONDS, sets.toArray(new RedisFuture[0]))).isTrue();
            connection.setAutoFlushCommands(true);
            Map<String, String> scanned = new HashMap<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                MapScanCursor<String, String> page = redis.hscan("big", cursor, ScanArgs.Builder.limit(200));
                scanned.putAll(page.getMap());
                cursor = page;
            } while (!cursor.isFinished());
            assertThat(scanned).hasSize(3000).containsEntry("f1234", "v1234");
            assertThat(redis.hgetall("big")).isEqualTo(scanned);
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void sets(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> connection = connect(protocol)) {
            RedisCommands<String, String> redis = connection.sync();
            assertThat(redis.sadd("a", "1", "2", "3")).isEqualTo(3);
            assertThat(redis.sadd("b", "3", "4", "x")).isEqualTo(3);
            assertThat(redis.smembers("a")).containsExactlyInAnyOrder("1", "2", "3");
            assertThat(redis.sismember("a", "1")).isTrue();
            assertThat(redis.smismember("a", "1", "5")).containsExactly(true, false);
            assertThat(redis.scard("b")).isEqualTo(3);
            assertThat(redis.sinter("a", "b")).containsExactly("3");
            assertThat(redis.sunion("a", "b")).containsExactlyInAnyOrder("1", "2", "3", "4", "x");
            assertThat(redis.sdiff("b", "a")).containsExactlyInAnyOrder("4", "x");
            assertThat(redis.sinterstore("c", "a", "b")).isEqualTo(1);
            assertThat(redis.sdiffstore("c", "b", "a")).isEqualTo(2);
            assertThat(redis.sunionstore("c", "a", "b")).isEqualTo(5);
            assertThat(redis.sintercard("a", "c")).isEqualTo(3);
            assertThat(redis.smove("c", "d", "x")).isTrue();
            assertThat(redis.srem("c", "1", "nope")).isEqualTo(1);
            assertThat(redis.srandmember("c", 3)).hasSize(3).doesNotHaveDuplicates();
            assertThat(redis.spop("c", 10)).hasSize(3);
            assertThat(redis.exists("c")).isZero();
            assertThat(redis.spop("missing")).isNull();
            Set<String> members = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                members.add("m" + i);
            }
            redis.sadd("big", members.toArray(new String[0]));
            Set<String> scanned = new HashSet<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                ValueScanCursor<String> page = redis.sscan("big", cursor);
                scanned.addAll(page.getValues());
                cursor = page;
            } while (!cursor.isFinished());
            assertThat(scanned).isEqualTo(members);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void theFirstListAndSortedSetCommands(ProtocolVersion protocol) {
        try (StatefulRedisConnection<String, String> connection = connect(protocol)) {
            RedisCommands<String, String> redis = connection.sync();
            assertThat(redis.rpush("q", "1", "2", "3")).isEqualTo(3);
            assertThat(redis.lpush("q", "0")).isEqualTo(4);
            assertThat(redis.lrange("q", 1, 2)).containsExactly("1", "2");
            assertThat(redis.lpop("q", 2)).containsExactly("0", "1");
            assertThat(redis.rpop("q")).isEqualTo("3");
            assertThat(redis.llen("q")).isEqualTo(1);
            assertThat(redis.lindex("q", 0)).isEqualTo("2");

            assertThat(redis.zadd("z", 1.0, "one", 2.5, "two")).isEqualTo(2);
            assertThat(redis.zaddincr("z", 1.0, "one")).isEqualTo(2.0);
            assertThat(redis.zrangeWithScores("z", 0, -1)).extracting(v -> v.getValue() + "=" + v.getScore())
                    .containsExactly("one=2.0", "two=2.5");
            assertThat(redis.zscore("z", "missing")).isNull();
            assertThatThrownBy(() -> redis.zadd("q", 1.0, "x")).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageStartingWith("WRONGTYPE");
        }
    }
}
