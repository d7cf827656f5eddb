package io.ferrite.server.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LATENCY: per-event samples above latency-monitor-threshold (ms), keeping the latest 160
 * per event like Redis, with the all-time maximum.
 */
public final class LatencyMonitor {
    /** One sample: when (unix seconds) and how long (ms). */
    public record Sample(long timestampSeconds, long millis) {}

    /** The history of one event. */
    public static final class Series {
        public final ArrayDeque<Sample> samples = new ArrayDeque<>();
        public long maxMillis;
    }

    private static final int HISTORY = 160;
    private final Map<String, Series> events = new LinkedHashMap<>();
    private volatile long thresholdMillis;

    public void thresholdMillis(long millis) {
        this.thresholdMillis = millis;
    }

    /** Records {@code millis} for {@code event} when monitoring is on and it passes the threshold. */
    public synchronized void record(String event, long millis) {
        long threshold = thresholdMillis;
        if (threshold <= 0 || millis < threshold) {
            return;
        }
        Series series = events.computeIfAbsent(event, e -> new Series());
        long now = System.currentTimeMillis() / 1000;
        Sample last = series.samples.peekLast();
        if (last != null && last.timestampSeconds() == now) {
            series.samples.pollLast();
            millis = Math.max(millis, last.millis());
        }
        series.samples.addLast(new Sample(now, millis));
        while (series.samples.size() > HISTORY) {
            series.samples.pollFirst();
        }
        series.maxMillis = Math.max(series.maxMillis, millis);
    }

    public synchronized Map<String, Series> snapshot() {
        return new LinkedHashMap<>(events);
    }

    public synchronized List<Sample> history(String event) {
        Series series = events.get(event);
        return series == null ? List.of() : new ArrayList<>(series.samples);
    }

    /** Resets the given events (all when empty); returns how many were reset. */
    public synchronized int reset(List<String> names) {
        if (names.isEmpty()) {
            int n = events.size();
            events.clear();
            return n;
        }
        int n = 0;
        for (String name : names) {
            if (events.remove(name) != null) {
                n++;
            }
        }
        return n;
    }
}
