package io.ferrite.core.engine;

/**
 * The body of {@link Engine#locked}: a step that runs with a set of shards locked, at the time
 * {@code now}. As with {@link KeyOperation}, it must find everything it needs before it changes
 * anything, since it may run again after a disk read.
 */
@FunctionalInterface
public interface LockedStep<R> {
    R run(long now);
}
