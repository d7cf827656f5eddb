package io.ferrite.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.server.RawClient;
import io.ferrite.server.TestServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Throws thousands of random, truncated and corrupted frames at a live server over real
 * sockets, then checks that a well-behaved client is still served correctly.
 */
class ProtocolFuzzTest {
    private static final String[] COMMANDS = {"GET", "SET", "INCR", "MGET", "DEL", "APPEND", "SETRANGE",
            "BITFIELD", "CLIENT", "CONFIG", "HELLO", "EXPIRE", "SCAN", "KEYS", "LCS", "GETEX", "COMMAND"};

    @Test
    void randomFramesNeverBreakTheServer() throws Exception {
        try (TestServer server = TestServer.start("proto-max-bulk-len 1mb")) {
            Random random = new Random(7);
            for (int connection = 0; connection < 60; connection++) {
                try (Socket socket = new Socket("127.0.0.1", server.port())) {
                    socket.setSoTimeout(2000);
                    OutputStream out = socket.getOutputStream();
                    for (int frame = 0; frame < 100; frame++) {
                        byte[] bytes = frame(random);
                        out.write(bytes);
                    }
                    out.flush();
                    // Drain whatever came back until the server closes or goes quiet.
                    try {
                        byte[] sink = new byte[8192];
                        while (socket.getInputStream().read(sink) > 0) {
                            if (socket.getInputStream().available() == 0) {
                                break;
                            }
                        }
                    } catch (java.io.IOException ignored) {
                        // closed or timed out: both fine
                    }
                } catch (java.net.SocketException reset) {
                    // the server may close a garbage connection while we still write
                }
            }
            try (RawClient client = new RawClient(server.port())) {
                assertThat(client.call("SET", "after", "fuzz")).isEqualTo("+OK\r\n");
                assertThat(client.call("GET", "after")).isEqualTo("$4\r\nfuzz\r\n");
                assertThat(client.call("PING")).isEqualTo("+PONG\r\n");
            }
        }
    }

    private static byte[] frame(Random random) {
        switch (random.nextInt(6)) {
            case 0 -> {
                byte[] garbage = new byte[random.nextInt(64)];
                random.nextBytes(garbage);
                return garbage;
            }
            case 1 -> {
                return ("*" + (random.nextInt(5) - 1) + "\r\n$" + (random.nextInt(2_000_000) - 5) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            }
            case 2 -> {
                String inline = COMMANDS[random.nextInt(COMMANDS.length)] + " \"unbalanced " + random.nextInt() + "\r\n";
                return inline.getBytes(StandardCharsets.US_ASCII);
            }
            default -> {
                // A valid-looking command with random arguments, sometimes cut short.
                int argc = 1 + random.nextInt(5);
                StringBuilder sb = new StringBuilder("*").append(argc).append("\r\n");
                sb.append("$").append(COMMANDS[random.nextInt(COMMANDS.length)].length()).append("\r\n");
                sb.append(COMMANDS[random.nextInt(COMMANDS.length)]).append("\r\n");
                for (int i = 1; i < argc; i++) {
                    String arg = random.nextBoolean() ? Integer.toString(random.nextInt(1000) - 500) : "k" + random.nextInt(20);
                    sb.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
                }
                byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
                if (random.nextInt(4) == 0) {
                    return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
                }
                return bytes;
            }
        }
    }
}
