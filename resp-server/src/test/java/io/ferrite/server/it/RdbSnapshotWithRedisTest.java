package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferrite.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The RDB file Ferrite's SAVE writes is one redis-server 7.0 loads as its own: every type with
 * its expiries, in every database, equal by content and by DEBUG DIGEST; redis-check-rdb finds
 * nothing wrong with it.
 */
class RdbSnapshotWithRedisTest {
    private static final redis.clients.jedis.commands.ProtocolCommand DEBUG = () -> "DEBUG".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void redisLoadsTheSnapshotFerriteSaves() throws Exception {
        String skip = RdbImportWithRedisTest.redisServerSkip();
        assumeTrue(skip == null, skip);
        Map<String, Object> expected;
        String digest;
        Path redisDir = Files.createTempDirectory("redis-loads-ferrite");
        try (TestServer ferrite = TestServer.start("save \"\"");
             Jedis jedis = new Jedis(ferrite.host(), ferrite.port())) {
            RdbImportWithRedisTest.fill(jedis);
            expected = RdbImportWithRedisTest.contents(jedis);
            digest = new String((byte[]) jedis.sendCommand(DEBUG, "DIGEST"));
            assertThat(jedis.save()).isEqualTo("OK");
            Files.copy(ferrite.dir().resolve("dump.rdb"), redisDir.resolve("dump.rdb"));
        }
        Path checker = RedisTools.find("redis-check-rdb").orElse(null);
        if (checker != null) {
            Process check = new ProcessBuilder(checker.toString(), redisDir.resolve("dump.rdb").toString())
                    .redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes());
            assertThat(check.waitFor()).as(output).isZero();
            assertThat(output).contains("RDB looks OK");
        }
        try (RedisTools.RedisServer redisServer = RedisTools.RedisServer.start(RedisTools.find("redis-server").orElseThrow(), redisDir);
             Jedis redis = new Jedis("127.0.0.1", redisServer.port)) {
            assertThat(RdbImportWithRedisTest.contents(redis)).isEqualTo(expected);
            assertThat(new String((byte[]) redis.sendCommand(DEBUG, "DIGEST"))).isEqualTo(digest);
            assertThat(redis.objectEncoding("intset")).isEqualTo("intset");
            assertThat(redis.objectEncoding("small-hash")).isEqualTo("listpack");
        }
    }
}
