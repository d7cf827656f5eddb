package io.ferrite.core.api;

import java.lang.foreign.MemorySegment;

/**
 * Receives one collection element made of two strings (a hash's field and value) without
 * copying them first; the views are valid only during the call. Set members and lone fields
 * or values go to a {@link ValueSink}.
 */
@FunctionalInterface
public interface EntrySink {
    void accept(MemorySegment field, long fieldOffset, long fieldLength,
                MemorySegment value, long valueOffset, long valueLength);
}
