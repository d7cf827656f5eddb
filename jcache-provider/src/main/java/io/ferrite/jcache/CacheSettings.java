package io.ferrite.jcache;

import io.ferrite.jcache.codec.JavaSerializer;
import io.ferrite.jcache.codec.Serializer;
import java.nio.charset.StandardCharsets;
import javax.cache.configuration.CompleteConfiguration;

/** Where a cache's entries live in the keyspace and how its opaque keys and values become bytes. */
record CacheSettings(byte[] prefix, int database, Serializer serializer) {
    static CacheSettings of(String cacheName, CompleteConfiguration<?, ?> configuration) {
        if (configuration instanceof FerriteConfiguration<?, ?> ferrite) {
            String prefix = ferrite.getKeyPrefix() != null ? ferrite.getKeyPrefix() : cacheName + ":";
            return new CacheSettings(prefix.getBytes(StandardCharsets.UTF_8), ferrite.getDatabase(),
                    ferrite.getSerializerFactory().create());
        }
        return new CacheSettings((cacheName + ":").getBytes(StandardCharsets.UTF_8), 0, new JavaSerializer());
    }
}
