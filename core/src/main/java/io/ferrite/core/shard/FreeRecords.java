package io.ferrite.core.shard;

import io.ferrite.core.address.LogicalAddress;
import io.ferrite.core.epoch.LightEpoch;
import java.util.Arrays;

/**
 * Superseded part records of the mutable region, kept so that a later part write of about
 * their size reuses one instead of appending to the tail (Garnet calls it revivification).
 * A chunk that grows past its record is copied, and without reuse every such copy leaves a
 * dead chunk behind until compaction: loading one large hash left 40% of its log dead, which
 * pushed live chunks out of the mutable region and made more of their updates copies.
 *
 * <p>Rules that keep reuse invisible to everyone else:
 * <ul>
 *   <li>Only a record its writer took out of its index chain is retired here (the new version
 *       links past it), so no chain leads to it any more.</li>
 *   <li>Lock-free readers may still hold its address: a retired record becomes reusable only
 *       after an epoch bump issued after its retirement has drained.</li>
 *   <li>It is reused only while it is still in the mutable region (checked under the shard's
 *       lock, as an in-place update is), and only by a record whose chain predecessor is at a
 *       lower address, so every chain stays ordered by address as the tiers and compaction
 *       assume.</li>
 *   <li>The reused record keeps the slot's allocated size, so sequential walks of the page
 *       stay aligned; the surplus is room to grow in place.</li>
 * </ul>
 * All methods but the drain action run under the shard's lock.
 */
final class FreeRecords {
    /** Slots are binned by allocated size in steps of this many bytes. */
    private static final int GRANULE = 64;
    private static final int BINS = 128; // slots up to 8 KiB
    /** Retired records gathered before one epoch bump makes them reusable. */
    private static final int BATCH = 64;
    /** Bins above the exact one a request may take from (at most this many granules wasted). */
    private static final int SPILL_BINS = 1;
    /** Most slots kept per bin; more are simply left dead for compaction. */
    private static final int BIN_LIMIT = 1 << 16;
    /** A pending entry is {@code bin << BIN_SHIFT | address}. */
    private static final int BIN_SHIFT = 48;
    private static final long ADDRESS_MASK = (1L << BIN_SHIFT) - 1;

    private final LightEpoch epoch;
    private final long[][] bins = new long[BINS][];
    private final int[] binSizes = new int[BINS];
    private long[] pending = new long[BATCH];
    private int pendingCount;
    /** Retired records waiting for the epoch; reusable once {@link #sealedSafe} is set. */
    private long[] sealed = new long[BATCH];
    private int sealedCount;
    private volatile boolean sealedSafe;
    /** The drain action of a sealed batch (one instance: a bump allocates nothing here). */
    private final Runnable markSealedSafe = () -> sealedSafe = true;
    private long reused;

    FreeRecords(LightEpoch epoch) {
        this.epoch = epoch;
        for (int i = 0; i < BINS; i++) {
            bins[i] = new long[16];
        }
    }

    /** Offers the record at {@code address}, of {@code size} allocated bytes, for reuse. */
    void retire(long address, long size) {
        long bin = size / GRANULE; // every slot in bin b has at least b * GRANULE bytes
        if (bin >= BINS) {
            return;
        }
        if (pendingCount == pending.length) {
            if (pendingCount >= BIN_LIMIT) {
                return; // the epoch is not moving: leave this one dead
            }
            pending = Arrays.copyOf(pending, pendingCount * 2);
        }
        pending[pendingCount++] = bin << BIN_SHIFT | address;
        if (pendingCount >= BATCH) {
            sealIfIdle();
        }
    }

    /**
     * A retired record of at least {@code size} bytes above {@code minAddress} and in the
     * mutable region (at or above {@code readOnly}), or NULL; the caller writes a record there.
     */
    long take(long size, long minAddress, long readOnly, SizeOf sizeOf) {
        collectSafe();
        int first = (int) (size / GRANULE); // may hold slots smaller than size: checked below
        for (int bin = first; bin <= first + SPILL_BINS && bin < BINS; bin++) {
            long[] slots = bins[bin];
            int n = binSizes[bin];
            // Drop slots the mutable region has left: the newest sit on top, so stale ones
            // are met only when a bin has not been used for a while.
            while (n > 0 && slots[n - 1] < readOnly) {
                n--;
            }
            binSizes[bin] = n;
            if (n > 0 && slots[n - 1] > minAddress && sizeOf.allocatedSize(slots[n - 1]) >= size) {
                binSizes[bin] = n - 1;
                reused++;
                return slots[n - 1];
            }
        }
        return LogicalAddress.NULL;
    }

    /** Reads a record's allocated size (the slot's own, from its header). */
    @FunctionalInterface
    interface SizeOf {
        long allocatedSize(long address);
    }

    /** Records reused so far. */
    long reused() {
        return reused;
    }

    private void collectSafe() {
        if (sealedSafe) {
            sealedSafe = false;
            for (int i = 0; i < sealedCount; i++) {
                add(sealed[i]);
            }
            sealedCount = 0;
            if (pendingCount >= BATCH / 4) {
                sealIfIdle();
            }
        }
    }

    private void sealIfIdle() {
        if (sealedCount > 0) {
            return; // one batch waits for the epoch at a time; retirements keep gathering
        }
        long[] swap = sealed;
        sealed = pending;
        sealedCount = pendingCount;
        pending = swap;
        pendingCount = 0;
        epoch.bumpCurrentEpoch(markSealedSafe);
    }

    private void add(long entry) {
        int bin = (int) (entry >>> BIN_SHIFT);
        long address = entry & ADDRESS_MASK;
        int n = binSizes[bin];
        if (n == BIN_LIMIT) {
            return;
        }
        if (n == bins[bin].length) {
            bins[bin] = Arrays.copyOf(bins[bin], n * 2);
        }
        bins[bin][n] = address;
        binSizes[bin] = n + 1;
    }
}
