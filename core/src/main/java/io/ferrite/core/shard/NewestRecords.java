package io.ferrite.core.shard;

import static io.ferrite.core.log.RecordLayout.header;
import static io.ferrite.core.log.RecordLayout.isSuperseded;

import io.ferrite.core.address.LogicalAddress;
import io.ferrite.core.index.HashIndex;
import io.ferrite.core.index.KeyHash;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.log.RecordLayout;
import io.ferrite.core.log.RecordLayout.Shape;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The newest record of each key in one bucket's chains: how SCAN finds a bucket's keys and how
 * a frozen shard is read. A chain holds every version of its keys, newest first, and a bucket's
 * own chains are newer than its ancestors' (where a split fell back to them), so the first
 * record of a key met is its newest; below the mutable region records carry no SUPERSEDED flag,
 * so keys already met are remembered.
 */
final class NewestRecords {
    private NewestRecords() {}

    /** Receives a key's newest record (views valid during the call only). */
    @FunctionalInterface
    interface Visitor {
        void newest(long address, MemorySegment page, long record, long header, MemorySegment key);
    }

    /**
     * Walks the chains of {@code bucket} of {@code index} (with its ancestors') down to
     * {@code begin} and hands over the newest record of each key whose full hash
     * {@code belongs} to the bucket (chains also pass through other buckets' records, left
     * linked by splits). {@code shape} and {@code seen} are the caller's scratch.
     */
    static void walk(HybridLog log, HashIndex index, long bucket, long begin, LongPredicate belongs, Shape shape,
                     List<MemorySegment> seen, Visitor visitor) {
        seen.clear();
        index.forEachChainWithAncestors(bucket, head -> {
            for (long a = head; a >= begin && a != LogicalAddress.NULL; ) {
                MemorySegment page = log.page(a);
                long record = log.offsetInPage(a, page);
                long header = header(page, record);
                if (!isSuperseded(header)) {
                    shape.parse(page, record, header);
                    if (belongs.test(KeyHash.hash(page, shape.keyOffset, shape.keyLength))) {
                        MemorySegment key = page.asSlice(shape.keyOffset, shape.keyLength);
                        if (!contains(seen, key)) {
                            seen.add(key);
                            visitor.newest(a, page, record, header, key);
                        }
                    }
                }
                a = RecordLayout.prev(header);
            }
        });
    }

    private static boolean contains(List<MemorySegment> keys, MemorySegment key) {
        for (MemorySegment k : keys) {
            if (k.byteSize() == key.byteSize() && k.mismatch(key) == -1) {
                return true;
            }
        }
        return false;
    }
}
