package io.ferrite.core.api;

import java.lang.foreign.MemorySegment;

/** Receives keys found by a scan; the segment is valid only during the call. */
@FunctionalInterface
public interface KeyVisitor {
    void visit(MemorySegment key, ValueType type);
}
