package io.ferrite.core.epoch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Epoch protection in the style of FASTER's {@code LightEpoch}: readers <em>protect</em> the
 * current epoch while they hold addresses into log pages, and whoever retires a page
 * {@linkplain #bumpCurrentEpoch(Runnable) bumps} the epoch with a drain action that frees it.
 * The action runs only once every thread that could still see the page has unprotected.
 *
 * <p>Unlike FASTER, a slot is leased per {@link #protect()} call instead of per thread: any
 * thread (Netty event loops, JCache callers, virtual threads) may protect without
 * registering, as long as at most {@link #MAX_CONCURRENT} protections are open at once.
 *
 * <p>Invariant: a drain action registered at epoch {@code e} runs only after every slot holds
 * either 0 (free) or an epoch greater than {@code e}. Slots are published with a volatile
 * store after a CAS, so a protector either sees the bumped epoch or is seen by the drainer.
 */
public final class LightEpoch {
    /** How many protections may be open at the same time across all threads. */
    public static final int MAX_CONCURRENT = 512;

    // One slot per 64-byte cache line, so protectors on different cores never share a line.
    private static final int PAD = 8;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots = new long[MAX_CONCURRENT * PAD];
    private final AtomicLong currentEpoch = new AtomicLong(1);
    /** Count of pending drain actions; read on every unprotect, so kept separate and cheap. */
    private final AtomicLong pendingDrains = new AtomicLong();
    private final ReentrantLock drainLock = new ReentrantLock();
    private final List<PendingAction> drainList = new ArrayList<>();

    private record PendingAction(long epoch, Runnable action) {}

    /**
     * Protects the current epoch. Every log address obtained after this call stays readable
     * until {@link #unprotect(int)} is called with the returned slot.
     *
     * @return the slot to pass to {@link #unprotect(int)}
     * @throws IllegalStateException if more than {@link #MAX_CONCURRENT} protections are open
     */
    public int protect() {
        int start = (int) (Thread.currentThread().threadId() * 0x9E3779B9L) & (MAX_CONCURRENT - 1);
        for (int attempt = 0; attempt < MAX_CONCURRENT * 4; attempt++) {
            int slot = (start + attempt) & (MAX_CONCURRENT - 1);
            int i = slot * PAD;
            if ((long) SLOTS.getOpaque(slots, i) == 0 && SLOTS.compareAndSet(slots, i, 0L, currentEpoch.get())) {
                // Re-read after publishing: if the epoch moved between our read and the CAS,
                // record the newer one so we never hold back a drain for an epoch we never saw.
                long now = currentEpoch.get();
                SLOTS.setVolatile(slots, i, now);
                return slot;
            }
            if ((attempt & 63) == 63) {
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException("more than " + MAX_CONCURRENT + " concurrent epoch protections are open");
    }

    /** Ends a protection begun by {@link #protect()}; runs drain actions that became safe. */
    public void unprotect(int slot) {
        long held = (long) SLOTS.getOpaque(slots, slot * PAD);
        // Release, not volatile: every read of protected memory stays before the store, which is
        // all a drainer needs; one that misses it for a moment only frees a page a little later.
        SLOTS.setRelease(slots, slot * PAD, 0L);
        // Only a protection older than the current epoch can have held back a pending action
        // (an action waits for the epoch before its bump). Protections that began after the
        // last bump skip the drain and its scan of every slot, which would otherwise run on
        // every operation while pages keep moving.
        if (pendingDrains.get() > 0 && held < currentEpoch.get()) {
            tryDrain();
        }
    }

    /** The current epoch number. */
    public long currentEpoch() {
        return currentEpoch.get();
    }

    /**
     * Advances the epoch and schedules {@code action} to run once no protected thread can
     * still observe state from before this call. The action may run on this thread or on
     * whichever thread next unprotects; it must be short and must not protect.
     */
    public void bumpCurrentEpoch(Runnable action) {
        long prior = currentEpoch.getAndIncrement();
        drainLock.lock();
        try {
            drainList.add(new PendingAction(prior, action));
            pendingDrains.incrementAndGet();
        } finally {
            drainLock.unlock();
        }
        tryDrain();
    }

    /** Runs every pending drain action that is safe now. */
    public void tryDrain() {
        if (!drainLock.tryLock()) {
            return; // someone else is draining; they will see our actions too
        }
        List<Runnable> ready = null;
        try {
            long safe = safeToReclaimEpoch();
            for (int i = drainList.size() - 1; i >= 0; i--) {
                PendingAction pending = drainList.get(i);
                if (pending.epoch() <= safe) {
                    if (ready == null) {
                        ready = new ArrayList<>();
                    }
                    ready.add(pending.action());
                    drainList.remove(i);
                    pendingDrains.decrementAndGet();
                }
            }
        } finally {
            drainLock.unlock();
        }
        if (ready != null) {
            for (int i = ready.size() - 1; i >= 0; i--) {
                ready.get(i).run();
            }
        }
    }

    /**
     * Blocks (spinning, then yielding) until every drain action registered so far has run.
     * For shutdown and tests; never call it while holding a protection.
     */
    public void drainAll() {
        while (pendingDrains.get() > 0) {
            tryDrain();
            Thread.yield();
        }
    }

    /** Number of drain actions waiting for readers to move on. */
    public long pendingDrainCount() {
        return pendingDrains.get();
    }

    /** The newest epoch that no protected thread can still be in. */
    private long safeToReclaimEpoch() {
        long oldest = currentEpoch.get();
        for (int i = 0; i < slots.length; i += PAD) {
            long e = (long) SLOTS.getVolatile(slots, i);
            if (e != 0 && e < oldest) {
                oldest = e;
            }
        }
        return oldest - 1;
    }
}
