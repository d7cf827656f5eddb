/**
 * The RESP door's side of durability: opening and replaying the append-only file at start,
 * turning it on and off with CONFIG SET, RDB snapshots (SAVE, BGSAVE, save points, SHUTDOWN's
 * save, DEBUG RELOAD; {@link io.ferrite.server.persistence.RdbSaver} writes them from a
 * point-in-time image, {@link io.ferrite.server.persistence.RdbLoader} loads them at start),
 * {@code ./ferrite import-rdb}, the loading state and the persistence fields of INFO. The AOF's
 * format and writer and the fork-less images are the engine's ({@link io.ferrite.core.aof},
 * {@link io.ferrite.core.snapshot}).
 */
package io.ferrite.server.persistence;
