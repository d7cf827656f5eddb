package io.ferrite.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.server.RawClient;
import io.ferrite.server.TestServer;
import org.junit.jupiter.api.Test;

/** maxclients, timeout, protocol errors, bulk limits, AUTH, CLIENT REPLY, QUIT, OOM. */
class ConnectionLimitsTest {

    @Test
    void maxclientsRefusesTheExtraClientWithRedisError() {
        try (TestServer server = TestServer.start("maxclients 2");
             RawClient a = new RawClient(server.port()); RawClient b = new RawClient(server.port())) {
            assertThat(a.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(b.call("PING")).isEqualTo("+PONG\r\n");
            try (RawClient c = new RawClient(server.port())) {
                assertThat(c.reply()).isEqualTo("-ERR max number of clients reached\r\n");
                assertThat(c.isClosedByServer()).isTrue();
            }
            assertThat(a.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws InterruptedException {
        try (TestServer server = TestServer.start("timeout 1"); RawClient idle = new RawClient(server.port())) {
            assertThat(idle.call("PING")).isEqualTo("+PONG\r\n");
            idle.timeout(4000);
            assertThat(idle.isClosedByServer()).isTrue();
        }
    }

    @Test
    void protocolErrorClosesOnlyThatConnection() {
        try (TestServer server = TestServer.start();
             RawClient bad = new RawClient(server.port()); RawClient good = new RawClient(server.port())) {
            assertThat(bad.sendRaw("*1\r\n!3\r\nfoo\r\n").reply()).isEqualTo("-ERR Protocol error: expected '$', got '!'\r\n");
            assertThat(bad.isClosedByServer()).isTrue();
            assertThat(good.call("SET", "k", "v")).isEqualTo("+OK\r\n");
            assertThat(good.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
        }
    }

    @Test
    void bulkLongerThanProtoMaxBulkLenIsRefusedBeforeBuffering() {
        try (TestServer server = TestServer.start("proto-max-bulk-len 1mb"); RawClient c = new RawClient(server.port())) {
            assertThat(c.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n").reply())
                    .isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void requirepassGatesCommandsUntilAuth() {
        try (TestServer server = TestServer.start("requirepass s3cret"); RawClient c = new RawClient(server.port())) {
            assertThat(c.call("GET", "k")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(c.call("AUTH", "wrong")).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            assertThat(c.call("AUTH", "s3cret")).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "k")).isEqualTo("$-1\r\n");
            assertThat(c.call("RESET")).isEqualTo("+RESET\r\n");
            assertThat(c.call("GET", "k")).isEqualTo("-NOAUTH Authentication required.\r\n");
        }
    }

    @Test
    void clientReplyOffAndSkipDropReplies() {
        try (TestServer server = TestServer.start(); RawClient c = new RawClient(server.port())) {
            c.send("CLIENT", "REPLY", "OFF").send("SET", "a", "1").send("CLIENT", "REPLY", "ON");
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            c.send("CLIENT", "REPLY", "SKIP").send("SET", "b", "2").send("GET", "a");
            assertThat(c.reply()).isEqualTo("$1\r\n1\r\n");
            assertThat(c.call("GET", "b")).isEqualTo("$1\r\n2\r\n");
        }
    }

    @Test
    void infoCountsNetworkBytesBothWays() {
        try (TestServer server = TestServer.start(); RawClient c = new RawClient(server.port())) {
            c.call("SET", "k", "v");
            String stats = c.call("INFO", "stats");
            assertThat(stats).containsPattern("total_net_input_bytes:[1-9]");
            assertThat(stats).containsPattern("total_net_output_bytes:[1-9]");
            try {
                Thread.sleep(250); // let the 100 ms sampler take its first samples
                for (int i = 0; i < 200; i++) {
                    c.call("GET", "k");
                }
                Thread.sleep(300); // a few more samples
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(c.call("INFO", "stats")).containsPattern("instantaneous_ops_per_sec:[1-9]");
        }
    }

    @Test
    void quitRepliesOkThenCloses() {
        try (TestServer server = TestServer.start(); RawClient c = new RawClient(server.port())) {
            assertThat(c.send("QUIT").send("PING").reply()).isEqualTo("+OK\r\n");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void writesFailWithOomWhenMaxmemoryIsReachedAndRecoverAfterDeletes() {
        // Without disk tiers maxmemory is a hard limit, as Redis's noeviction policy.
        try (TestServer server = TestServer.start("maxmemory 8mb", "page-size 64kb", "shards 1", "tiered-storage no");
             RawClient c = new RawClient(server.port())) {
            String value = "x".repeat(10_000);
            int stored = 0;
            String reply = "";
            for (int i = 0; i < 2000; i++) {
                reply = c.call("SET", "k" + i, value);
                if (!reply.equals("+OK\r\n")) {
                    break;
                }
                stored++;
            }
            assertThat(reply).isEqualTo("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
            assertThat(stored).isGreaterThan(100);
            assertThat(c.call("GET", "k0")).startsWith("$10000\r\n");
            for (int i = 0; i < stored; i++) {
                c.call("DEL", "k" + i);
            }
            assertThat(c.call("SET", "again", value)).isEqualTo("+OK\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":1\r\n");
        }
    }

    @Test
    void clientPauseWritePostponesWritesButNotReads() throws Exception {
        try (TestServer server = TestServer.start();
             RawClient admin = new RawClient(server.port()); RawClient c = new RawClient(server.port())) {
            assertThat(c.call("SET", "k", "before")).isEqualTo("+OK\r\n");
            assertThat(admin.call("CLIENT", "PAUSE", "1500", "WRITE")).isEqualTo("+OK\r\n");
            long started = System.nanoTime();
            assertThat(c.call("GET", "k")).isEqualTo("$6\r\nbefore\r\n");
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1000);
            assertThat(c.call("SET", "k", "after")).isEqualTo("+OK\r\n");
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(1300);
            // UNPAUSE wakes postponed clients at once.
            admin.call("CLIENT", "PAUSE", "10000", "WRITE");
            c.send("SET", "k", "third");
            Thread.sleep(100);
            assertThat(admin.call("CLIENT", "UNPAUSE")).isEqualTo("+OK\r\n");
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            assertThat(c.call("GET", "k")).isEqualTo("$5\r\nthird\r\n");
        }
    }

    @Test
    void slowReaderIsDisconnectedByTheOutputBufferLimit() throws Exception {
        try (TestServer server = TestServer.start("client-output-buffer-limit normal 1mb 0 0");
             RawClient setter = new RawClient(server.port())) {
            setter.call("SET", "big", "y".repeat(512 * 1024));
            try (java.net.Socket slow = new java.net.Socket("127.0.0.1", server.port())) {
                slow.setReceiveBufferSize(4096);
                StringBuilder pipeline = new StringBuilder();
                for (int i = 0; i < 200; i++) {
                    pipeline.append("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n");
                }
                slow.getOutputStream().write(pipeline.toString().getBytes());
                slow.getOutputStream().flush();
                Thread.sleep(1500); // do not read: replies pile up in the server
                slow.setSoTimeout(5000);
                long read = 0;
                byte[] buffer = new byte[65536];
                int n;
                try {
                    while ((n = slow.getInputStream().read(buffer)) > 0) {
                        read += n;
                    }
                } catch (java.io.IOException closed) {
                    // reset by the server: also a disconnect
                }
                assertThat(read).as("bytes before the server closed").isLessThan(200L * 512 * 1024);
            }
            assertThat(setter.call("PING")).isEqualTo("+PONG\r\n");
        }
    }
}
