package io.ferrite.core.shard;

import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.index.HashIndex;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.log.RecordLayout.Shape;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One shard as a checkpoint froze it ({@link Shard.Image}), for reading while writes go on: its
 * keys with their root records, and its collections' parts through the frozen parts index. The
 * freeze made the log read-only up to its end, so what the frozen indexes lead to never changes;
 * it stays readable while the log's begin is held ({@link HybridLog#holdBegin}) and the image is
 * open. Nothing here writes: cold records are read, never copied back to memory.
 */
public final class FrozenShard implements AutoCloseable {
    private final Shard shard;
    private final HybridLog log;
    private final LightEpoch epoch;
    private final HashIndex[] indexes;
    private final HashIndex partIndex;
    private final PartStore parts;
    private final Shape shape = new Shape();
    private final RecordView view = new RecordView();

    /** Receives one key of the frozen shard and its root record (valid during the call only). */
    @FunctionalInterface
    public interface KeyVisitor {
        void key(MemorySegment key, RecordView root);
    }

    public FrozenShard(Shard shard, Shard.Image image, LightEpoch epoch) {
        this.shard = shard;
        this.log = shard.log();
        this.epoch = epoch;
        this.indexes = new HashIndex[image.indexes().length];
        for (int db = 0; db < indexes.length; db++) {
            indexes[db] = HashIndex.view(image.indexes()[db], epoch);
        }
        this.partIndex = HashIndex.view(image.parts(), epoch);
        this.parts = PartStore.frozen(shard, partIndex, epoch);
    }

    /** The frozen parts of the shard's table-encoded collections. */
    public PartStore parts() {
        return parts;
    }

    /**
     * Visits every key of {@code db} that was live at {@code now} (the freeze), once each,
     * primary bucket by primary bucket ({@link NewestRecords}), each under an epoch protection.
     * A bucket's chains hold its keys and those of its virtual buckets not split off yet.
     *
     * @return false when the visit stopped early: {@code cancelled} said so, or the log was
     *         emptied meanwhile (FLUSHALL)
     */
    public boolean forEachKey(int db, long now, java.util.function.BooleanSupplier cancelled, KeyVisitor visitor) {
        HashIndex index = indexes[db];
        long buckets = index.primaryBuckets();
        List<MemorySegment> seen = new ArrayList<>();
        for (long bucket = 0; bucket < buckets; bucket++) {
            int slot = epoch.protect();
            try {
                if (log.frozenBroken() || ((bucket & 255) == 0 && cancelled.getAsBoolean())) {
                    return false;
                }
                long b = bucket;
                NewestRecords.walk(log, index, b, log.beginAddress(), hash -> index.bucketOf(hash) == b, shape, seen,
                        (address, page, record, header, key) -> {
                            if (shard.isLive(page, record, header, now)) {
                                visitor.key(key, view.at(log, address));
                            }
                        });
            } finally {
                epoch.unprotect(slot);
            }
        }
        return !log.frozenBroken();
    }

    /** Drops the views (the image itself stays open: its owner closes it). */
    @Override
    public void close() {
        for (HashIndex index : indexes) {
            index.close();
        }
        partIndex.close();
    }
}
