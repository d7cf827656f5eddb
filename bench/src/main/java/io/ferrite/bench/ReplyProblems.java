package io.ferrite.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything that went wrong in one run phase, shared by its load threads: error replies
 * counted by message (a server refusing writes answers thousands of identical {@code -OOM}s,
 * and the count per message is what tells the story), wrong GET replies counted by kind with
 * the first of each kind kept verbatim (key and reply), and a connection failure, which ends the run.
 */
final class ReplyProblems {
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> wrong = new ConcurrentHashMap<>();
    private final Map<String, String> examples = new ConcurrentHashMap<>();
    private volatile Throwable connectionFailure;

    /** An error reply ({@code -...}) to a command on key {@code key}. */
    void errorReply(String command, int key, String line) {
        String message = command + ": " + line;
        errors.computeIfAbsent(message, k -> new LongAdder()).increment();
        examples.putIfAbsent(message, command + " key:" + key);
    }

    /** A GET reply that is not key {@code key}'s value: nil, wrong type, or wrong bytes. */
    void wrongReply(String kind, int key, String reply) {
        wrong.computeIfAbsent(kind, k -> new LongAdder()).increment();
        examples.putIfAbsent(kind, "GET key:" + key + " -> " + reply);
    }

    void connectionFailed(Throwable failure) {
        if (connectionFailure == null) {
            connectionFailure = failure;
        }
    }

    Throwable connectionFailure() {
        return connectionFailure;
    }

    boolean any() {
        return !errors.isEmpty() || !wrong.isEmpty() || connectionFailure != null;
    }

    /** One line per kind of problem, with counts; empty when there was none. */
    List<String> summary() {
        List<String> lines = new ArrayList<>();
        if (connectionFailure != null) {
            lines.add("connection failed: " + connectionFailure);
        }
        new TreeMap<>(errors).forEach((message, n) -> lines.add(String.format(Locale.ROOT, "%,d error replies to %s (first: %s)",
                n.sum(), message, examples.get(message))));
        new TreeMap<>(wrong).forEach((kind, n) -> lines.add(String.format(Locale.ROOT, "%,d GET replies %s, e.g. %s",
                n.sum(), kind, examples.get(kind))));
        return lines;
    }

    /** A reply body for a failure message: its length and first bytes, printable. */
    static String excerpt(byte[] body, int length) {
        int shown = Math.min(length, 80);
        String text = new String(body, 0, shown, StandardCharsets.US_ASCII).replaceAll("[^\\x20-\\x7e]", "?");
        return "$" + length + " \"" + text + (shown < length ? "...\"" : "\"");
    }
}
