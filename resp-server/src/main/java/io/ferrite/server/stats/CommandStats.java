package io.ferrite.server.stats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-command calls, time and failures: INFO commandstats. Each command's {@link Entry} is
 * created with its spec, so dispatch bumps counters without a map lookup.
 */
public final class CommandStats {
    /** Counters of one command, keyed by its full name ("get", "client|list"). */
    public static final class Entry {
        public final LongAdder calls = new LongAdder();
        public final LongAdder micros = new LongAdder();
        public final LongAdder rejectedCalls = new LongAdder();
        public final LongAdder failedCalls = new LongAdder();

        void reset() {
            calls.reset();
            micros.reset();
            rejectedCalls.reset();
            failedCalls.reset();
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** Registers the entry a command spec owns. */
    public void register(String fullName, Entry entry) {
        entries.put(fullName, entry);
    }

    public Entry entry(String fullName) {
        return entries.computeIfAbsent(fullName, n -> new Entry());
    }

    /** The commands that were called (as Redis lists them), by full name. */
    public Map<String, Entry> all() {
        Map<String, Entry> called = new LinkedHashMap<>();
        entries.forEach((name, entry) -> {
            if (entry.calls.sum() > 0 || entry.rejectedCalls.sum() > 0) {
                called.put(name, entry);
            }
        });
        return called;
    }

    public void reset() {
        entries.values().forEach(Entry::reset);
    }
}
