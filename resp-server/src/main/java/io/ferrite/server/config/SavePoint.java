package io.ferrite.server.config;

/** One {@code save <seconds> <changes>} rule: snapshot if at least {@code changes} writes happened within {@code seconds}. */
public record SavePoint(long seconds, long changes) {
    public SavePoint {
        if (seconds < 1 || changes < 0) {
            throw new IllegalArgumentException("save point needs seconds >= 1 and changes >= 0: " + seconds + " " + changes);
        }
    }
}
