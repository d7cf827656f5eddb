package io.ferrite.server.config;

import io.ferrite.server.protocol.ProtocolLimits;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolLimitsBindingTest {

    @Test
    void followsConfigSet() {
        ServerConfig config = new ServerConfig();
        ProtocolLimits limits = ProtocolLimitsBinding.bind(config);
        assertThat(limits.maxBulkLength()).isEqualTo(512L << 20);
        assertThat(limits.queryBufferLimit()).isEqualTo(1L << 30);
        config.set(List.of("proto-max-bulk-len", "2mb", "client-query-buffer-limit", "64mb"));
        assertThat(limits.maxBulkLength()).isEqualTo(2L << 20);
        assertThat(limits.queryBufferLimit()).isEqualTo(64L << 20);
    }
}
