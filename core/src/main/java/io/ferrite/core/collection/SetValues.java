package io.ferrite.core.collection;

import io.ferrite.core.strings.LongParse;
import io.ferrite.core.strings.RedisNumbers;
import java.lang.foreign.MemorySegment;

/**
 * Edits of a small set held in a {@link PackBuffer}: an intset (sorted integers at a sticky
 * width) or a pack of member strings. Redis 7.0 names both of a string set's encodings
 * "hashtable"; Ferrite keeps a small one packed (up to {@link #PACK_MAX_ENTRIES} members of at
 * most {@link #PACK_MAX_LENGTH} bytes) because it costs a byte per member instead of a table.
 */
final class SetValues {
    /** Most members a packed string set holds before it becomes a table (Redis 7.2's listpack default). */
    static final long PACK_MAX_ENTRIES = 128;
    /** Longest member a packed string set holds. */
    static final long PACK_MAX_LENGTH = 64;

    private SetValues() {}

    /** An empty intset of width 2 in {@code buffer}. */
    static void emptyIntset(PackBuffer buffer) {
        buffer.clear();
        buffer.length(IntSet.HEADER);
        buffer.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 2);
    }

    /** True when {@code member} is an integer Redis would keep in an intset; its value goes to {@code out}. */
    static boolean isInteger(MemorySegment member, long offset, long length, LongParse out) {
        return RedisNumbers.tryParseLong(member, offset, length, out);
    }

    static long intsetCount(PackBuffer buffer) {
        return IntSet.count(buffer.segment(), 0, buffer.length());
    }

    /** Inserts {@code v} into the intset in {@code buffer}, widening it when needed; false when present. */
    static boolean intsetAdd(PackBuffer buffer, long v) {
        MemorySegment s = buffer.segment();
        int width = IntSet.width(s, 0);
        int needed = IntSet.widthFor(v);
        if (needed > width) {
            widen(buffer, needed);
            s = buffer.segment();
            width = needed;
        }
        long index = IntSet.search(s, 0, buffer.length(), v);
        if (index >= 0) {
            return false;
        }
        long at = -index - 1;
        buffer.openGap(IntSet.HEADER + at * width, width);
        IntSet.set(buffer.segment(), 0, width, at, v);
        return true;
    }

    /** Removes {@code v} from the intset (its width stays); false when absent. */
    static boolean intsetRemove(PackBuffer buffer, long v) {
        MemorySegment s = buffer.segment();
        long index = IntSet.search(s, 0, buffer.length(), v);
        if (index < 0) {
            return false;
        }
        int width = IntSet.width(s, 0);
        long at = IntSet.HEADER + index * width;
        buffer.remove(at, at + width);
        return true;
    }

    private static void widen(PackBuffer buffer, int width) {
        MemorySegment s = buffer.segment();
        int old = IntSet.width(s, 0);
        long n = IntSet.count(s, 0, buffer.length());
        buffer.length(IntSet.HEADER + n * width);
        s = buffer.segment();
        // From the last member down, so nothing is overwritten before it is read.
        for (long i = n - 1; i >= 0; i--) {
            IntSet.set(s, 0, width, i, IntSet.get(s, 0, old, i));
        }
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) width);
    }

    /** Rewrites the intset in {@code buffer} as a pack of member texts, using {@code spare} as scratch. */
    static void intsetToPack(PackBuffer buffer, PackBuffer spare) {
        MemorySegment s = buffer.segment();
        int width = IntSet.width(s, 0);
        long n = IntSet.count(s, 0, buffer.length());
        spare.clear();
        byte[] text = new byte[RedisNumbers.MAX_LONG_CHARS + 1];
        MemorySegment textSegment = MemorySegment.ofArray(text);
        for (long i = 0; i < n; i++) {
            int length = RedisNumbers.formatLong(IntSet.get(s, 0, width, i), text, 0);
            spare.append(textSegment, 0, length);
        }
        buffer.load(spare.segment(), 0, spare.length());
    }

    /** True when a packed string set with {@code count} members, the longest {@code longest} bytes, must become a table. */
    static boolean packTooBig(long count, boolean tooLong) {
        return tooLong || count > PACK_MAX_ENTRIES;
    }
}
