package io.ferrite.core.api;

import java.lang.foreign.MemorySegment;

/**
 * Receives a value read from the store without copying it first. The engine calls
 * {@link #accept} exactly once per successful read, with a view that is valid only for the
 * duration of the call (the record may be updated in place afterwards): copy what you need
 * (into a network buffer, a byte array, ...) before returning. Implementations are meant to be
 * reused across operations, so reads allocate nothing.
 */
@FunctionalInterface
public interface ValueSink {
    /**
     * @param source memory holding the value
     * @param offset offset of the first value byte within {@code source}
     * @param length number of value bytes
     */
    void accept(MemorySegment source, long offset, long length);
}
