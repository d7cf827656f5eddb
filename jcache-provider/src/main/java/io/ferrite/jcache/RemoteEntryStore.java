package io.ferrite.jcache;

import io.ferrite.core.api.ExpireMode;
import io.lettuce.core.CompareCondition;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.function.Function;
import javax.cache.CacheException;

/**
 * One cache's entries on a Ferrite server. The compare-and-set is one command: {@code SET
 * key value NX} when the entry must still be absent, {@code SET key value IFEQ expected} when
 * it must still hold what was read, {@code DELEX key IFEQ expected} for a removal (Redis 8.4's
 * conditions, which Ferrite answers); each with {@code PXAT} or {@code KEEPTTL} for the TTL.
 */
final class RemoteEntryStore extends EntryStore {
    private static final String OK = "OK";

    private final RemoteServer server;
    private final int db;

    RemoteEntryStore(RemoteServer server, int db, byte[] prefix, String cacheName) {
        super(prefix, cacheName);
        this.server = server;
        this.db = db;
    }

    @Override
    byte[] read(byte[] key) {
        return call(key, redis -> redis.get(key));
    }

    @Override
    boolean exists(byte[] key) {
        return call(key, redis -> redis.exists(key)) > 0;
    }

    @Override
    boolean compareAndSet(byte[] key, byte[] expected, byte[] value, ExpireMode mode, long expireAt) {
        if (value == null) {
            return expected == null
                    ? !exists(key)
                    : call(key, redis -> redis.delex(key, CompareCondition.valueEq(expected))) == 1;
        }
        SetArgs args = switch (mode) {
            case SET -> new SetArgs().pxAt(expireAt);
            case KEEP -> new SetArgs().keepttl();
            case CLEAR -> new SetArgs();
        };
        if (expected == null) {
            args.nx();
        } else {
            args.compareCondition(CompareCondition.valueEq(expected));
        }
        return OK.equals(call(key, redis -> redis.set(key, value, args)));
    }

    @Override
    void setKeepingTtl(byte[] key, byte[] value) {
        call(key, redis -> redis.set(key, value, new SetArgs().keepttl()));
    }

    @Override
    void expireAt(byte[] key, long expireAt) {
        call(key, redis -> redis.pexpireat(key, expireAt));
    }

    private <R> R call(byte[] key, Function<RedisCommands<byte[], byte[]>, R> command) {
        try {
            return server.call(db, cacheName, command);
        } catch (CacheException e) {
            if (e.getCause() != null && String.valueOf(e.getCause().getMessage()).startsWith("WRONGTYPE")) {
                throw new CacheException("cache " + cacheName + ": key " + printable(key)
                        + " holds a Redis collection, not a string", e.getCause());
            }
            throw e;
        }
    }
}
