package io.ferrite.core.api;

/**
 * Whether the calling thread may wait for disk reads. By default every thread may: an
 * operation that needs a cold record reads it synchronously (JCache and SQL callers, the
 * engine's background threads). Network event loops call {@link #failFastOnThisThread()} once;
 * on those threads such an operation throws {@link DiskReadPending} instead, having changed
 * nothing, and the caller retries it when the read completes.
 */
public final class DiskReads {
    private static final ThreadLocal<Boolean> FAIL_FAST = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private DiskReads() {}

    /** From now on, operations on this thread throw {@link DiskReadPending} instead of waiting. */
    public static void failFastOnThisThread() {
        FAIL_FAST.set(Boolean.TRUE);
    }

    /** Runs {@code action} with waiting allowed, whatever this thread's setting. */
    public static <T> T blocking(java.util.function.Supplier<T> action) {
        Boolean before = FAIL_FAST.get();
        FAIL_FAST.set(Boolean.FALSE);
        try {
            return action.get();
        } finally {
            FAIL_FAST.set(before);
        }
    }

    private static final ThreadLocal<ReadRetention> RETENTION = new ThreadLocal<>();

    /** Blocks read for the command now running on this thread go to {@code retention} (null: none). */
    public static void retainInto(ReadRetention retention) {
        RETENTION.set(retention);
    }

    /** Where this thread's command keeps the blocks read for it, or null. */
    public static ReadRetention retention() {
        return RETENTION.get();
    }

    /** True when the calling thread may wait for a disk read. */
    public static boolean mayBlock() {
        return !FAIL_FAST.get();
    }
}
