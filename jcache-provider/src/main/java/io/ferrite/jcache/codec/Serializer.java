package io.ferrite.jcache.codec;

/**
 * Turns the keys and values that have no text form into bytes and back. The default is
 * {@link JavaSerializer}; a cache can name another in
 * {@link io.ferrite.jcache.FerriteConfiguration#setSerializer}. Implementations must be
 * thread-safe; failures are thrown as unchecked exceptions and reach the caller as a
 * {@link javax.cache.CacheException} with this one as its cause.
 */
public interface Serializer {
    byte[] serialize(Object value);

    /** @param loader the class loader of the cache's manager, for the classes in {@code bytes} */
    Object deserialize(byte[] bytes, ClassLoader loader);
}
