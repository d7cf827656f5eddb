package io.ferrite.core.shard;

import static io.ferrite.core.log.RecordLayout.*;

import io.ferrite.core.address.LogicalAddress;
import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.KeyVisitor;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.index.HashIndex;
import io.ferrite.core.index.KeyHash;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.log.RecordLayout;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks of one index bucket's chains under the shard's lock: the keys SCAN visits, and the
 * expired keys active expiry deletes. A chain holds every version of its keys, newest first,
 * so the first record of a key met in a walk decides whether the key is live.
 */
public final class BucketScans {
    private final Shard shard;
    private final HybridLog log;

    BucketScans(Shard shard) {
        this.shard = shard;
        this.log = shard.log();
    }

    /** Receives a live key's newest record during a scan: its kind and where its value lies in {@code page} (views valid during the call only). */
    @FunctionalInterface
    public interface RecordVisitor {
        void visit(MemorySegment key, int kind, MemorySegment page, long valueOffset, long valueLength);
    }

    /**
     * Visits the live keys of virtual bucket {@code cursor & mask} of {@code db} (the newest
     * record of each, {@link NewestRecords}). Cold records are read like any other.
     *
     * @return the mask of the index when the bucket was visited (for the cursor arithmetic)
     */
    public long scanBucket(int db, long cursor, ValueType type, KeyVisitor visitor, long now) {
        return scanBucketRecords(db, cursor, type, (key, kind, page, valueOffset, valueLength) ->
                visitor.visit(key, RecordKind.typeOf(kind)), now);
    }

    /** {@link #scanBucket}, handing over each key's record: a door can read the value in the walk that found the key. */
    public long scanBucketRecords(int db, long cursor, ValueType type, RecordVisitor visitor, long now) {
        HashIndex index = shard.index(db);
        long mask = index.mask();
        long bucket = cursor & mask;
        long begin = log.beginAddress();
        List<Found> live = new ArrayList<>();
        Shape value = new Shape();
        NewestRecords.walk(log, index, bucket, begin, hash -> (hash & mask) == bucket, new Shape(), new ArrayList<>(),
                (address, page, record, header, key) -> {
                    int kind = RecordLayout.kind(header);
                    if (shard.isLive(page, record, header, now) && (type == null || RecordKind.typeOf(kind) == type)) {
                        value.parse(page, record, header);
                        live.add(new Found(key, kind, page, value.valueOffset, value.valueLength));
                    }
                });
        // Visited only once the whole walk succeeded: a walk that needs a cold block throws
        // before, and its retry then visits no key twice. The pages stay put meanwhile: the
        // shard's lock keeps writers out and the epoch keeps them in memory.
        for (Found found : live) {
            visitor.visit(found.key, found.kind, found.page, found.valueOffset, found.valueLength);
        }
        return mask;
    }

    private record Found(MemorySegment key, int kind, MemorySegment page, long valueOffset, long valueLength) {}

    /**
     * Deletes the expired keys of one bucket of {@code db} (active expiry). Only records in
     * memory are looked at: sweeping the cold region would read it from disk; expired cold
     * records stay invisible to readers and compaction reclaims them.
     *
     * @return {@code sampled << 32 | expired}
     */
    public long expireBucket(int db, long bucket, long now) {
        HashIndex index = shard.index(db);
        long low = Math.max(log.beginAddress(), log.headAddress());
        long mask = index.mask();
        long[] counts = new long[2];
        Shape s = new Shape();
        index.forEachChain(bucket & mask, head -> {
            for (long a = head; a >= low && a != LogicalAddress.NULL; ) {
                MemorySegment page = log.page(a);
                long record = log.offsetInPage(a, page);
                long header = header(page, record);
                if (!isSuperseded(header) && !isTombstone(header) && hasExpirySlot(header)) {
                    long expireAt = expireAt(page, record, header);
                    if (expireAt != 0) {
                        counts[0]++;
                        if (expireAt <= now) {
                            s.parse(page, record, header);
                            MemorySegment key = page.asSlice(s.keyOffset, s.keyLength);
                            if (shard.findRecord(db, KeyHash.hash(key), key) == a
                                    && shard.kill(db, a, ChangeKind.EXPIRED, key) == Status.OK) {
                                counts[1]++;
                            }
                        }
                    }
                }
                a = RecordLayout.prev(header);
            }
        });
        return counts[0] << 32 | counts[1];
    }
}
