package io.ferrite.server.config;

/**
 * One class's client-output-buffer-limit: disconnect when the pending output exceeds
 * {@code hardBytes}, or stays above {@code softBytes} for {@code softSeconds}. 0 disables a
 * limit.
 */
public record OutputBufferLimit(long hardBytes, long softBytes, long softSeconds) {
    public static final OutputBufferLimit NONE = new OutputBufferLimit(0, 0, 0);
}
