package io.ferrite.core.api;

import java.util.function.Supplier;

/**
 * Whether the calling thread may wait for disk reads. By default every thread may: an
 * operation that needs a cold record reads it synchronously (JCache and SQL callers, the
 * engine's background threads). Network event loops call {@link #failFastOnThisThread()} once;
 * on those threads such an operation throws {@link DiskReadPending} instead, having changed
 * nothing, and the caller retries it when the read completes.
 *
 * <p>Either way no caller holds a shard's lock while it waits: the engine runs every locked
 * step fail-fast, and a caller that may block waits for the read with its locks released, then
 * runs the step again.
 */
public final class DiskReads {
    /** One object per thread for both settings: the hot path pays one thread-local lookup. */
    private static final class Mode {
        boolean failFast;
        /** Set by {@link #blockingEvenUnderLocks}: lock holders wait for disk reads too. */
        boolean waitUnderLocks;
        ReadRetention retention;
    }

    private static final ThreadLocal<Mode> MODE = ThreadLocal.withInitial(Mode::new);

    private DiskReads() {}

    /** From now on, operations on this thread throw {@link DiskReadPending} instead of waiting. */
    public static void failFastOnThisThread() {
        MODE.get().failFast = true;
    }

    /**
     * Sets whether this thread is fail-fast and returns the previous setting, for code that
     * switches the mode around one call and restores it in a {@code finally}.
     */
    public static boolean failFast(boolean value) {
        Mode mode = MODE.get();
        boolean before = mode.failFast;
        mode.failFast = value;
        return before;
    }

    /** Runs {@code action} with waiting allowed, whatever this thread's setting. */
    public static <T> T blocking(Supplier<T> action) {
        boolean before = failFast(false);
        try {
            return action.get();
        } finally {
            failFast(before);
        }
    }

    /**
     * Runs {@code action} allowing disk waits even while it holds shard locks: the last resort
     * for a command that needs more cold data at once than a {@link ReadRetention} keeps, which
     * could otherwise never finish. It then holds its locks across disk reads, as Redis's single
     * thread serves an HGETALL of millions of fields; nothing else does.
     */
    public static <T> T blockingEvenUnderLocks(Supplier<T> action) {
        Mode mode = MODE.get();
        boolean before = mode.failFast;
        boolean beforeUnder = mode.waitUnderLocks;
        mode.failFast = false;
        mode.waitUnderLocks = true;
        try {
            return action.get();
        } finally {
            mode.failFast = before;
            mode.waitUnderLocks = beforeUnder;
        }
    }

    /**
     * For the engine's shard locks, when a thread takes its first hold of one: makes the thread
     * fail-fast (a lock is never held across a disk wait) and returns the setting to restore
     * with {@link #lockReleased} when that hold ends.
     */
    public static boolean lockTaken() {
        Mode mode = MODE.get();
        boolean before = mode.failFast;
        if (!mode.waitUnderLocks) {
            mode.failFast = true;
        }
        return before;
    }

    /** For the engine's shard locks: restores what {@link #lockTaken} returned. */
    public static void lockReleased(boolean failFastBefore) {
        MODE.get().failFast = failFastBefore;
    }

    /** Blocks read for the command now running on this thread go to {@code retention} (null: none). */
    public static void retainInto(ReadRetention retention) {
        MODE.get().retention = retention;
    }

    /** Where this thread's command keeps the blocks read for it, or null. */
    public static ReadRetention retention() {
        return MODE.get().retention;
    }

    /** True when the calling thread may wait for a disk read. */
    public static boolean mayBlock() {
        return !MODE.get().failFast;
    }
}
