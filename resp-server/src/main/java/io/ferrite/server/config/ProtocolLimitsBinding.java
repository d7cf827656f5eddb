package io.ferrite.server.config;

import io.ferrite.server.protocol.ProtocolLimits;

/**
 * Keeps a {@link ProtocolLimits} equal to proto-max-bulk-len and client-query-buffer-limit,
 * so CONFIG SET reaches every connection's decoder without it reading the configuration on
 * the hot path.
 */
public final class ProtocolLimitsBinding {
    private ProtocolLimitsBinding() {
    }

    /** A new {@link ProtocolLimits} with the current values, updated on every later change. */
    public static ProtocolLimits bind(ServerConfig config) {
        ProtocolLimits limits = new ProtocolLimits()
                .maxBulkLength(config.get(Directives.PROTO_MAX_BULK_LEN))
                .queryBufferLimit(config.get(Directives.CLIENT_QUERY_BUFFER_LIMIT));
        config.addListener(Directives.PROTO_MAX_BULK_LEN, (d, oldValue, newValue) -> limits.maxBulkLength((Long) newValue));
        config.addListener(Directives.CLIENT_QUERY_BUFFER_LIMIT,
                (d, oldValue, newValue) -> limits.queryBufferLimit((Long) newValue));
        return limits;
    }
}
