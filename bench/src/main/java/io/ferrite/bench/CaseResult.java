package io.ferrite.bench;

import java.util.List;
import java.util.Map;

/**
 * What one {@link LoadCase} measured. A case that failed (its server did not start, SETs of
 * the load were refused, a GET returned something other than the key's value, a command got
 * an error reply) carries the reasons in {@code problems}, and whatever was measured before.
 *
 * @param spec            the case
 * @param serverCommand   the exact command the server ran as (empty if it was never started)
 * @param loadSeconds     time to load every key
 * @param gets            GETs measured (after the warm-up)
 * @param sets            SETs measured
 * @param measuredSeconds from the start of the measurement to the last measured reply
 * @param latency         per-command latency of the measured commands
 * @param rssKb           the server's VmRSS after the run
 * @param hwmKb           the server's VmHWM (peak RSS) after the run
 * @param diskBytes       bytes of the files in the server's data directory after the run
 * @param info            the INFO fields kept, in the server's order
 * @param problems        why the case failed; empty when it passed
 */
record CaseResult(LoadCase spec, List<String> serverCommand, double loadSeconds, long gets, long sets,
                  double measuredSeconds, double serverCpuSeconds, LatencyHistogram latency, long rssKb, long hwmKb, long diskBytes,
                  long compactedDiskBytes, double compactSeconds, Map<String, String> info, List<String> problems) {

    boolean failed() {
        return !problems.isEmpty();
    }

    /** Server CPU time (user + system, all threads) per measured operation, in microseconds. */
    double serverCpuMicrosPerOp() {
        long ops = gets + sets;
        return ops > 0 ? serverCpuSeconds * 1e6 / ops : 0;
    }

    double opsPerSecond() {
        return measuredSeconds > 0 ? (gets + sets) / measuredSeconds : 0;
    }
}
