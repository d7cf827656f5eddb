package io.ferrite.core.engine;

/**
 * What a command family does with one key once the engine has routed and guarded it: the body
 * of {@link Engine#read} and {@link Engine#write}. It gets the key's {@link KeyContext} (hash,
 * shard, clock) and writes only its own logic; protection, locking, disk-read retries and the
 * {@code finally} that undoes them are the engine's.
 *
 * <p>A body that writes must find every record it needs (which may throw
 * {@link io.ferrite.core.api.DiskReadPending}) before it changes anything: the engine may run
 * it again after a disk read.
 */
@FunctionalInterface
public interface KeyOperation<R> {
    R run(KeyContext k);
}
