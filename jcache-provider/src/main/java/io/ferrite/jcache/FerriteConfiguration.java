package io.ferrite.jcache;

import io.ferrite.jcache.codec.JavaSerializer;
import io.ferrite.jcache.codec.Serializer;
import java.util.Objects;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;

/**
 * A cache's configuration with Ferrite's own settings beside JSR-107's: where its entries
 * live in the keyspace (the key prefix, by default the cache's name and {@code ':'}, and the
 * logical database) and the {@link Serializer} for keys and values without a text form.
 * Pass it to {@link javax.cache.CacheManager#createCache}; a plain
 * {@link MutableConfiguration} gets the defaults.
 */
public class FerriteConfiguration<K, V> extends MutableConfiguration<K, V> {
    private static final long serialVersionUID = 1L;

    private String keyPrefix;
    private int database;
    private Factory<? extends Serializer> serializerFactory = FactoryBuilder.factoryOf(JavaSerializer.class);

    public FerriteConfiguration() {
    }

    public FerriteConfiguration(CompleteConfiguration<K, V> configuration) {
        super(configuration);
        if (configuration instanceof FerriteConfiguration<K, V> ferrite) {
            this.keyPrefix = ferrite.keyPrefix;
            this.database = ferrite.database;
            this.serializerFactory = ferrite.serializerFactory;
        }
    }

    /** The prefix of every entry's key; null (the default) means the cache's name and {@code ':'}. */
    public String getKeyPrefix() {
        return keyPrefix;
    }

    public FerriteConfiguration<K, V> setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
        return this;
    }

    /** The logical database (Redis's SELECT number) that holds the entries; 0 by default. */
    public int getDatabase() {
        return database;
    }

    public FerriteConfiguration<K, V> setDatabase(int database) {
        if (database < 0) {
            throw new IllegalArgumentException("database must be >= 0");
        }
        this.database = database;
        return this;
    }

    public Factory<? extends Serializer> getSerializerFactory() {
        return serializerFactory;
    }

    public FerriteConfiguration<K, V> setSerializer(Factory<? extends Serializer> factory) {
        this.serializerFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof FerriteConfiguration<?, ?> that) || !super.equals(other)) {
            return false;
        }
        return database == that.database && Objects.equals(keyPrefix, that.keyPrefix)
                && Objects.equals(serializerFactory, that.serializerFactory);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Objects.hash(keyPrefix, database, serializerFactory);
    }
}
