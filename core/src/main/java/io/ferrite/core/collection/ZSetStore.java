package io.ferrite.core.collection;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.EntrySink;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.engine.KeyContext;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.shard.RecordView;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Redis's sorted sets, interim: one packed value ({@link RecordKind#ZSET_PACK}) of members,
 * each followed by its score as an 8-byte double, in Redis's order (score, then member bytes),
 * so every update rewrites it (O(n), like a listpack-encoded zset). The chunked, O(log n)
 * storage comes with the lists-and-sorted-sets issue; until then a sorted set may not grow
 * past {@link ListStore#MAX_BYTES}. Every method runs inside an operation of the engine's
 * template, under the shard's lock.
 */
public final class ZSetStore {
    private static final int ARITY = 2;
    private static final ValueLayout.OfDouble SCORE = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** ZADD flags, as Redis's ZADD_IN_* bits. */
    public static final int NX = 1;
    public static final int XX = 2;
    public static final int GT = 4;
    public static final int LT = 8;
    public static final int INCR = 16;
    public static final int CH = 32;

    /** The score of the entry whose member string is at {@code at}. */
    public static double score(MemorySegment pack, long at) {
        long s = Pack.next(pack, at);
        return pack.get(SCORE, Pack.data(pack, s));
    }

    /**
     * ZADD of {@code n} score-member pairs with {@code flags}: the reply count (added, or
     * added + updated with CH) goes to {@code result}; with INCR the new score goes to
     * {@code newScore[0]}, and NOT_PERFORMED says the flags left the member alone (a nil reply).
     * NAN_OR_INFINITY when an increment gives NaN (nothing is changed).
     */
    public Status add(Workspace w, KeyContext k, double[] scores, MemorySegment[] members, int from, int n, int flags,
                      LongParse result, double[] newScore) {
        result.value = 0;
        RecordView root = w.root(k);
        if (root.exists() && root.type() != ValueType.ZSET) {
            return Status.WRONG_TYPE;
        }
        boolean incr = (flags & INCR) != 0;
        if (!root.exists() && (flags & XX) != 0) {
            return incr ? Status.NOT_PERFORMED : Status.OK;
        }
        PackBuffer zset = w.buffer;
        if (root.exists()) {
            zset.load(root.page, root.valueOffset, root.valueLength);
        } else {
            zset.clear();
        }
        long added = 0;
        long updated = 0;
        boolean performed = false;
        for (int i = 0; i < n; i++) {
            MemorySegment member = members[from + i];
            double score = scores[i];
            long at = zset.find(ARITY, member, 0, member.byteSize());
            if (at >= 0) {
                double current = score(zset.segment(), at);
                if ((flags & NX) != 0) {
                    continue;
                }
                if (incr) {
                    score += current;
                    if (Double.isNaN(score)) {
                        return Status.NAN_OR_INFINITY;
                    }
                }
                if (((flags & GT) != 0 && score <= current) || ((flags & LT) != 0 && score >= current)) {
                    continue;
                }
                performed = true;
                newScore[0] = score;
                if (score != current) {
                    zset.remove(at, Pack.nextEntry(zset.segment(), at, ARITY));
                    insert(w, zset, member, score);
                    updated++;
                }
            } else {
                if ((flags & XX) != 0) {
                    continue;
                }
                if (zset.length() + Pack.sizeOf(member.byteSize()) + 9 > ListStore.MAX_BYTES) {
                    return Status.VALUE_TOO_LARGE;
                }
                performed = true;
                newScore[0] = score;
                insert(w, zset, member, score);
                added++;
            }
        }
        result.value = (flags & CH) != 0 ? added + updated : added;
        if (added + updated > 0) {
            Status status = w.writeValue(k, RecordKind.ZSET_PACK, zset, added > 0, incr ? ChangeKind.ZINCR : ChangeKind.ZADD);
            if (status != Status.OK) {
                return status;
            }
        }
        return incr && !performed ? Status.NOT_PERFORMED : Status.OK;
    }

    /** Inserts the entry at its place in Redis's order: by score, then by member bytes. */
    private static void insert(Workspace w, PackBuffer zset, MemorySegment member, double score) {
        MemorySegment pack = zset.segment();
        long end = zset.length();
        long at = 0;
        while (at < end) {
            double s = score(pack, at);
            if (s > score || (s == score && compareMember(pack, at, member) > 0)) {
                break;
            }
            at = Pack.nextEntry(pack, at, ARITY);
        }
        long memberSize = Pack.sizeOf(member.byteSize());
        long size = memberSize + Pack.sizeOf(8);
        zset.openGap(at, size);
        // Redis 7.0's listpack stores a score as text, integers as integers, so -0 reads back as 0.
        score = score == 0 ? 0.0 : score;
        pack = zset.segment();
        Pack.write(pack, at, member, 0, member.byteSize());
        w.numberSegment.set(SCORE, 0, score);
        Pack.write(pack, at + memberSize, w.numberSegment, 0, 8);
    }

    /** The stored member at {@code at} compared with {@code member}, as memcmp then length. */
    private static int compareMember(MemorySegment pack, long at, MemorySegment member) {
        long data = Pack.data(pack, at);
        long length = Pack.length(pack, at);
        long common = Math.min(length, member.byteSize());
        long mismatch = MemorySegment.mismatch(pack, data, data + common, member, 0, common);
        if (mismatch >= 0) {
            return Integer.compare(pack.get(ValueLayout.JAVA_BYTE, data + mismatch) & 0xFF,
                    member.get(ValueLayout.JAVA_BYTE, mismatch) & 0xFF);
        }
        return Long.compare(length, member.byteSize());
    }

    /** ZREM: the number of members removed to {@code removed}; an emptied sorted set is deleted. */
    public Status remove(Workspace w, KeyContext k, MemorySegment[] members, int from, int n, LongParse removed) {
        removed.value = 0;
        RecordView root = w.root(k);
        if (!root.exists()) {
            return Status.OK;
        }
        if (root.type() != ValueType.ZSET) {
            return Status.WRONG_TYPE;
        }
        PackBuffer zset = w.buffer;
        zset.load(root.page, root.valueOffset, root.valueLength);
        for (int i = 0; i < n && zset.length() > 0; i++) {
            MemorySegment m = members[from + i];
            long at = zset.find(ARITY, m, 0, m.byteSize());
            if (at >= 0) {
                zset.remove(at, Pack.nextEntry(zset.segment(), at, ARITY));
                removed.value++;
            }
        }
        if (removed.value == 0) {
            return Status.OK;
        }
        if (zset.length() == 0) {
            w.deleteEmptied(k, ChangeKind.ZREM);
            return Status.OK;
        }
        return w.writeValue(k, RecordKind.ZSET_PACK, zset, false, ChangeKind.ZREM);
    }

    /** ZCARD into {@code count} (0 for a missing key). */
    public Status cardinality(Workspace w, KeyContext k, LongParse count) {
        count.value = 0;
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.OK;
        }
        if (root.type() != ValueType.ZSET) {
            return Status.WRONG_TYPE;
        }
        count.value = Pack.count(root.page, root.valueOffset, root.valueOffset + root.valueLength, ARITY);
        return Status.OK;
    }

    /** ZSCORE into {@code score[0]}; NOT_FOUND when the key or the member is missing. */
    public Status score(Workspace w, KeyContext k, MemorySegment member, double[] score) {
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.NOT_FOUND;
        }
        if (root.type() != ValueType.ZSET) {
            return Status.WRONG_TYPE;
        }
        long at = Pack.find(root.page, root.valueOffset, root.valueOffset + root.valueLength, ARITY, member, 0, member.byteSize());
        if (at < 0) {
            return Status.NOT_FOUND;
        }
        score[0] = score(root.page, at);
        return Status.OK;
    }

    /**
     * ZRANGE by index (negative from the end, clamped; with {@code reverse} from the highest
     * score): each member with its score as 8 bytes to {@code sink}, their number to
     * {@code count}. A missing key is empty.
     */
    public Status range(Workspace w, KeyContext k, long startIndex, long stopIndex, boolean reverse, EntrySink sink,
                        LongParse count) {
        count.value = 0;
        RecordView root = w.rootForRead(k);
        if (!root.exists()) {
            return Status.OK;
        }
        if (root.type() != ValueType.ZSET) {
            return Status.WRONG_TYPE;
        }
        MemorySegment page = root.page;
        long size = Pack.count(page, root.valueOffset, root.valueOffset + root.valueLength, ARITY);
        long start = IndexRange.first(startIndex, size);
        long stop = IndexRange.last(stopIndex, size);
        if (IndexRange.isEmpty(start, stop, size)) {
            return Status.OK;
        }
        long n = stop - start + 1;
        long first = reverse ? size - 1 - stop : start;
        long[] offsets = new long[(int) n];
        long at = Pack.entryAt(page, root.valueOffset, ARITY, first);
        for (int i = 0; i < n; i++) {
            offsets[i] = at;
            at = Pack.nextEntry(page, at, ARITY);
        }
        for (int i = 0; i < n; i++) {
            long e = offsets[reverse ? (int) n - 1 - i : i];
            long s = Pack.next(page, e);
            sink.accept(page, Pack.data(page, e), Pack.length(page, e), page, Pack.data(page, s), 8);
        }
        count.value = n;
        return Status.OK;
    }
}
