package io.ferrite.jcache;

import io.ferrite.core.StoreConfig;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The embedded engine's settings from the cache manager's properties: {@code ferrite.dir} (a
 * data directory for the disk tier; none keeps everything in memory), {@code ferrite.maxmemory}
 * (bytes of memory before entries move to the disk tier, 0 for no limit) and
 * {@code ferrite.shards}.
 */
final class EmbeddedStoreConfig {
    static final String DIR = "ferrite.dir";
    static final String MAX_MEMORY = "ferrite.maxmemory";
    static final String SHARDS = "ferrite.shards";

    private EmbeddedStoreConfig() {}

    static StoreConfig from(Properties properties) {
        StoreConfig.Builder builder = StoreConfig.builder();
        String dir = properties.getProperty(DIR);
        if (dir != null && !dir.isBlank()) {
            builder.dataDir(Path.of(dir));
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

    private static long parse(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + value + "'", e);
        }
    }
}
