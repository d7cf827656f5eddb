package io.ferrite.core.checkpoint;

/**
 * A checkpoint on disk: its number, when it was frozen, the caller's tag (what the checkpoint
 * stands for: the snapshot or AOF base taken at the same moment), and its size.
 *
 * @param keys        keys of every database when it was frozen
 * @param fileBytes   bytes of its shard files (indexes, cold directory, in-memory pages)
 * @param pageBytes   of those, the in-memory pages
 */
public record CheckpointInfo(long id, long frozenAtMillis, String tag, long keys, long fileBytes, long pageBytes) {}
