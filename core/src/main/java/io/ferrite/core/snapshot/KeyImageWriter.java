package io.ferrite.core.snapshot;

import io.ferrite.core.api.ValueExport;

/**
 * Receives one key's image for a {@link PointInTimeImage}: every call happens under the key's
 * shard lock. The engine may restart an export after a disk read: {@link #reset} then forgets
 * what the export delivered so far, and the value comes again from its start.
 */
public interface KeyImageWriter {
    /** Makes a fresh writer for a key's image. */
    @FunctionalInterface
    interface Factory {
        KeyImageWriter open(int db, byte[] key);
    }

    /** Forgets a value begun and not completed. */
    void reset();

    /** Receives the value. */
    ValueExport export();

    /** The value is complete; {@code expireAt} is its expiry in epoch ms, 0 for none. */
    void complete(long expireAt);
}
