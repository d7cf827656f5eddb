package io.ferrite.core.api;

import java.lang.foreign.MemorySegment;

/**
 * Receives, for each hash a walk of the keyspace meets, the value of one field
 * ({@link io.ferrite.core.types.HashCommands#scanField}); the segments are valid only during
 * the call, which runs under the shard's lock, so it must be short and must not call the engine.
 */
@FunctionalInterface
public interface HashFieldVisitor {
    /** {@code length} when the hash has no such field. */
    long MISSING = -1;
    /** {@code length} when the hash is too large to be read in the walk: its field is an HGET away. */
    long NOT_READ = -2;

    /** The field's value is {@code length} bytes at {@code offset} of {@code source}, or {@code length} is {@link #MISSING} or {@link #NOT_READ}. */
    void visit(MemorySegment key, MemorySegment source, long offset, long length);
}
