/**
 * Point-in-time images of the keyspace without fork and without pausing writers, for the AOF
 * rewrite and RDB snapshots: the {@link io.ferrite.core.snapshot.WriteGate} every write command
 * of every door passes, and the {@link io.ferrite.core.snapshot.PointInTimeImage} that images
 * each key once, either just before its first write after the image began or by its own scan.
 */
package io.ferrite.core.snapshot;
