package io.ferrite.core.api;

/**
 * Takes a consistent image of one key for a snapshot (the AOF rewrite): every call happens
 * under the key's shard lock, so no write of the key falls between them. A step that meets a
 * record on disk may be run again from {@link #begin} once it is read, so nothing done in
 * {@link #begin} or during the export may assume it runs once; {@link #end} runs once.
 */
public interface KeySnapshot {
    /** False skips the key (it is in the snapshot already). */
    boolean begin();

    /** Receives the value, when the key exists. */
    ValueExport export();

    /**
     * The image is complete.
     *
     * @param exists   false when the key does not exist (nothing was exported)
     * @param expireAt the key's expiry in epoch ms, 0 for none
     */
    void end(boolean exists, long expireAt);
}
