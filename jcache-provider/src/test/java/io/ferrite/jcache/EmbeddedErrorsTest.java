package io.ferrite.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import java.net.URI;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/** What the embedded provider answers when the engine refuses a write or its settings are wrong. */
class EmbeddedErrorsTest {
    @Test
    void aValueOrKeyOverTheEnginesLimitIsACacheExceptionAndNothingIsStored() {
        try (FerriteStore store = FerriteStore.open(StoreConfig.builder().shards(1).maxValueSize(16).maxKeySize(32).build())) {
            Properties properties = new Properties();
            properties.put(FerriteCachingProvider.STORE_PROPERTY, store);
            CacheManager manager = new FerriteCachingProvider().getCacheManager(URI.create("ferrite:errors-test"),
                    getClass().getClassLoader(), properties);
            Cache<String, String> cache = manager.createCache("c",
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class));
            // its registration for the other doors is over the value limit too: refused, and the cache works without it
            assertThat(store.keys().exists(0, java.lang.foreign.MemorySegment.ofArray(
                    "ferrite:jcache:caches".getBytes(java.nio.charset.StandardCharsets.UTF_8)))).isFalse();

            assertThatThrownBy(() -> cache.put("k", "x".repeat(17))).isInstanceOf(CacheException.class)
                    .hasMessageContaining("maximum value size");
            assertThatThrownBy(() -> cache.putIfAbsent("k", "x".repeat(17))).isInstanceOf(CacheException.class);
            assertThat(cache.containsKey("k")).isFalse();
            assertThatThrownBy(() -> cache.put("k".repeat(40), "v")).isInstanceOf(CacheException.class)
                    .hasMessageContaining("maximum key size");

            cache.put("k", "small");
            assertThat(cache.get("k")).isEqualTo("small");
            manager.close();
            assertThat(store.isClosed()).isFalse(); // an engine handed over is the application's to close
        }
    }

    @Test
    void aBadEmbeddedSettingIsRefusedWithItsName() {
        Properties properties = new Properties();
        properties.setProperty("ferrite.maxmemory", "lots");
        assertThatThrownBy(() -> new FerriteCachingProvider().getCacheManager(URI.create("ferrite:bad-settings"),
                getClass().getClassLoader(), properties))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ferrite.maxmemory");
    }
}
