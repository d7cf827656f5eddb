/**
 * Fork-less checkpoints of the log (FASTER's fold-over): {@link io.ferrite.core.checkpoint.Checkpoints}
 * freezes every shard's log at a moment when no write command is half-way, copies the indexes
 * and counters, writes them with the in-memory pages and the cold blocks' directory to one file
 * per shard, and switches the {@code CHECKPOINT} pointer once everything is on the device. At
 * start the pointer's checkpoint is restored: the cold segment files are reused as they are, so
 * a restart reads the indexes and the pages that were in memory, never the cold data. What a
 * checkpoint froze can also be read while writes go on ({@code Checkpoints.export}): an AOF
 * rewrite writes its new base from it.
 */
package io.ferrite.core.checkpoint;
