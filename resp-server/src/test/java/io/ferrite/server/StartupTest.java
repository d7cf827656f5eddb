package io.ferrite.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Binding: optional addresses ("-addr") may fail, required ones may not. */
class StartupTest {
    @Test
    void anUnavailableOptionalAddressIsSkipped() {
        // 192.0.2.1 (TEST-NET-1) is never an address of this machine, so binding it fails.
        try (TestServer server = TestServer.start("bind 127.0.0.1 -192.0.2.1"); RawClient c = new RawClient(server.port())) {
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void anUnavailableRequiredAddressStopsTheStart() {
        assertThatThrownBy(() -> TestServer.start("bind 192.0.2.1").close()).isInstanceOf(Exception.class);
    }

    @Test
    void aPortInUseIsReported() {
        try (TestServer first = TestServer.start()) {
            assertThatThrownBy(() -> TestServer.start("port " + first.port()).close())
                    .hasMessageContaining("Address already in use");
        }
    }

    @Test
    void aSmallSegmentSizeBoundsTheLargestValue() {
        try (TestServer server = TestServer.start("segment-size 1mb", "page-size 64kb"); RawClient c = new RawClient(server.port())) {
            assertThat(c.call("SET", "small", "x".repeat(1000))).isEqualTo("+OK\r\n");
            assertThat(c.call("SET", "big", "x".repeat(2 << 20)))
                    .isEqualTo("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
            assertThat(c.call("APPEND", "small", "x".repeat((1 << 20) - 500)))
                    .isEqualTo("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
        }
    }
}
