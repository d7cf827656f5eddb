package io.ferrite.core;

import io.ferrite.core.api.ValueSink;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Test helpers to move between strings and segments. */
public final class TestBytes {
    private TestBytes() {}

    public static MemorySegment seg(String s) {
        return MemorySegment.ofArray(s.getBytes(StandardCharsets.UTF_8));
    }

    public static String str(MemorySegment segment) {
        return new String(segment.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** A sink that remembers the last value as a string (null until a value arrives). */
    public static final class Capture implements ValueSink {
        public String value;

        @Override
        public void accept(MemorySegment source, long offset, long length) {
            value = new String(source.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }
}
