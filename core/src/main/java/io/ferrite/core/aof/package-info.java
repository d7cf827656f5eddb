/**
 * The append-only file, in Redis 7's multi-part layout (a manifest naming one base file and
 * incremental files, all RESP commands): the writer thread with group commit and the three
 * fsync policies, the per-command journal scope a door opens around a write, the fork-less
 * rewrite, and the strict reader that loading and {@code check-aof} share. What a command
 * means is the door's business: this package stores and returns commands as bytes.
 */
package io.ferrite.core.aof;
