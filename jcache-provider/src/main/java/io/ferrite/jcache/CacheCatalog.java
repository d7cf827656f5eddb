package io.ferrite.jcache;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The caches that exist, as other doors see them: each cache is registered in the hash
 * {@value #KEY} of its database when it is created, and unregistered when it is destroyed, with
 * a field per cache name holding {@link java.util.Properties} text: {@code prefix} (its keys are
 * {@code <prefix><key>}), {@code keyType} and {@code valueType} (the Java classes the cache
 * declares, whose {@link io.ferrite.jcache.codec.TypedCodec text forms} its entries hold). The
 * SQL door shows each registered cache as a table (its {@code JCacheTables} reads this hash).
 */
final class CacheCatalog {
    static final String KEY = "ferrite:jcache:caches";
    static final byte[] KEY_BYTES = KEY.getBytes(StandardCharsets.UTF_8);

    private CacheCatalog() {}

    /** The registration of a cache whose keys start with {@code prefix} and hold {@code keyType} -> {@code valueType}. */
    static byte[] describe(byte[] prefix, Class<?> keyType, Class<?> valueType) {
        Properties description = new Properties();
        description.setProperty("prefix", new String(prefix, StandardCharsets.UTF_8));
        description.setProperty("keyType", keyType.getName());
        description.setProperty("valueType", valueType.getName());
        StringWriter text = new StringWriter();
        try {
            description.store(text, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        // Properties.store begins with a date comment, which would make each registration differ
        String body = text.toString().lines().filter(line -> !line.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
