package io.ferrite.core.embedded;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The engines this JVM's embedded doors opened themselves, one per data directory (or, for an
 * engine in memory, per name), so that a JCache CacheManager and a JDBC connection on one
 * directory, whatever their URIs and class loaders, share one engine: the first opens it with
 * its properties ({@link EmbeddedSettings}), the last to release it closes it (taking its last
 * checkpoint). Two engines on one directory would ruin it.
 */
public final class EmbeddedEngines {
    private static final class Shared {
        final EmbeddedEngine engine;
        int users;

        Shared(EmbeddedEngine engine) {
            this.engine = engine;
        }
    }

    private static final Map<Object, Shared> ENGINES = new HashMap<>();

    private EmbeddedEngines() {}

    /**
     * The engine of the properties' data directory, or, without one, the in-memory engine called
     * {@code name}: opened now if nobody uses it yet.
     *
     * @throws IllegalArgumentException a property that is not valid, named
     * @throws IllegalStateException a directory that is a Ferrite server's
     */
    public static EmbeddedEngine acquire(String name, Properties properties) {
        io.ferrite.core.StoreConfig config = EmbeddedSettings.from(properties);
        long checkpointSeconds = EmbeddedSettings.checkpointSeconds(properties);
        Object sharedBy = config.dataDir() == null ? "mem:" + name : config.dataDir().toAbsolutePath().normalize();
        synchronized (ENGINES) {
            Shared entry = ENGINES.get(sharedBy);
            if (entry == null || entry.engine.isClosed()) {
                entry = new Shared(EmbeddedEngine.open(config, checkpointSeconds));
                ENGINES.put(sharedBy, entry);
            }
            entry.users++;
            return entry.engine;
        }
    }

    /** One user fewer; the last one closes the engine. */
    public static void release(EmbeddedEngine engine) {
        synchronized (ENGINES) {
            for (var it = ENGINES.entrySet().iterator(); it.hasNext(); ) {
                Shared entry = it.next().getValue();
                if (entry.engine == engine) {
                    if (--entry.users == 0) {
                        it.remove();
                        engine.close();
                    }
                    return;
                }
            }
        }
    }
}
