package io.ferrite.core.engine;

import io.ferrite.core.api.DiskReadPending;
import io.ferrite.core.api.DiskReads;
import io.ferrite.core.api.ReadRetention;
import io.ferrite.core.api.StorageException;
import java.util.concurrent.ExecutionException;

/**
 * What {@link Engine}'s templates do after a locked step threw {@link DiskReadPending} and its
 * locks were released: a fail-fast caller (an event loop) gets the exception to retry later;
 * a caller that may block waits here for the read, outside every lock, and the step runs again.
 * From the first wait on, a {@link ReadRetention} is installed (unless the caller has one), so
 * blocks read for earlier attempts stay at hand for the later ones.
 */
final class DiskRetry {
    private final ReadRetention installed;
    private final ReadRetention previous;

    private DiskRetry(ReadRetention installed, ReadRetention previous) {
        this.installed = installed;
        this.previous = previous;
    }

    /**
     * Rethrows {@code pending} to a fail-fast caller; otherwise waits for its read and returns
     * the retry state to pass to the next call (and finally to {@link #finish}).
     */
    static DiskRetry await(DiskReadPending pending, DiskRetry retry) {
        if (!DiskReads.mayBlock()) {
            throw pending;
        }
        if (retry == null) {
            ReadRetention current = DiskReads.retention();
            retry = current != null ? new DiskRetry(null, current) : new DiskRetry(new ReadRetention(), null);
            if (retry.installed != null) {
                DiskReads.retainInto(retry.installed);
            }
        }
        try {
            pending.ready().get();
        } catch (ExecutionException e) {
            // The read failed: the next attempt reads again and reports the failure itself.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a disk read", e);
        }
        return retry;
    }

    /**
     * True when the step needs more cold blocks at once than the retention keeps: retried
     * fail-fast it might never finish, so the next attempt may wait for reads under its locks.
     */
    boolean needsWaitingUnderLocks() {
        ReadRetention r = installed != null ? installed : previous;
        return r != null && r.overflowed();
    }

    /** Removes the retention this retry installed (the step is over, however it ended). */
    static void finish(DiskRetry retry) {
        if (retry != null && retry.installed != null) {
            retry.installed.clear();
            DiskReads.retainInto(retry.previous);
        }
    }
}
