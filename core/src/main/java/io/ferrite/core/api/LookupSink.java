package io.ferrite.core.api;

import java.lang.foreign.MemorySegment;

/**
 * Receives the answers of a multi-element lookup (HMGET), in the order asked: each element is
 * either {@link #found} with its value (valid only during the call) or {@link #missing}.
 */
public interface LookupSink {
    void found(MemorySegment source, long offset, long length);

    void missing();
}
