package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferrite.server.TestServer;
import io.ferrite.server.it.RespConnection.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Differential test against the real Redis 7.0: sends the same commands to a redis-server
 * (started here when it is on the PATH; CI installs Debian's 7.0) and to Ferrite, and
 * compares the replies byte for byte, error texts included, once in RESP2 and once in RESP3.
 *
 * <p>The cases live in {@code src/test/resources/differential/*.txt}: one command per line
 * with redis-cli quoting ("..." with \n \r \t \xHH escapes, '...' literal); '#' starts a
 * comment. A line may start with a marker that loosens the comparison where the reply
 * legitimately differs:
 * <ul>
 *   <li>{@code ~} the reply type only (ids, timestamps, cursors, Ferrite-only contents);
 *   <li>{@code @sorted} an array as a set of elements (KEYS);
 *   <li>{@code @unordered} every nested array and map as a multiset (CONFIG GET of several
 *       directives and COMMAND INFO of containers, which Redis lists in hash order);
 *   <li>{@code @shape} types, sizes, map keys, simple strings and errors, not the values
 *       (HELLO: server version and client id differ);
 *   <li>{@code @noreply} send without reading a reply (CLIENT REPLY OFF/SKIP);
 *   <li>{@code @scan [options]} a full SCAN iteration on both, comparing the key sets;
 *   <li>{@code @sleep MS} wait (expiry);
 *   <li>{@code @reconnect} new connections, as they are (RESP2, not authenticated, db 0).
 * </ul>
 * Each file runs on fresh connections after FLUSHALL; in RESP3 after HELLO 3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisDifferentialTest {
    static final List<String> CASE_FILES = List.of(
            "strings.txt", "bits.txt", "keys.txt", "expire.txt", "connection.txt", "server.txt", "admin.txt",
            "hashes.txt", "sets.txt", "lists-zsets.txt");

    private RedisTools.RedisServer redis;
    private TestServer ferrite;
    /** Why the tests are skipped, or null. */
    private String skipReason;

    @BeforeAll
    void startServers() throws Exception {
        Optional<Path> executable = RedisTools.find("redis-server");
        if (executable.isEmpty()) {
            skipReason = "redis-server is not on the PATH: skipping the differential test against Redis 7.0 "
                    + "(install Debian's redis-server package to run it)";
            return;
        }
        String version = RedisTools.version(executable.get());
        if (!version.contains("v=7.0.")) {
            skipReason = "the differential cases are written against Redis 7.0, found: " + version;
            return;
        }
        redis = RedisTools.RedisServer.start(executable.get());
        ferrite = TestServer.start();
    }

    /** Skips the calling test (each one, so that every skip is reported with its reason). */
    private void requireRedis() {
        assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    void stopServers() {
        if (ferrite != null) {
            ferrite.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> resp2() {
        return CASE_FILES.stream().map(file -> DynamicTest.dynamicTest(file + " (RESP2)", () -> {
            requireRedis();
            run(file, 2);
        }));
    }

    @TestFactory
    Stream<DynamicTest> resp3() {
        return CASE_FILES.stream().map(file -> DynamicTest.dynamicTest(file + " (RESP3)", () -> {
            requireRedis();
            run(file, 3);
        }));
    }

    @org.junit.jupiter.api.Test
    void theCaseFilesCoverSeveralHundredCommands() throws IOException {
        requireRedis();
        int cases = 0;
        for (String file : CASE_FILES) {
            for (String line : lines(file)) {
                if (!line.isBlank() && !line.strip().startsWith("#") && !line.strip().startsWith("@sleep")) {
                    cases++;
                }
            }
        }
        assertThat(cases).isGreaterThan(1000);
    }

    private void run(String file, int protocol) throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        List<String> lines = lines(file);
        RespConnection f = connect(ferrite.port(), protocol);
        RespConnection r = connect(redis.port, protocol);
        int compared = 0;
        try {
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String where = file + ":" + (n + 1) + " " + line;
                if (line.startsWith("@sleep ")) {
                    Thread.sleep(Long.parseLong(line.substring(7).strip()));
                    continue;
                }
                if (line.equals("@reconnect")) {
                    f.close();
                    r.close();
                    f = new RespConnection("127.0.0.1", ferrite.port());
                    r = new RespConnection("127.0.0.1", redis.port);
                    continue;
                }
                compared++;
                if (line.startsWith("@scan")) {
                    List<byte[]> options = CommandLine.split(line.substring(5));
                    String fromFerrite = scanAll(f, options);
                    String fromRedis = scanAll(r, options);
                    if (!fromFerrite.equals(fromRedis)) {
                        failures.add(where + "\n    ferrite: " + fromFerrite + "\n    redis:   " + fromRedis);
                    }
                    continue;
                }
                Mode mode = Mode.EXACT;
                for (Mode m : Mode.values()) {
                    if (m.prefix != null && line.startsWith(m.prefix)) {
                        mode = m;
                        line = line.substring(m.prefix.length()).strip();
                        break;
                    }
                }
                List<byte[]> args = CommandLine.split(line);
                if (mode == Mode.NO_REPLY) {
                    f.send(args);
                    r.send(args);
                    continue;
                }
                Reply expected = r.call(args);
                Reply actual;
                try {
                    actual = f.call(args);
                } catch (IOException e) {
                    failures.add(where + "\n    ferrite: " + e + "\n    redis:   " + show(expected.raw()));
                    f.close();
                    f = connect(ferrite.port(), protocol);
                    continue;
                }
                if (!mode.matches(actual, expected)) {
                    failures.add(where + " [" + mode + "]\n    ferrite: " + show(actual.raw()) + "\n    redis:   " + show(expected.raw()));
                }
            }
        } finally {
            f.close();
            r.close();
        }
        assertThat(compared).isPositive();
        assertThat(failures)
                .as("%d of %d replies differ from Redis in %s (RESP%d)", failures.size(), compared, file, protocol)
                .isEmpty();
    }

    private static RespConnection connect(int port, int protocol) throws IOException {
        RespConnection connection = new RespConnection("127.0.0.1", port);
        assertThat(connection.call("FLUSHALL").text()).isEqualTo("OK");
        if (protocol == 3) {
            assertThat(connection.call("HELLO", "3").type()).isEqualTo('%');
        }
        return connection;
    }

    /** Every key a full SCAN returns, sorted, or the error. */
    private static String scanAll(RespConnection connection, List<byte[]> options) throws IOException {
        TreeSet<String> keys = new TreeSet<>();
        byte[] cursor = {'0'};
        for (int calls = 0; calls < 100_000; calls++) {
            List<byte[]> args = new ArrayList<>();
            args.add("SCAN".getBytes(StandardCharsets.US_ASCII));
            args.add(cursor);
            args.addAll(options);
            Reply reply = connection.call(args);
            if (reply.type() == '-') {
                return show(reply.raw());
            }
            cursor = reply.elements().get(0).payload();
            for (Reply key : reply.elements().get(1).elements()) {
                keys.add(show(key.payload()));
            }
            if (Arrays.equals(cursor, new byte[] {'0'})) {
                return keys.toString();
            }
        }
        return "SCAN did not finish";
    }

    private static List<String> lines(String file) throws IOException {
        try (InputStream in = RedisDifferentialTest.class.getResourceAsStream("/differential/" + file)) {
            assertThat(in).as("test resource differential/%s", file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** Bytes as printable text: \r \n \xHH escaped. */
    static String show(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c == '\r') {
                text.append("\\r");
            } else if (c == '\n') {
                text.append("\\n");
            } else if (c == '\\') {
                text.append("\\\\");
            } else if (c < 0x20 || c >= 0x7F) {
                text.append(String.format("\\x%02x", c));
            } else {
                text.append((char) c);
            }
            if (text.length() > 600) {
                return text.append("...").toString();
            }
        }
        return text.toString();
    }

    enum Mode {
        EXACT(null),
        TYPE("~"),
        SORTED("@sorted "),
        UNORDERED("@unordered "),
        SHAPE("@shape "),
        NO_REPLY("@noreply ");

        final String prefix;

        Mode(String prefix) {
            this.prefix = prefix;
        }

        boolean matches(Reply actual, Reply expected) {
            return switch (this) {
                case EXACT, NO_REPLY -> Arrays.equals(actual.raw(), expected.raw());
                case TYPE -> actual.type() == expected.type();
                case SORTED -> actual.type() == expected.type() && elementSet(actual).equals(elementSet(expected));
                case UNORDERED -> canonical(actual).equals(canonical(expected));
                case SHAPE -> shape(actual).equals(shape(expected));
            };
        }

        private static List<String> elementSet(Reply reply) {
            return reply.elements().stream().map(e -> show(e.raw())).sorted().toList();
        }

        /** The reply with every aggregate's elements (a map's pairs) in sorted order. */
        private static String canonical(Reply reply) {
            if (!reply.isAggregate()) {
                return show(reply.raw());
            }
            List<String> parts = new ArrayList<>();
            List<Reply> elements = reply.elements();
            if (reply.isMap() || reply.type() == '*' && looksLikePairs(elements)) {
                for (int i = 0; i + 1 < elements.size(); i += 2) {
                    parts.add(canonical(elements.get(i)) + "=>" + canonical(elements.get(i + 1)));
                }
            } else {
                elements.forEach(e -> parts.add(canonical(e)));
            }
            parts.sort(null);
            return reply.type() + "" + elements.size() + parts;
        }

        /** A RESP2 flat map (CONFIG GET): an even number of elements with bulk string keys. */
        private static boolean looksLikePairs(List<Reply> elements) {
            if (elements.size() % 2 != 0) {
                return false;
            }
            for (int i = 0; i < elements.size(); i += 2) {
                if (elements.get(i).type() != '$' || elements.get(i + 1).isAggregate()) {
                    return false;
                }
            }
            return true;
        }

        /** Types, sizes, map keys, simple strings and errors; not other values. */
        private static String shape(Reply reply) {
            if (reply.type() == '+' || reply.type() == '-') {
                return show(reply.raw());
            }
            if (!reply.isAggregate()) {
                return String.valueOf(reply.type());
            }
            StringBuilder text = new StringBuilder().append(reply.type()).append(reply.elements().size()).append('[');
            for (int i = 0; i < reply.elements().size(); i++) {
                Reply element = reply.elements().get(i);
                boolean key = reply.isMap() && i % 2 == 0;
                text.append(key ? show(element.raw()) : shape(element)).append(',');
            }
            return text.append(']').toString();
        }
    }
}
