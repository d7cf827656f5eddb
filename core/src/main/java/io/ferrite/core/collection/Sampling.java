package io.ferrite.core.collection;

import io.ferrite.core.api.Status;
import io.ferrite.core.engine.KeyContext;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.shard.RecordView;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Random elements of a collection, as HRANDFIELD and SRANDMEMBER hand them out: one element,
 * {@code |count|} picks with repetition, or {@code count} distinct elements, each uniformly
 * chosen. Distinct draws sample in one pass over the collection when they want a third of it
 * or more (Knuth's selection sampling), otherwise draw at random and skip repeats.
 */
final class Sampling {
    private Sampling() {}

    /** One uniformly chosen element of a non-empty collection. */
    static void one(Workspace w, KeyContext k, RecordView root, int arity, RandomGenerator random,
                    ChunkedTable.ElementVisitor visitor) {
        if (RecordKind.isTable(root.kind)) {
            Elements.table(w.table, k, root).random(random, visitor);
        } else {
            Elements.atIndex(w, root, random.nextLong(Elements.size(root)), visitor);
        }
    }

    /**
     * {@code count > 0}: that many distinct elements (every one, in storage order, when it
     * covers the collection); {@code count < 0}: {@code -count} picks with repetition.
     */
    static Status sample(Workspace w, KeyContext k, RecordView root, int arity, long count,
                         ChunkedTable.ElementVisitor visitor) {
        RandomGenerator random = ThreadLocalRandom.current();
        long size = Elements.size(root);
        if (count == 0 || size == 0) {
            return Status.OK;
        }
        if (count < 0) {
            for (long i = 0; i < -count; i++) {
                one(w, k, root, arity, random, visitor);
            }
            return Status.OK;
        }
        if (count >= size) {
            Elements.forEach(w, k, root, visitor);
            return Status.OK;
        }
        if (count * 3 > size) {
            long[] left = {count, size};
            Elements.forEach(w, k, root, (page, a, al, b, bl) -> {
                if (random.nextLong(left[1]) < left[0]) {
                    left[0]--;
                    visitor.element(page, a, al, b, bl);
                }
                left[1]--;
            });
            return Status.OK;
        }
        LongSet taken = new LongSet((int) count);
        if (RecordKind.isTable(root.kind)) {
            ChunkedTable table = Elements.table(w.table, k, root);
            for (long n = 0; n < count; ) {
                long position = table.random(random, (page, a, al, b, bl) -> {});
                if (taken.add(position)) {
                    table.at(position, visitor);
                    n++;
                }
            }
        } else {
            for (long n = 0; n < count; ) {
                long index = random.nextLong(size);
                if (taken.add(index)) {
                    Elements.atIndex(w, root, index, visitor);
                    n++;
                }
            }
        }
        return Status.OK;
    }
}
