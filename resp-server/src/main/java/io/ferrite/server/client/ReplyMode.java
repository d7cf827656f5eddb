package io.ferrite.server.client;

/** CLIENT REPLY modes. */
public enum ReplyMode {
    ON,
    OFF,
    /** Skip the reply of the next command only. */
    SKIP
}
