package io.ferrite.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class SmokeTest {
    @Test
    void jedisCanSetAndGet() {
        try (TestServer server = TestServer.start(); Jedis jedis = new Jedis(server.host(), server.port())) {
            assertThat(jedis.ping()).isEqualTo("PONG");
            assertThat(jedis.set("k", "v")).isEqualTo("OK");
            assertThat(jedis.get("k")).isEqualTo("v");
            assertThat(jedis.incr("n")).isEqualTo(1);
        }
    }
}
