package io.ferrite.server.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * SLOWLOG: the most recent commands that took longer than slowlog-log-slower-than, with the
 * same entry fields and argument trimming as Redis (at most 32 arguments, each at most 128
 * bytes, "... (N more arguments)" / "... (N more bytes)").
 */
public final class SlowLog {
    /** One slow command. */
    public record Entry(long id, long timestampSeconds, long micros, List<byte[]> args, String peer, String clientName) {}

    private static final int MAX_ARGS = 32;
    private static final int MAX_ARG_LENGTH = 128;

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;
    private volatile long thresholdMicros = 10_000;
    private volatile int maxLength = 128;

    public long thresholdMicros() {
        return thresholdMicros;
    }

    public void thresholdMicros(long micros) {
        this.thresholdMicros = micros;
    }

    public void maxLength(int maxLength) {
        this.maxLength = maxLength;
        synchronized (this) {
            while (entries.size() > Math.max(0, maxLength)) {
                entries.removeLast();
            }
        }
    }

    /** True when a command of {@code micros} must be logged (a negative threshold disables it). */
    public boolean isSlow(long micros) {
        long threshold = thresholdMicros;
        return threshold >= 0 && micros >= threshold;
    }

    public synchronized void add(long micros, List<byte[]> args, String peer, String clientName) {
        List<byte[]> trimmed = new ArrayList<>();
        int shown = Math.min(args.size(), MAX_ARGS);
        for (int i = 0; i < shown; i++) {
            if (shown < args.size() && i == shown - 1) {
                trimmed.add(("... (" + (args.size() - shown + 1) + " more arguments)").getBytes());
                break;
            }
            byte[] arg = args.get(i);
            if (arg.length > MAX_ARG_LENGTH) {
                byte[] cut = java.util.Arrays.copyOf(arg, MAX_ARG_LENGTH);
                String suffix = "... (" + (arg.length - MAX_ARG_LENGTH) + " more bytes)";
                byte[] withSuffix = java.util.Arrays.copyOf(cut, cut.length + suffix.length());
                System.arraycopy(suffix.getBytes(), 0, withSuffix, cut.length, suffix.length());
                arg = withSuffix;
            }
            trimmed.add(arg);
        }
        entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, trimmed, peer, clientName));
        while (entries.size() > maxLength) {
            entries.removeLast();
        }
    }

    /** The newest {@code count} entries (all when count < 0). */
    public synchronized List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext() && (count < 0 || out.size() < count)) {
            out.add(it.next());
        }
        return out;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void reset() {
        entries.clear();
    }
}
