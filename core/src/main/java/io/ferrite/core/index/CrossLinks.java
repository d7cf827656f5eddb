package io.ferrite.core.index;

import io.ferrite.core.address.LogicalAddress;
import java.util.Arrays;

/**
 * Per bucket of a {@link HashIndex}, the highest address of a record of the bucket that a
 * record of another bucket links to. Such links come only from splits, which leave a chain
 * passing through its sibling's records; within a bucket, a record that heads its tag's chain
 * is the {@code prev} of no record. So the head of a chain that is not linked across can be
 * taken out of the chain by its newer version, after which nothing leads to it (what the
 * reuse of superseded chunks needs).
 */
final class CrossLinks {
    private long[] marks;

    CrossLinks(long buckets) {
        marks = new long[(int) Math.max(16, buckets)];
    }

    /** Marks read back from a checkpoint. */
    static CrossLinks of(long[] marks) {
        CrossLinks links = new CrossLinks(16);
        links.marks = marks.clone();
        return links;
    }

    /** A copy of the marks, for a checkpoint. */
    long[] marks() {
        return marks.clone();
    }

    /** True when a record of another bucket may link to the record of {@code bucket} at {@code address}. */
    boolean linkedAcross(long bucket, long address) {
        return bucket >= marks.length || marks[(int) bucket] >= address;
    }

    /**
     * Before bucket {@code lower} is split into itself and {@code upper}: raises the marks of
     * every in-memory record that a record of another bucket (counted with the new bucket
     * count) links to, along the chain from {@code head}. The upper half inherits the lower's
     * mark, as its records come from there.
     */
    void beforeSplit(long head, long lower, long upper, HashIndex.ChainReader reader, long begin) {
        if (upper >= marks.length) {
            marks = Arrays.copyOf(marks, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(upper + 1, marks.length * 2L)));
        }
        marks[(int) upper] = Math.max(marks[(int) upper], marks[(int) lower]);
        if (!reader.inMemory(head)) {
            return;
        }
        long from = HashIndex.bucketOf(reader.keyHash(head), upper + 1);
        for (long a = reader.prev(head); a >= begin && a != LogicalAddress.NULL && reader.inMemory(a); a = reader.prev(a)) {
            long bucket = HashIndex.bucketOf(reader.keyHash(a), upper + 1);
            if (bucket != from && bucket < marks.length) {
                marks[(int) bucket] = Math.max(marks[(int) bucket], a);
            }
            from = bucket;
        }
    }

    /** Heap bytes of the marks. */
    long bytes() {
        return 8L * marks.length;
    }
}
