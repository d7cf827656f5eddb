package io.ferrite.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The run phase's clock, shared by its load threads: the instant from which batches are
 * measured (warm-up batches before it are not), and the signal to stop, which the
 * orchestrator gives when the measurement time is over and a load thread gives early when its
 * connection fails.
 */
final class RunControl {
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile boolean stopped;

    /** Batches sent from now on are measured. */
    void startMeasuring() {
        measureFrom = System.nanoTime();
    }

    /** The {@link System#nanoTime()} measuring started at ({@code Long.MAX_VALUE} before). */
    long measureFrom() {
        return measureFrom;
    }

    void stop() {
        stopped = true;
        stop.countDown();
    }

    boolean stopped() {
        return stopped;
    }

    /** Sleeps {@code millis}, or less if stopped meanwhile; returns whether the run goes on. */
    boolean sleep(long millis) throws InterruptedException {
        return !stop.await(millis, TimeUnit.MILLISECONDS);
    }
}
