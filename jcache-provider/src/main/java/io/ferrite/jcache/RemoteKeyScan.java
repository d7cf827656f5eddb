package io.ferrite.jcache;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The keys of one cache on a server, found when asked with {@code SCAN MATCH <prefix>*}: the
 * server walks its keyspace for them. {@link RemoteKeyDirectory} fills its key set with it,
 * and falls back on it for every call when the server sends no keyspace notifications.
 */
final class RemoteKeyScan implements KeyDirectory {
    private static final int COUNT = 1000;

    private final RemoteServer server;
    private final int db;
    private final byte[] pattern;
    private final String cacheName;

    RemoteKeyScan(RemoteServer server, int db, byte[] prefix, String cacheName) {
        this.server = server;
        this.db = db;
        this.cacheName = cacheName;
        this.pattern = patternOf(prefix);
    }

    /** The prefix with glob characters escaped, then {@code *}. */
    static byte[] patternOf(byte[] prefix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length + 2);
        for (byte b : prefix) {
            if (b == '*' || b == '?' || b == '[' || b == ']' || b == '\\') {
                out.write('\\');
            }
            out.write(b);
        }
        out.write('*');
        return out.toByteArray();
    }

    @Override
    public void open() {
        // nothing to follow: the server is asked each time
    }

    @Override
    public void close() {
    }

    @Override
    public Key[] snapshot() {
        Set<Key> keys = new LinkedHashSet<>(); // SCAN may return a key twice
        ScanArgs args = new ScanArgs().match(pattern).limit(COUNT);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ScanCursor from = cursor;
            KeyScanCursor<byte[]> page = server.call(db, cacheName, redis -> redis.scan(from, args));
            for (byte[] key : page.getKeys()) {
                keys.add(new Key(key));
            }
            cursor = page;
        } while (!cursor.isFinished());
        return keys.toArray(Key[]::new);
    }
}
