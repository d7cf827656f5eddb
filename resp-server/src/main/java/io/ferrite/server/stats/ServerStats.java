package io.ferrite.server.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide counters that INFO reports under the names Redis uses. LongAdders, because
 * every event loop bumps them on every command.
 */
public final class ServerStats {
    public final LongAdder connectionsReceived = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder commandsProcessed = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder keyspaceHits = new LongAdder();
    public final LongAdder keyspaceMisses = new LongAdder();
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder evictedKeys = new LongAdder();
    public final LongAdder errorReplies = new LongAdder();
    public final LongAdder totalErrorReplies = new LongAdder();
    public final LongAdder clientsKilledByOutputBuffer = new LongAdder();
    /** Commands re-run after waiting for a cold block read off the event loop. */
    public final LongAdder diskReadWaits = new LongAdder();
    /** Writes postponed because memory was above maxmemory while the page mover caught up. */
    public final LongAdder memoryWaits = new LongAdder();
    public final InstantaneousMetric opsPerSecond = new InstantaneousMetric();
    public final InstantaneousMetric inputBytesPerSecond = new InstantaneousMetric();
    public final InstantaneousMetric outputBytesPerSecond = new InstantaneousMetric();

    /** Takes one sample of the instantaneous metrics (every 100 ms). */
    public void sample() {
        long now = System.nanoTime();
        opsPerSecond.sample(commandsProcessed.sum(), now);
        inputBytesPerSecond.sample(netInputBytes.sum(), now);
        outputBytesPerSecond.sample(netOutputBytes.sum(), now);
    }

    /** CONFIG RESETSTAT. */
    public void reset() {
        for (LongAdder adder : new LongAdder[] {connectionsReceived, rejectedConnections, commandsProcessed,
                netInputBytes, netOutputBytes, keyspaceHits, keyspaceMisses, expiredKeys, evictedKeys,
                errorReplies, totalErrorReplies, clientsKilledByOutputBuffer, diskReadWaits, memoryWaits}) {
            adder.reset();
        }
    }
}
