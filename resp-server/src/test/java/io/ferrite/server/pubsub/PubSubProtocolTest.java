package io.ferrite.server.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.server.RawClient;
import io.ferrite.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Pub/Sub's exact frames in RESP2 and RESP3, subscriber mode and the introspection commands. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PubSubProtocolTest {
    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String frame(String... parts) {
        StringBuilder s = new StringBuilder("*" + parts.length + "\r\n");
        for (String p : parts) {
            s.append(p.startsWith(":") ? p + "\r\n" : "$" + p.length() + "\r\n" + p + "\r\n");
        }
        return s.toString();
    }

    @Test
    void subscribePublishAndUnsubscribeInResp2() {
        try (RawClient sub = new RawClient(server.port()); RawClient pub = new RawClient(server.port())) {
            sub.send("SUBSCRIBE", "news", "sport");
            assertThat(sub.reply()).isEqualTo(frame("subscribe", "news", ":1"));
            assertThat(sub.reply()).isEqualTo(frame("subscribe", "sport", ":2"));
            assertThat(sub.call("SUBSCRIBE", "news")).isEqualTo(frame("subscribe", "news", ":2"));
            assertThat(pub.call("PUBLISH", "news", "hello")).isEqualTo(":1\r\n");
            assertThat(sub.reply()).isEqualTo(frame("message", "news", "hello"));
            assertThat(pub.call("PUBLISH", "nobody", "x")).isEqualTo(":0\r\n");
            assertThat(pub.call("PUBSUB", "NUMSUB", "news", "nobody")).isEqualTo("*4\r\n$4\r\nnews\r\n:1\r\n$6\r\nnobody\r\n:0\r\n");
            assertThat(pub.call("PUBSUB", "CHANNELS", "n*")).isEqualTo("*1\r\n$4\r\nnews\r\n");
            sub.send("UNSUBSCRIBE");
            String both = sub.reply() + sub.reply();
            assertThat(both).contains(frame("unsubscribe", "news", ":1").substring(4)).endsWith(":0\r\n");
            assertThat(sub.call("UNSUBSCRIBE")).isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
            assertThat(sub.call("GET", "x")).isEqualTo("$-1\r\n"); // out of subscriber mode again
        }
    }

    @Test
    void patternsDeliverPmessageAndCountOncePerMatch() {
        try (RawClient sub = new RawClient(server.port()); RawClient pub = new RawClient(server.port())) {
            assertThat(sub.call("SUBSCRIBE", "foo.bar")).isEqualTo(frame("subscribe", "foo.bar", ":1"));
            assertThat(sub.call("PSUBSCRIBE", "foo.*")).isEqualTo(frame("psubscribe", "foo.*", ":2"));
            assertThat(pub.call("PUBLISH", "foo.bar", "hi")).isEqualTo(":2\r\n");
            assertThat(sub.reply()).isEqualTo(frame("message", "foo.bar", "hi"));
            assertThat(sub.reply()).isEqualTo(frame("pmessage", "foo.*", "foo.bar", "hi"));
            assertThat(pub.call("PUBSUB", "NUMPAT")).isEqualTo(":1\r\n");
            assertThat(sub.call("PUNSUBSCRIBE", "foo.*", "other.*")).isEqualTo(frame("punsubscribe", "foo.*", ":1"));
            assertThat(sub.reply()).isEqualTo(frame("punsubscribe", "other.*", ":1"));
            assertThat(pub.call("PUBSUB", "NUMPAT")).isEqualTo(":0\r\n");
        }
    }

    @Test
    void resp2SubscriberModeAllowsOnlyPubSubCommandsPingQuitAndReset() {
        try (RawClient sub = new RawClient(server.port())) {
            sub.call("SUBSCRIBE", "c");
            assertThat(sub.call("SET", "k", "v")).isEqualTo("-ERR Can't execute 'set': only (P|S)SUBSCRIBE / "
                    + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n");
            assertThat(sub.call("CLIENT", "INFO")).startsWith("-ERR Can't execute 'client|info'");
            assertThat(sub.call("PING")).isEqualTo(frame("pong", ""));
            assertThat(sub.call("PING", "hey")).isEqualTo(frame("pong", "hey"));
            assertThat(sub.call("RESET")).isEqualTo("+RESET\r\n");
            assertThat(sub.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(server.context().pubsub().size(Subscriptions.Kind.CHANNEL)).isZero();
        }
    }

    @Test
    void resp3PushesAndRunsAnyCommandWhileSubscribed() {
        try (RawClient sub = new RawClient(server.port())) {
            sub.call("HELLO", "3");
            assertThat(sub.call("SUBSCRIBE", "r3")).isEqualTo(">3\r\n$9\r\nsubscribe\r\n$2\r\nr3\r\n:1\r\n");
            assertThat(sub.call("PING")).isEqualTo("+PONG\r\n");
            // Its own PUBLISH: the message comes before the reply, as in Redis.
            sub.send("PUBLISH", "r3", "self");
            assertThat(sub.reply()).isEqualTo(">3\r\n$7\r\nmessage\r\n$2\r\nr3\r\n$4\r\nself\r\n");
            assertThat(sub.reply()).isEqualTo(":1\r\n");
            assertThat(sub.call("UNSUBSCRIBE", "none")).isEqualTo(">3\r\n$11\r\nunsubscribe\r\n$4\r\nnone\r\n:1\r\n");
            assertThat(sub.call("SUNSUBSCRIBE")).isEqualTo(">3\r\n$12\r\nsunsubscribe\r\n_\r\n:0\r\n");
        }
    }

    @Test
    void pushesAreKeptUnderClientReplyOff() {
        try (RawClient sub = new RawClient(server.port()); RawClient pub = new RawClient(server.port())) {
            sub.send("CLIENT", "REPLY", "OFF");
            assertThat(sub.call("SUBSCRIBE", "quiet")).isEqualTo(frame("subscribe", "quiet", ":1"));
            pub.call("PUBLISH", "quiet", "m");
            assertThat(sub.reply()).isEqualTo(frame("message", "quiet", "m"));
        }
    }

    @Test
    void shardChannelsAreTheirOwnNamespace() {
        try (RawClient sub = new RawClient(server.port()); RawClient pub = new RawClient(server.port())) {
            assertThat(sub.call("SSUBSCRIBE", "s1")).isEqualTo(frame("ssubscribe", "s1", ":1"));
            assertThat(pub.call("PUBLISH", "s1", "x")).isEqualTo(":0\r\n");
            assertThat(pub.call("SPUBLISH", "s1", "y")).isEqualTo(":1\r\n");
            assertThat(sub.reply()).isEqualTo(frame("smessage", "s1", "y"));
            assertThat(pub.call("PUBSUB", "SHARDCHANNELS")).isEqualTo("*1\r\n$2\r\ns1\r\n");
            assertThat(pub.call("PUBSUB", "SHARDNUMSUB", "s1")).isEqualTo("*2\r\n$2\r\ns1\r\n:1\r\n");
            assertThat(pub.call("PUBSUB", "CHANNELS")).isEqualTo("*0\r\n");
        }
    }

    @Test
    void clientListShowsSubscriptionsAndTheDisconnectCleansUp() {
        try (RawClient pub = new RawClient(server.port())) {
            try (RawClient sub = new RawClient(server.port())) {
                sub.call("SUBSCRIBE", "a");
                sub.call("PSUBSCRIBE", "b*");
                String list = pub.call("CLIENT", "LIST", "TYPE", "pubsub");
                assertThat(list).contains("flags=P").contains(" sub=1 psub=1 ssub=0 ");
                assertThat(pub.call("INFO", "stats")).contains("pubsub_channels:1").contains("pubsub_patterns:1");
            }
            long deadline = System.currentTimeMillis() + 5000;
            while (server.context().pubsub().hasListeners() && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(pub.call("PUBLISH", "a", "gone")).isEqualTo(":0\r\n");
            assertThat(pub.call("CLIENT", "LIST", "TYPE", "pubsub")).isEqualTo("$0\r\n\r\n");
        }
    }

    @Test
    void badArgumentsGetRedisErrors() {
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.call("SUBSCRIBE")).isEqualTo("-ERR wrong number of arguments for 'subscribe' command\r\n");
            assertThat(c.call("PUBLISH", "a")).isEqualTo("-ERR wrong number of arguments for 'publish' command\r\n");
            assertThat(c.call("PUBSUB", "NUMPAT", "x")).isEqualTo("-ERR wrong number of arguments for 'pubsub|numpat' command\r\n");
            assertThat(c.call("PUBSUB", "CHANNELS", "a", "b")) // Redis echoes the subcommand as sent
                    .isEqualTo("-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.\r\n");
            assertThat(c.call("PUBSUB", "FOO")).isEqualTo("-ERR unknown subcommand 'FOO'. Try PUBSUB HELP.\r\n");
            assertThat(c.call("PUBSUB", "HELP")).startsWith("*14\r\n+PUBSUB <subcommand>");
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsDisconnectedAtThePubsubOutputLimit() throws Exception {
        try (TestServer limited = TestServer.start("client-output-buffer-limit pubsub 256kb 0 0");
             RawClient sub = new RawClient(limited.port()); RawClient pub = new RawClient(limited.port())) {
            sub.call("SUBSCRIBE", "flood");
            String payload = "x".repeat(64 * 1024);
            long killed = 0;
            for (int i = 0; i < 2000 && killed == 0; i++) {
                pub.call("PUBLISH", "flood", payload);
                killed = limited.context().stats().clientsKilledByOutputBuffer.sum();
            }
            assertThat(killed).isEqualTo(1);
            long deadline = System.currentTimeMillis() + 5000;
            while (limited.context().pubsub().hasListeners() && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThat(pub.call("PUBSUB", "NUMSUB", "flood")).endsWith(":0\r\n");
        }
    }
}
