package io.ferrite.server.config;

/**
 * The outcome of a CONFIG SET: applied, or refused with the exact error reply text (including
 * its "ERR " prefix) to send to the client. A refusal changed nothing.
 */
public record ConfigSetResult(String error) {
    /** All pairs were applied. */
    public static final ConfigSetResult APPLIED = new ConfigSetResult(null);

    static ConfigSetResult refused(String error) {
        return new ConfigSetResult(error);
    }

    public boolean applied() {
        return error == null;
    }
}
