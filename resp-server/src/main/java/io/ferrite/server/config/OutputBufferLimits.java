package io.ferrite.server.config;

import java.util.List;
import java.util.Objects;

/**
 * The client-output-buffer-limit directive: one {@link OutputBufferLimit} per client class,
 * as Redis keeps them (normal clients, replicas, pub/sub subscribers).
 */
public record OutputBufferLimits(OutputBufferLimit normal, OutputBufferLimit replica, OutputBufferLimit pubsub) {
    /** Redis's defaults: "normal 0 0 0 slave 256mb 64mb 60 pubsub 32mb 8mb 60". */
    public static final OutputBufferLimits DEFAULT = new OutputBufferLimits(
            OutputBufferLimit.NONE,
            new OutputBufferLimit(256L << 20, 64L << 20, 60),
            new OutputBufferLimit(32L << 20, 8L << 20, 60));

    /** The class names in Redis's order, as CONFIG GET prints them. */
    static final List<String> CLASSES = List.of("normal", "slave", "pubsub");

    public OutputBufferLimits {
        Objects.requireNonNull(normal, "normal");
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(pubsub, "pubsub");
    }

    OutputBufferLimit get(int classIndex) {
        return switch (classIndex) {
            case 0 -> normal;
            case 1 -> replica;
            default -> pubsub;
        };
    }

    OutputBufferLimits with(int classIndex, OutputBufferLimit limit) {
        return switch (classIndex) {
            case 0 -> new OutputBufferLimits(limit, replica, pubsub);
            case 1 -> new OutputBufferLimits(normal, limit, pubsub);
            default -> new OutputBufferLimits(normal, replica, limit);
        };
    }
}
