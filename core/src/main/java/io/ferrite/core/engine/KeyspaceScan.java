package io.ferrite.core.engine;

import io.ferrite.core.api.DiskReadPending;
import io.ferrite.core.api.KeyVisitor;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.shard.BucketScans;
import io.ferrite.core.shard.Shard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * SCAN over a database of every shard. The cursor is {@code (bucket cursor << 8) | shard}; the
 * bucket cursor advances in reverse-binary order (Redis's {@code dictScan}) over the shard
 * index's virtual power-of-two table, so every key present for the whole scan is visited at
 * least once, also while the index grows.
 */
final class KeyspaceScan {
    private static final int SHARD_BITS = 8;

    private final Engine engine;

    KeyspaceScan(Engine engine) {
        this.engine = engine;
    }

    /**
     * One step: visits the live keys of at least {@code count} buckets' worth (or until the
     * end), optionally only of {@code type}; returns the next cursor, 0 when complete. Buckets
     * whose chains need cold blocks are skipped and their reads started; the step then asks to
     * be retried once, when all of them are in (not once per block).
     */
    long step(int db, long cursor, long count, ValueType type, KeyVisitor visitor) {
        return step(db, cursor, count, type, (key, kind, page, valueOffset, valueLength) -> visitor.visit(key, RecordKind.typeOf(kind)));
    }

    /** {@link #step}, handing over each key's record ({@link BucketScans#scanBucketRecords}). */
    long step(int db, long cursor, long count, ValueType type, BucketScans.RecordVisitor visitor) {
        engine.checkDb(db);
        Shard[] shards = engine.shards();
        int shardId = (int) (cursor & ((1 << SHARD_BITS) - 1));
        long bucketCursor = cursor >>> SHARD_BITS;
        if (shardId >= shards.length) {
            return 0;
        }
        long[] visited = {0};
        BucketScans.RecordVisitor counting = (key, kind, page, valueOffset, valueLength) -> {
            visited[0]++;
            visitor.visit(key, kind, page, valueOffset, valueLength);
        };
        long steps = 0;
        List<CompletableFuture<?>> reads = new ArrayList<>();
        while (true) {
            Shard shard = shards[shardId];
            long bucket = bucketCursor;
            long mask;
            try {
                mask = engine.locked(engine.shardSet().add(shard), now -> shard.scans().scanBucketRecords(db, bucket, type, counting, now));
            } catch (DiskReadPending pending) {
                reads.add(pending.ready());
                mask = shard.mask(db);
                // Count the bucket's likely keys as visited, so the step does not run far
                // ahead (and read far ahead) of where its retry will stop.
                visited[0] += Math.max(1, shard.keyCount(db) / Math.max(1, shard.buckets(db)));
            }
            bucketCursor = next(bucketCursor, mask);
            if (bucketCursor == 0) {
                shardId++;
                if (shardId >= shards.length) {
                    return result(0, reads);
                }
            }
            steps++;
            if (visited[0] >= count || steps >= count * 10) {
                return result((bucketCursor << SHARD_BITS) | shardId, reads);
            }
        }
    }

    /** Reverse-binary increment of {@code cursor} over a table of {@code mask + 1} buckets. */
    static long next(long cursor, long mask) {
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }

    private static long result(long cursor, List<CompletableFuture<?>> reads) {
        if (!reads.isEmpty()) {
            throw new DiskReadPending(CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])));
        }
        return cursor;
    }
}
