package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.BitCountOption;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.args.ClientAttributeOption;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.args.FlushMode;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.BitPosParams;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LCSParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.CommandInfo;
import redis.clients.jedis.resps.LCSMatchResult;
import redis.clients.jedis.resps.ScanResult;

/** Jedis's typed API against Ferrite: every string, bit, key, connection and server command. */
@SuppressWarnings("deprecation") // SETNX, SETEX, GETSET, SUBSTR... are deprecated in Jedis but are Redis commands to test
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JedisIntegrationTest {
    private TestServer server;
    private Jedis jedis;

    @BeforeAll
    void start() {
        server = TestServer.start();
        jedis = new Jedis(server.host(), server.port());
    }

    @AfterAll
    void stop() {
        jedis.close();
        server.close();
    }

    @BeforeEach
    void flush() {
        jedis.select(0);
        assertThat(jedis.flushAll()).isEqualTo("OK");
    }

    @Test
    void setWithOptions() {
        assertThat(jedis.set("k", "v", SetParams.setParams().nx().ex(10))).isEqualTo("OK");
        assertThat(jedis.ttl("k")).isEqualTo(10);
        assertThat(jedis.set("k", "v2", SetParams.setParams().nx())).isNull();
        assertThat(jedis.set("k", "v2", SetParams.setParams().xx().keepTtl())).isEqualTo("OK");
        assertThat(jedis.ttl("k")).isEqualTo(10);
        assertThat(jedis.set("k", "v3", SetParams.setParams().xx().px(50_000))).isEqualTo("OK");
        assertThat(jedis.ttl("k")).isEqualTo(50);
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertThat(jedis.set("k", "v4", SetParams.setParams().exAt(at))).isEqualTo("OK");
        assertThat(jedis.expireTime("k")).isEqualTo(at);
        assertThat(jedis.set("k", "v5", SetParams.setParams().pxAt(at * 1000 + 7))).isEqualTo("OK");
        assertThat(jedis.pexpireTime("k")).isEqualTo(at * 1000 + 7);
        assertThat(jedis.setGet("k", "v6")).isEqualTo("v5");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.setGet("new", "x", SetParams.setParams().nx())).isNull();
        assertThat(jedis.get("new")).isEqualTo("x");
        assertThat(jedis.set("missing", "v", SetParams.setParams().xx())).isNull();
        assertThat(jedis.exists("missing")).isFalse();
        assertThatThrownBy(() -> jedis.set("k", "v", SetParams.setParams().ex(0)))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR invalid expire time in 'set' command");
    }

    @Test
    void stringCommands() {
        assertThat(jedis.get("missing")).isNull();
        assertThat(jedis.setnx("k", "v")).isEqualTo(1);
        assertThat(jedis.setnx("k", "v")).isZero();
        assertThat(jedis.setex("e", 100, "v")).isEqualTo("OK");
        assertThat(jedis.ttl("e")).isEqualTo(100);
        assertThat(jedis.psetex("p", 100_000, "v")).isEqualTo("OK");
        assertThat(jedis.pttl("p")).isBetween(99_000L, 100_000L);
        assertThat(jedis.getSet("k", "w")).isEqualTo("v");
        assertThat(jedis.getDel("k")).isEqualTo("w");
        assertThat(jedis.getDel("k")).isNull();
        jedis.set("g", "v");
        assertThat(jedis.getEx("g", GetExParams.getExParams().ex(100))).isEqualTo("v");
        assertThat(jedis.ttl("g")).isEqualTo(100);
        assertThat(jedis.getEx("g", GetExParams.getExParams().persist())).isEqualTo("v");
        assertThat(jedis.ttl("g")).isEqualTo(-1);
        assertThat(jedis.getEx("g", GetExParams.getExParams().px(5000))).isEqualTo("v");
        assertThat(jedis.getEx("missing", GetExParams.getExParams().ex(1))).isNull();
        assertThat(jedis.mset("a", "1", "b", "2")).isEqualTo("OK");
        assertThat(jedis.mget("a", "b", "missing")).containsExactly("1", "2", null);
        assertThat(jedis.msetnx("a", "x", "c", "3")).isZero();
        assertThat(jedis.msetnx("c", "3", "d", "4")).isEqualTo(1);
        assertThat(jedis.append("s", "Hello")).isEqualTo(5);
        assertThat(jedis.append("s", " World")).isEqualTo(11);
        assertThat(jedis.strlen("s")).isEqualTo(11);
        assertThat(jedis.getrange("s", 0, 4)).isEqualTo("Hello");
        assertThat(jedis.getrange("s", -5, -1)).isEqualTo("World");
        assertThat(jedis.substr("s", 6, 100)).isEqualTo("World");
        assertThat(jedis.setrange("s", 6, "Redis")).isEqualTo(11);
        assertThat(jedis.get("s")).isEqualTo("Hello Redis");
        assertThat(jedis.setrange("z", 3, "x")).isEqualTo(4);
        assertThat(jedis.get("z")).isEqualTo("\0\0\0x");
        assertThat(jedis.incr("n")).isEqualTo(1);
        assertThat(jedis.incrBy("n", 10)).isEqualTo(11);
        assertThat(jedis.decr("n")).isEqualTo(10);
        assertThat(jedis.decrBy("n", 20)).isEqualTo(-10);
        assertThat(jedis.incrByFloat("f", 10.5)).isEqualTo(10.5);
        assertThat(jedis.incrByFloat("f", 0.1)).isEqualTo(10.6);
        assertThat(jedis.get("f")).isEqualTo("10.6");
        jedis.set("f", "5.0e3");
        assertThat(jedis.incrByFloat("f", 200)).isEqualTo(5200);
        jedis.set("n", String.valueOf(Long.MAX_VALUE));
        assertThatThrownBy(() -> jedis.incr("n")).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR increment or decrement would overflow");
        jedis.set("n", "abc");
        assertThatThrownBy(() -> jedis.incr("n")).hasMessage("ERR value is not an integer or out of range");
        assertThatThrownBy(() -> jedis.incrByFloat("n", 1)).hasMessage("ERR value is not a valid float");
    }

    @Test
    void lcs() {
        jedis.mset("key1", "ohmytext", "key2", "mynewtext");
        assertThat(jedis.lcs("key1", "key2", LCSParams.LCSParams()).getMatchString()).isEqualTo("mytext");
        assertThat(jedis.lcs("key1", "key2", LCSParams.LCSParams().len()).getLen()).isEqualTo(6);
        LCSMatchResult idx = jedis.lcs("key1", "key2", LCSParams.LCSParams().idx().minMatchLen(4).withMatchLen());
        assertThat(idx.getLen()).isEqualTo(6);
        assertThat(idx.getMatches()).hasSize(1);
        assertThat(idx.getMatches().get(0).getA().getStart()).isEqualTo(4);
        assertThat(idx.getMatches().get(0).getA().getEnd()).isEqualTo(7);
        assertThat(idx.getMatches().get(0).getB().getStart()).isEqualTo(5);
        assertThat(idx.getMatches().get(0).getMatchLen()).isEqualTo(4);
    }

    @Test
    void bitCommands() {
        assertThat(jedis.setbit("b", 7, true)).isFalse();
        assertThat(jedis.setbit("b", 7, true)).isTrue();
        assertThat(jedis.getbit("b", 7)).isTrue();
        assertThat(jedis.getbit("b", 100)).isFalse();
        jedis.set("s", "foobar");
        assertThat(jedis.bitcount("s")).isEqualTo(26);
        assertThat(jedis.bitcount("s", 1, 1)).isEqualTo(6);
        assertThat(jedis.bitcount("s", 5, 30, BitCountOption.BIT)).isEqualTo(17);
        jedis.set("p".getBytes(), new byte[] {0, (byte) 0xff, (byte) 0xf0});
        assertThat(jedis.bitpos("p", true)).isEqualTo(8);
        assertThat(jedis.bitpos("p", true, new BitPosParams(2))).isEqualTo(16);
        assertThat(jedis.bitpos("p", false, new BitPosParams(1, -1))).isEqualTo(20);
        assertThat(jedis.bitpos("p", true, BitPosParams.bitPosParams().start(7).end(15).modifier(BitCountOption.BIT))).isEqualTo(8);
        jedis.set("x".getBytes(), new byte[] {(byte) 0xff, 0x0f});
        jedis.set("y".getBytes(), new byte[] {0x0f, (byte) 0xff, 0x01});
        assertThat(jedis.bitop(BitOP.AND, "d", "x", "y")).isEqualTo(3);
        assertThat(jedis.get("d".getBytes())).containsExactly(0x0f, 0x0f, 0x00);
        assertThat(jedis.bitop(BitOP.OR, "d", "x", "y")).isEqualTo(3);
        assertThat(jedis.bitop(BitOP.XOR, "d", "x", "y")).isEqualTo(3);
        assertThat(jedis.bitop(BitOP.NOT, "d", "x")).isEqualTo(2);
        assertThat(jedis.get("d".getBytes())).containsExactly(0x00, 0xf0);
        assertThat(jedis.bitfield("bf", "SET", "i8", "0", "100", "GET", "i8", "0")).containsExactly(0L, 100L);
        assertThat(jedis.bitfield("bf", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "100")).containsExactly(127L);
        assertThat(jedis.bitfield("bf", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "1")).containsExactly((Long) null);
        assertThat(jedis.bitfield("bf", "INCRBY", "u2", "100", "1", "GET", "u4", "#1")).containsExactly(1L, 15L);
        assertThat(jedis.bitfieldReadonly("bf", "GET", "u8", "0", "GET", "i4", "4")).containsExactly(127L, -1L);
        assertThatThrownBy(() -> jedis.bitfieldReadonly("bf", "SET", "u8", "0", "1"))
                .hasMessage("ERR BITFIELD_RO only supports the GET subcommand");
    }

    @Test
    void keyCommands() {
        jedis.mset("a", "1", "b", "2", "c", "3");
        assertThat(jedis.exists("a", "b", "missing")).isEqualTo(2);
        assertThat(jedis.touch("a", "missing")).isEqualTo(1);
        assertThat(jedis.type("a")).isEqualTo("string");
        assertThat(jedis.type("missing")).isEqualTo("none");
        assertThat(jedis.del("a", "missing")).isEqualTo(1);
        assertThat(jedis.unlink("b")).isEqualTo(1);
        assertThat(jedis.rename("c", "d")).isEqualTo("OK");
        assertThatThrownBy(() -> jedis.rename("c", "e")).hasMessage("ERR no such key");
        jedis.set("e", "5");
        assertThat(jedis.renamenx("d", "e")).isZero();
        assertThat(jedis.renamenx("d", "f")).isEqualTo(1);
        assertThat(jedis.copy("f", "g", false)).isTrue();
        assertThat(jedis.copy("f", "g", false)).isFalse();
        assertThat(jedis.copy("e", "g", true)).isTrue();
        assertThat(jedis.get("g")).isEqualTo("5");
        assertThat(jedis.copy("e", "g", 1, false)).isTrue();
        assertThat(jedis.move("f", 2)).isEqualTo(1);
        assertThat(jedis.move("f", 2)).isZero();
        assertThat(jedis.keys("*")).containsExactlyInAnyOrder("e", "g");
        assertThat(jedis.randomKey()).isIn("e", "g");
        jedis.select(1);
        assertThat(jedis.get("g")).isEqualTo("5");
        jedis.select(2);
        assertThat(jedis.get("f")).isEqualTo("3");
        assertThat(jedis.dbSize()).isEqualTo(1);
        assertThat(jedis.flushDB()).isEqualTo("OK");
        assertThat(jedis.dbSize()).isZero();
        jedis.select(0);
        assertThat(jedis.objectEncoding("e")).isEqualTo("int");
        jedis.set("s", "short");
        assertThat(jedis.objectEncoding("s")).isEqualTo("embstr");
        jedis.set("s", "x".repeat(45));
        assertThat(jedis.objectEncoding("s")).isEqualTo("raw");
        assertThat(jedis.objectEncoding("missing")).isNull();
        assertThat(jedis.objectRefcount("s")).isEqualTo(1);
        assertThat(jedis.waitReplicas(0, 0)).isZero();
    }

    @Test
    void scanVisitsEveryKey() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            jedis.set("key:" + i, "v");
            expected.add("key:" + i);
        }
        jedis.set("other", "v");
        Set<String> seen = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match("key:*").count(50);
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            seen.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        assertThat(seen).isEqualTo(expected);
        assertThat(jedis.keys("key:1?")).hasSize(10);
    }

    @Test
    void expiry() {
        jedis.set("k", "v");
        assertThat(jedis.ttl("k")).isEqualTo(-1);
        assertThat(jedis.ttl("missing")).isEqualTo(-2);
        assertThat(jedis.expire("k", 100, ExpiryOption.XX)).isZero();
        assertThat(jedis.expire("k", 100, ExpiryOption.NX)).isEqualTo(1);
        assertThat(jedis.expire("k", 50, ExpiryOption.GT)).isZero();
        assertThat(jedis.expire("k", 200, ExpiryOption.GT)).isEqualTo(1);
        assertThat(jedis.pexpire("k", 300_000, ExpiryOption.LT)).isZero();
        assertThat(jedis.pexpire("k", 150_000, ExpiryOption.LT)).isEqualTo(1);
        assertThat(jedis.ttl("k")).isEqualTo(150);
        long at = System.currentTimeMillis() / 1000 + 500;
        assertThat(jedis.expireAt("k", at)).isEqualTo(1);
        assertThat(jedis.expireTime("k")).isEqualTo(at);
        assertThat(jedis.pexpireAt("k", at * 1000 + 5, ExpiryOption.GT)).isEqualTo(1);
        assertThat(jedis.pexpireTime("k")).isEqualTo(at * 1000 + 5);
        assertThat(jedis.persist("k")).isEqualTo(1);
        assertThat(jedis.persist("k")).isZero();
        assertThat(jedis.expire("k", -1)).isEqualTo(1);
        assertThat(jedis.exists("k")).isFalse();
        jedis.set("short", "v", SetParams.setParams().px(30));
        await(() -> !jedis.exists("short"));
        assertThat(jedis.get("short")).isNull();
    }

    @Test
    void connectionAndServerCommands() {
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.ping("hello")).isEqualTo("hello");
        assertThat(jedis.echo("bin\r\n\0")).isEqualTo("bin\r\n\0");
        assertThat(jedis.clientSetname("jedis-test")).isEqualTo("OK");
        assertThat(jedis.clientGetname()).isEqualTo("jedis-test");
        assertThat(jedis.clientId()).isPositive();
        assertThat(jedis.clientInfo()).contains("name=jedis-test");
        assertThat(jedis.clientList()).contains("name=jedis-test");
        assertThat(jedis.clientSetInfo(ClientAttributeOption.LIB_NAME, "mylib")).isEqualTo("OK");
        assertThat(jedis.clientInfo()).contains("lib-name=mylib");
        assertThat(jedis.configSet("maxmemory-policy", "allkeys-lru")).isEqualTo("OK");
        assertThat(jedis.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "allkeys-lru");
        assertThat(jedis.configSet("maxmemory-policy", "noeviction")).isEqualTo("OK");
        Map<String, String> slowlog = jedis.configGet("slowlog-*");
        assertThat(slowlog).containsKeys("slowlog-log-slower-than", "slowlog-max-len");
        assertThat(jedis.commandCount()).isGreaterThan(50);
        Map<String, CommandInfo> info = jedis.commandInfo("get", "set");
        assertThat(info.get("get").getArity()).isEqualTo(2);
        assertThat(info.get("set").getArity()).isEqualTo(-3);
        assertThat(jedis.commandGetKeys("MSET", "a", "1", "b", "2")).containsExactly("a", "b");
        assertThat(jedis.commandDocs("get")).containsKey("get");
        assertThat(jedis.commandList()).contains("get", "set", "bitfield");
        assertThat(jedis.info()).contains("redis_version:7.0.15");
        assertThat(jedis.info("keyspace")).startsWith("# Keyspace");
        assertThat(jedis.time()).hasSize(2);
        jedis.set("k", "v");
        assertThat(jedis.flushAll(FlushMode.SYNC)).isEqualTo("OK");
        assertThat(jedis.dbSize()).isZero();
        assertThatThrownBy(() -> jedis.select(16)).hasMessage("ERR DB index is out of range");
    }

    @Test
    void binarySafeKeysAndValues() {
        byte[] key = {'k', 0, '\r', '\n', (byte) 0xff};
        byte[] value = {0, 1, 2, '\r', '\n', (byte) 0x80, (byte) 0xfe};
        assertThat(jedis.set(key, value)).isEqualTo("OK");
        assertThat(jedis.get(key)).isEqualTo(value);
        assertThat(jedis.strlen(key)).isEqualTo(value.length);
        assertThat(jedis.append(key, new byte[] {0})).isEqualTo(value.length + 1);
        assertThat(jedis.getrange(key, 1, 3)).containsExactly(1, 2, '\r');
        assertThat(jedis.keys("k*".getBytes())).hasSize(1);
    }

    @Test
    void pipeline() {
        Pipeline pipeline = jedis.pipelined();
        List<Response<Long>> incrs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            incrs.add(pipeline.incr("counter"));
        }
        Response<String> set = pipeline.set("k", "v", SetParams.setParams().ex(100));
        Response<String> get = pipeline.get("k");
        Response<Long> ttl = pipeline.ttl("k");
        Response<List<Long>> bitfield = pipeline.bitfield("bf", "SET", "u8", "0", "200", "GET", "u8", "0");
        pipeline.sync();
        assertThat(incrs.get(999).get()).isEqualTo(1000);
        assertThat(set.get()).isEqualTo("OK");
        assertThat(get.get()).isEqualTo("v");
        assertThat(ttl.get()).isEqualTo(100);
        assertThat(bitfield.get()).containsExactly(0L, 200L);
    }

    @Test
    void resp3() {
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).clientName("resp3").build();
        try (JedisPooled pooled = new JedisPooled(new HostAndPort(server.host(), server.port()), config)) {
            assertThat(pooled.set("k", "v", SetParams.setParams().nx().ex(10))).isEqualTo("OK");
            assertThat(pooled.get("k")).isEqualTo("v");
            assertThat(pooled.get("missing")).isNull();
            assertThat(pooled.incrByFloat("f", 1.5)).isEqualTo(1.5);
            assertThat(pooled.mget("k", "missing")).containsExactly("v", null);
            assertThat(pooled.getEx("k", GetExParams.getExParams().persist())).isEqualTo("v");
            assertThat(pooled.ttl("k")).isEqualTo(-1);
            assertThat(pooled.bitfield("bf", "INCRBY", "i5", "100", "1", "GET", "u4", "0")).containsExactly(1L, 0L);
            pooled.mset("key1", "ohmytext", "key2", "mynewtext");
            LCSMatchResult idx = pooled.lcs("key1", "key2", LCSParams.LCSParams().idx().withMatchLen());
            assertThat(idx.getLen()).isEqualTo(6);
            assertThat(idx.getMatches()).hasSize(2);
            List<String> keys = new ArrayList<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = pooled.scan(cursor);
                keys.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            assertThat(keys).containsExactlyInAnyOrder("k", "f", "bf", "key1", "key2");
            assertThat(pooled.expireTime("missing")).isEqualTo(-2);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waiting for a condition").isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
