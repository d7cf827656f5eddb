package io.ferrite.core.embedded;

import io.ferrite.core.StoreConfig;
import java.nio.file.Path;
import java.util.Properties;

/**
 * An embedded engine's settings, from the properties of the door that opens it (a cache
 * manager's, a JDBC connection's): {@code ferrite.dir} (a data directory for the disk tier and
 * the checkpoints; none keeps everything in memory, for this run only), {@code ferrite.maxmemory} (bytes of memory before entries move to the disk
 * tier, 0 for no limit), {@code ferrite.shards}, {@code ferrite.checkpoints} ({@code yes}, the
 * default with a directory: the data outlives the engine, see {@link EmbeddedEngine};
 * {@code no}: the directory only holds what does not fit in memory, and starts empty) and
 * {@code ferrite.checkpoint-seconds} (how often a checkpoint is taken while entries change,
 * default 60; 0: only when the engine closes).
 */
public final class EmbeddedSettings {
    public static final String DIR = "ferrite.dir";
    public static final String MAX_MEMORY = "ferrite.maxmemory";
    public static final String SHARDS = "ferrite.shards";
    public static final String CHECKPOINTS = "ferrite.checkpoints";
    public static final String CHECKPOINT_SECONDS = "ferrite.checkpoint-seconds";
    private static final long DEFAULT_CHECKPOINT_SECONDS = 60;

    private EmbeddedSettings() {}

    /** The store's configuration; IllegalArgumentException naming a property that is not valid. */
    public static StoreConfig from(Properties properties) {
        StoreConfig.Builder builder = StoreConfig.builder();
        String dir = properties.getProperty(DIR);
        if (dir != null && !dir.isBlank()) {
            builder.dataDir(Path.of(dir)).checkpoints(checkpoints(properties));
        }
        String maxMemory = properties.getProperty(MAX_MEMORY);
        if (maxMemory != null) {
            builder.maxMemory(parse(MAX_MEMORY, maxMemory));
        }
        String shards = properties.getProperty(SHARDS);
        if (shards != null) {
            builder.shards((int) parse(SHARDS, shards));
        }
        return builder.build();
    }

    /** Seconds between checkpoints while entries change; 0 for only at close. */
    public static long checkpointSeconds(Properties properties) {
        String value = properties.getProperty(CHECKPOINT_SECONDS);
        long seconds = value == null ? DEFAULT_CHECKPOINT_SECONDS : parse(CHECKPOINT_SECONDS, value);
        if (seconds < 0) {
            throw new IllegalArgumentException(CHECKPOINT_SECONDS + " must be 0 or more, not " + seconds);
        }
        return seconds;
    }

    private static boolean checkpoints(Properties properties) {
        String value = properties.getProperty(CHECKPOINTS, "yes").trim();
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw new IllegalArgumentException(CHECKPOINTS + " must be yes or no, not '" + value + "'");
        };
    }

    private static long parse(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + value + "'", e);
        }
    }
}
