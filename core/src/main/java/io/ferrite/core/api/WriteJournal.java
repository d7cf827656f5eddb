package io.ferrite.core.api;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The log a store's changes are journaled to (its append-only file, when one is attached), as
 * a door that writes through the engine's API rather than through commands sees it. Such a
 * door brackets each write with {@link #beginWrite} and {@link #endWrite} on the writing
 * thread, inside the store's write gate; {@link io.ferrite.core.FerriteStore#write} does all
 * of that, and is the way to use this.
 */
public interface WriteJournal {
    /** Opens this thread's scope for one write. */
    void beginWrite();

    /**
     * Closes this thread's scope. When the write changed a key in a way the journal does not
     * log by itself (a deletion it does), {@code loggedForm} is asked for the RESP command that
     * replays the change in database {@code db}.
     *
     * @return done once what the write logged is as durable as the fsync policy promises: at
     *         once unless the policy is {@code always}
     */
    CompletableFuture<Void> endWrite(int db, Supplier<byte[]> loggedForm);

    /** Why the journal cannot be written (writes are then refused, as Redis's MISCONF), or null. */
    String failure();
}
