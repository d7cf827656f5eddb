package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.strings.LongParse;
import java.io.IOException;
import java.io.StringReader;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A table per JCache cache: the JCache door registers each cache it creates in the hash
 * {@value #KEY} of the cache's database (field: the cache's name; value: {@link Properties} text
 * with {@code prefix}, {@code keyType} and {@code valueType}, see the provider's
 * {@code CacheCatalog}), and each registration reads here as the declared table
 * {@code "<cache name>"(key, value)} over the string keys {@code <prefix>{key}}, typed from the
 * cache's Java types: Long, Integer, Short and Byte as BIGINT, INTEGER, SMALLINT and TINYINT,
 * Double and Float as DOUBLE and REAL, Boolean as BOOLEAN, anything else (String, UUID,
 * BigDecimal, byte[], objects) as VARCHAR, an object the cache serialized reading as NULL
 * (counted, as any value that does not parse). A table declared with the same name, or a system
 * table, takes precedence.
 */
final class JCacheTables {
    static final String KEY = "ferrite:jcache:caches";
    private static final byte[] KEY_BYTES = KEY.getBytes(StandardCharsets.UTF_8);

    private JCacheTables() {}

    /** The statements declaring the tables of {@code db}'s registered caches, by cache name; registrations that cannot be read are counted and left out. */
    static Map<String, String> statements(FerriteStore store, int db, SqlWarnings warnings) {
        Map<String, String> statements = new LinkedHashMap<>();
        store.hashes().entries(db, MemorySegment.ofArray(KEY_BYTES), (field, fo, fl, value, vo, vl) -> {
            String name = KeyspaceTable.text(field, fo, fl);
            Properties cache = new Properties();
            try {
                cache.load(new StringReader(KeyspaceTable.text(value, vo, vl)));
            } catch (IOException | IllegalArgumentException e) {
                warnings.count("registration of cache " + name + " in " + KEY + " that cannot be read, left out");
                return;
            }
            String prefix = cache.getProperty("prefix");
            if (prefix == null || prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
                warnings.count("cache " + name + " whose key prefix cannot be a table's key pattern, left out");
                return;
            }
            statements.put(name, "CREATE TABLE " + identifier(name) + " (\"key\" " + sqlType(cache.getProperty("keyType"))
                    + " PRIMARY KEY, \"value\" " + sqlType(cache.getProperty("valueType")) + ") WITH (type = 'string', keys = "
                    + literal(prefix + "{key}") + ")");
        }, new LongParse());
        return statements;
    }

    /** The SQL type of a cache's key or value class (its text form, see the provider's {@code TypedCodec}). */
    private static String sqlType(String javaType) {
        return switch (javaType == null ? "" : javaType) {
            case "java.lang.Long" -> "BIGINT";
            case "java.lang.Integer" -> "INTEGER";
            case "java.lang.Short" -> "SMALLINT";
            case "java.lang.Byte" -> "TINYINT";
            case "java.lang.Double" -> "DOUBLE";
            case "java.lang.Float" -> "REAL";
            case "java.lang.Boolean" -> "BOOLEAN";
            default -> "VARCHAR"; // exact text for BigDecimal and BigInteger, whose precision SQL would bound
        };
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
