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
    private final RemoteOwnWrites own = new RemoteOwnWrites();
    private volatile Runnable beforeUse;

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

    /** This cache's writes in flight, so that their notifications are not taken for other clients'. */
    RemoteOwnWrites ownWrites() {
        return own;
    }

    @Override
    boolean compareAndSet(byte[] key, byte[] expected, byte[] value, ExpireMode mode, long expireAt) {
        if (value == null) {
            return expected == null
                    ? !exists(key)
                    : write(key, redis -> redis.delex(key, CompareCondition.valueEq(expected)) == 1);
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
        return write(key, redis -> OK.equals(redis.set(key, value, args)));
    }

    @Override
    void setKeepingTtl(byte[] key, byte[] value) {
        write(key, redis -> OK.equals(redis.set(key, value, new SetArgs().keepttl())));
    }

    @Override
    void expireAt(byte[] key, long expireAt) {
        if (expireAt > System.currentTimeMillis()) {
            call(key, redis -> redis.pexpireat(key, expireAt)); // "expire" is no entry event: nothing to expect
        } else {
            write(key, redis -> redis.pexpireat(key, expireAt)); // removes the key: "del"
        }
    }

    /** A write that notifies when it changes the key (its result says whether it did). */
    private boolean write(byte[] key, Function<RedisCommands<byte[], byte[]>, Boolean> command) {
        own.expect(key);
        boolean changed = false;
        try {
            changed = Boolean.TRUE.equals(call(key, command));
            return changed;
        } finally {
            own.settled(key, changed);
        }
    }

    /** Runs {@code hook} before each command until it is replaced by null (the key directory's late subscription). */
    void beforeUse(Runnable hook) {
        this.beforeUse = hook;
    }

    private <R> R call(byte[] key, Function<RedisCommands<byte[], byte[]>, R> command) {
        Runnable hook = beforeUse;
        if (hook != null) {
            hook.run();
        }
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
