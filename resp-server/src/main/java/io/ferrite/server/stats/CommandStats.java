package io.ferrite.server.stats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Per-command calls, time and failures: INFO commandstats. */
public final class CommandStats {
    /** Counters of one command, keyed by its full name ("get", "client|list"). */
    public static final class Entry {
        public final LongAdder calls = new LongAdder();
        public final LongAdder micros = new LongAdder();
        public final LongAdder rejectedCalls = new LongAdder();
        public final LongAdder failedCalls = new LongAdder();
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public Entry entry(String fullName) {
        return entries.computeIfAbsent(fullName, n -> new Entry());
    }

    public Map<String, Entry> all() {
        return entries;
    }

    public void reset() {
        entries.clear();
    }
}
