package io.ferrite.core.api;

/** What a write does to the key's TTL. */
public enum ExpireMode {
    /** Keep the TTL the key has (none for a new key). */
    KEEP,
    /** Set the TTL to the given expire-at time. */
    SET,
    /** Remove any TTL (a plain SET does this). */
    CLEAR
}
