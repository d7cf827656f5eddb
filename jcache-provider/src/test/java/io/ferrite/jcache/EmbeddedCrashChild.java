package io.ferrite.jcache;

import io.ferrite.core.FerriteStore;
import java.net.URI;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

/**
 * The application {@link EmbeddedPersistenceTest} kills: fills a cache in an embedded engine on
 * the directory it is given, waits for a checkpoint that holds every entry, says so on stdout,
 * and waits to be killed.
 */
public final class EmbeddedCrashChild {
    private EmbeddedCrashChild() {}

    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("ferrite.dir", args[0]);
        properties.setProperty("ferrite.shards", "2");
        properties.setProperty("ferrite.checkpoint-seconds", "1");
        CacheManager manager = new FerriteCachingProvider().getCacheManager(URI.create("ferrite:crash"),
                EmbeddedCrashChild.class.getClassLoader(), properties);
        Cache<Integer, String> numbers = manager.createCache("numbers",
                new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class));
        int entries = Integer.parseInt(args[1]);
        for (int i = 0; i < entries; i++) {
            numbers.put(i, "n" + i);
        }
        FerriteStore store = manager.unwrap(FerriteStore.class);
        while (store.checkpoints().latest() == null || store.checkpoints().latest().keys() < entries) {
            Thread.sleep(20);
        }
        System.out.println("checkpointed");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
