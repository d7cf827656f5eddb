package io.ferrite.core.snapshot;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gate every write command passes, from every door, so that {@link PointInTimeImage}s can
 * be taken without fork: a door {@link #enter enters} before a write command runs and
 * {@link #exit exits} once it is done (its journal entry published). While images are being
 * taken, {@code enter} says so and the door {@link #imageBeforeWrite images} each key the
 * command will write before running it.
 *
 * <p>{@link #install} starts an image at a moment when no write command is half-way: a command
 * that began earlier could otherwise change a key after the image began without having imaged
 * it first. New commands wait (spinning; the barrier lasts as long as the commands in flight)
 * and in-flight ones finish. An image must never be installed from inside a write command.
 */
public final class WriteGate {
    private static final PointInTimeImage[] NONE = new PointInTimeImage[0];

    /** Whether this thread is inside a write command. */
    private static final class Scope {
        volatile boolean open;
    }

    private final List<Scope> scopes = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Scope> scope = ThreadLocal.withInitial(() -> {
        Scope created = new Scope();
        scopes.add(created);
        return created;
    });
    private volatile boolean barrier;
    private volatile PointInTimeImage[] images = NONE;

    /**
     * Enters the gate for one write command on this thread; true when images are being
     * taken: the door must then {@link #imageBeforeWrite} every key the command writes.
     */
    public boolean enter() {
        Scope current = scope.get();
        current.open = true;
        while (barrier) {
            current.open = false;
            while (barrier) {
                Thread.onSpinWait();
            }
            current.open = true;
        }
        return images.length != 0;
    }

    /** Leaves the gate: the write command of this thread is complete. */
    public void exit() {
        scope.get().open = false;
    }

    /**
     * Puts the key's image into every image being taken that lacks it; a cold key may make this
     * throw {@link io.ferrite.core.api.DiskReadPending} on a thread that must not wait for disk,
     * and the command is then run again once the read completes, images included.
     */
    public void imageBeforeWrite(int db, byte[] key) {
        for (PointInTimeImage image : images) {
            image.image(db, key);
        }
    }

    /**
     * Starts {@code image}: once no write command is half-way, runs {@code atBarrier} (the AOF
     * marks where its new base begins) and makes every later write image its keys first.
     */
    public synchronized void install(PointInTimeImage image, Runnable atBarrier) {
        atBarrier(() -> {
            atBarrier.run();
            PointInTimeImage[] now = java.util.Arrays.copyOf(images, images.length + 1);
            now[now.length - 1] = image;
            images = now;
        });
    }

    /**
     * Runs {@code action} at a moment when no write command is half-way (new ones wait until
     * it returns): where a checkpoint of the log is frozen. Never from inside a write command.
     */
    public synchronized void atBarrier(Runnable action) {
        barrier = true;
        try {
            for (Scope other : scopes) {
                while (other.open) {
                    Thread.onSpinWait();
                }
            }
            action.run();
        } finally {
            barrier = false;
        }
    }

    /** Ends {@code image}: writes no longer image their keys into it. */
    public synchronized void remove(PointInTimeImage image) {
        PointInTimeImage[] now = java.util.Arrays.stream(images).filter(i -> i != image).toArray(PointInTimeImage[]::new);
        images = now.length == 0 ? NONE : now;
    }
}
