package io.ferrite.core.shard;

import static io.ferrite.core.log.RecordLayout.*;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.Status;
import io.ferrite.core.index.KeyHash;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.log.RecordLayout;
import java.lang.foreign.MemorySegment;

/**
 * Lookup compaction of one shard's log (FASTER's): walk the oldest page, in whatever tier, copy
 * every record the index still finds there to the tail, then move the log's begin past the
 * page. Dead records (superseded, deleted, expired, flushed, parts of dropped collections) are
 * simply not copied. Runs under
 * the shard's lock; a step that meets a cold block not at hand throws
 * {@link io.ferrite.core.api.DiskReadPending} and is run again by the engine, which is safe:
 * a record copied by the first attempt is no longer found at its old address by the second.
 */
public final class Compactor {
    private final Shard shard;
    private final HybridLog log;
    private final Shape shape = new Shape();
    private boolean compacting;

    Compactor(Shard shard) {
        this.shard = shard;
        this.log = shard.log();
    }

    /** True while a compaction step runs (its copies may overdraw an in-memory budget briefly). */
    boolean compacting() {
        return compacting;
    }

    /**
     * Copies the live records of the oldest pages to the tail and frees those pages.
     *
     * @param maxPages     how many pages to compact at most
     * @param minDeadRatio stop once dead bytes are below this fraction of the log
     * @return bytes reclaimed
     */
    public long compact(int maxPages, double minDeadRatio, long now) {
        return compact(maxPages, minDeadRatio, now, Long.MAX_VALUE);
    }

    /** As {@link #compact(int, double, long)}, never passing {@code stopAt}. */
    public long compact(int maxPages, double minDeadRatio, long now, long stopAt) {
        if (compacting) {
            return 0;
        }
        compacting = true;
        try {
            return compactPages(maxPages, minDeadRatio, now, stopAt);
        } finally {
            compacting = false;
        }
    }

    private long compactPages(int maxPages, double minDeadRatio, long now, long stopAt) {
        long reclaimed = 0;
        for (int pages = 0; pages < maxPages; pages++) {
            long begin = log.beginAddress();
            long tail = log.tailAddress();
            if (begin >= stopAt || begin >= tail || log.nextPageStart(begin) > tail || log.nextPageStart(begin) == log.nextPageStart(tail - 1)) {
                break; // never compact the page being appended to
            }
            if (log.nextPageStart(begin) > log.compactionFloor()) {
                break; // a checkpoint is still copying this page, or its frozen records are being read
            }
            long dead = shard.deadBytes();
            if (dead == 0 || dead <= log.logBytes() * minDeadRatio) {
                break;
            }
            long end = log.pageEnd(begin);
            long next = log.nextPageStart(begin);
            for (long address = begin; address < end; ) {
                MemorySegment page = log.page(address);
                long record = log.offsetInPage(address, page);
                long header = header(page, record);
                shape.parse(page, record, header);
                long size = allocatedSize(page, record, header, shape);
                if (!isSuperseded(header) && !isTombstone(header) && !keep(page, record, header, address, size, now)) {
                    return reclaimed; // out of memory even for compaction: give up
                }
                address += size;
                reclaimed += size;
            }
            log.truncateTo(next);
        }
        return reclaimed;
    }

    /**
     * Copies the record at {@code address} forward when it is still its key's live version;
     * a record found expired is forgotten instead (the page goes, and every older version of
     * the key with it: no tombstone needed). False when memory ran out for the copy.
     */
    private boolean keep(MemorySegment page, long record, long header, long address, long size, long now) {
        if (RecordKind.isPart(RecordLayout.kind(header))) {
            // A chunk of a dead collection (or a marker of one) is simply not copied.
            return !shard.parts().keeps(address, page, header, shape) || shard.parts().relocate(address) == Status.OK;
        }
        int db = RecordLayout.db(header);
        MemorySegment key = page.asSlice(shape.keyOffset, shape.keyLength);
        long hash = KeyHash.hash(page, shape.keyOffset, shape.keyLength);
        if (shard.findRecord(db, hash, key) != address) {
            return true;
        }
        long expireAt = expireAt(page, record, header);
        if (expireAt != 0 && expireAt <= now) {
            shard.forget(db, page, record, header, size, shape.valueOffset, ChangeKind.EXPIRED, key, true);
            return true;
        }
        return shard.copyFrom(shard, address, db, key, hash, expireAt, db, now) == Status.OK;
    }
}
