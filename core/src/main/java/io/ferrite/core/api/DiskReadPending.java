package io.ferrite.core.api;

import java.util.concurrent.CompletableFuture;

/**
 * Thrown to a caller that must not block (see {@link DiskReads#failFastOnThisThread()}) when
 * an operation needs a record that is only on disk. Nothing was changed: the read has been
 * started, and the caller runs the same operation again once {@link #ready()} completes
 * (normally or not; a failed read is then reported by the retry itself). Carries no stack
 * trace: it is an expected event, not an error.
 */
public final class DiskReadPending extends RuntimeException {
    private final transient CompletableFuture<?> ready;

    public DiskReadPending(CompletableFuture<?> ready) {
        super("record is on disk; retry when the read completes", null, false, false);
        this.ready = ready;
    }

    /** Completes when the block the operation needs has been read (or the read failed). */
    public CompletableFuture<?> ready() {
        return ready;
    }
}
