package io.ferrite.core.api;

/**
 * What happened to a key, named as Redis names its keyspace events, so that keyspace
 * notifications, CDC, replication, search indexes and JCache listeners can all subscribe to
 * the same stream.
 */
public enum ChangeKind {
    /**
     * A key that did not exist was created; raised just before the event of the write that
     * created it (as Redis's "new" keyspace event). Subscribers that count changes ignore it.
     */
    NEW("new"),
    SET("set"),
    DEL("del"),
    EXPIRED("expired"),
    EVICTED("evicted"),
    EXPIRE("expire"),
    PERSIST("persist"),
    RENAME_FROM("rename_from"),
    RENAME_TO("rename_to"),
    MOVE_FROM("move_from"),
    MOVE_TO("move_to"),
    COPY_TO("copy_to"),
    INCRBY("incrby"),
    INCRBYFLOAT("incrbyfloat"),
    APPEND("append"),
    SETRANGE("setrange"),
    SETBIT("setbit"),
    HSET("hset"),
    HDEL("hdel"),
    HINCRBY("hincrby"),
    HINCRBYFLOAT("hincrbyfloat"),
    SADD("sadd"),
    SREM("srem"),
    SPOP("spop"),
    SINTERSTORE("sinterstore"),
    SUNIONSTORE("sunionstore"),
    SDIFFSTORE("sdiffstore"),
    /** LPUSH and LPUSHX. */
    LPUSH("lpush"),
    /** RPUSH and RPUSHX. */
    RPUSH("rpush"),
    LPOP("lpop"),
    RPOP("rpop"),
    ZADD("zadd"),
    /** ZADD INCR (and ZINCRBY). */
    ZINCR("zincr"),
    ZREM("zrem"),
    RESTORE("restore"),
    FLUSH("flush");

    private final String eventName;

    ChangeKind(String eventName) {
        this.eventName = eventName;
    }

    /** The event name as Redis's keyspace notifications spell it. */
    public String eventName() {
        return eventName;
    }
}
