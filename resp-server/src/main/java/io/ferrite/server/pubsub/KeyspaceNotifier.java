package io.ferrite.server.pubsub;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.ChangeListener;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications: turns the engine's change events into Pub/Sub messages, as
 * {@code notify-keyspace-events} selects them. A change of {@code key} in database {@code db}
 * publishes {@code event} on {@code __keyspace@db__:key} (class K) and {@code key} on
 * {@code __keyevent@db__:event} (class E).
 *
 * <p>It runs on the writing thread under the key's shard lock (see {@link ChangeListener}):
 * with no class enabled or nobody subscribed it returns after two volatile reads; otherwise it
 * copies the key and hands encoded frames to the subscribers' event loops.
 */
public final class KeyspaceNotifier implements ChangeListener {
    private static final int GENERIC = 1, STRING = 1 << 1, LIST = 1 << 2, SET = 1 << 3, HASH = 1 << 4,
            ZSET = 1 << 5, EXPIRED = 1 << 6, EVICTED = 1 << 7, STREAM = 1 << 8, MODULE = 1 << 9, NEW = 1 << 10,
            KEYSPACE = 1 << 11, KEYEVENT = 1 << 12;
    private static final String LETTERS = "g$lshzxetdnKE";
    private static final int DB_PREFIXES = 16;

    private final PubSub pubsub;
    private volatile int classes;
    private final byte[][] eventNames = new byte[ChangeKind.values().length][];
    private final byte[][] keyspacePrefixes = new byte[DB_PREFIXES][];
    private final byte[][] keyeventPrefixes = new byte[DB_PREFIXES][];

    public KeyspaceNotifier(PubSub pubsub) {
        this.pubsub = pubsub;
        for (ChangeKind kind : ChangeKind.values()) {
            eventNames[kind.ordinal()] = kind.eventName().getBytes(StandardCharsets.US_ASCII);
        }
        for (int db = 0; db < DB_PREFIXES; db++) {
            keyspacePrefixes[db] = prefix("__keyspace@", db);
            keyeventPrefixes[db] = prefix("__keyevent@", db);
        }
    }

    /** Applies a notify-keyspace-events value (its canonical letters; "A" stands for "g$lshzxetd"). */
    public void configure(String letters) {
        int mask = 0;
        for (char c : letters.replace("A", "g$lshzxetd").toCharArray()) {
            int bit = LETTERS.indexOf(c);
            if (bit >= 0) {
                mask |= 1 << bit;
            }
        }
        classes = mask;
    }

    @Override
    public void onChange(int db, MemorySegment key, ChangeKind kind) {
        int enabled = classes;
        if ((enabled & (KEYSPACE | KEYEVENT)) == 0 || (enabled & classOf(kind)) == 0 || db < 0 || !pubsub.hasListeners()) {
            return;
        }
        byte[] keyBytes = key.toArray(ValueLayout.JAVA_BYTE);
        byte[] event = eventNames[kind.ordinal()];
        if ((enabled & KEYSPACE) != 0) {
            pubsub.publish(concat(db < DB_PREFIXES ? keyspacePrefixes[db] : prefix("__keyspace@", db), keyBytes), event);
        }
        if ((enabled & KEYEVENT) != 0) {
            pubsub.publish(concat(db < DB_PREFIXES ? keyeventPrefixes[db] : prefix("__keyevent@", db), event), keyBytes);
        }
    }

    /** The notify-keyspace-events class of each event, as Redis's commands raise them. */
    private static int classOf(ChangeKind kind) {
        return switch (kind) {
            case NEW -> NEW;
            case DEL, EXPIRE, PERSIST, RENAME_FROM, RENAME_TO, MOVE_FROM, MOVE_TO, COPY_TO, RESTORE -> GENERIC;
            case SET, INCRBY, INCRBYFLOAT, APPEND, SETRANGE, SETBIT -> STRING;
            case EXPIRED -> EXPIRED;
            case EVICTED -> EVICTED;
            case HSET, HDEL, HINCRBY, HINCRBYFLOAT -> HASH;
            case SADD, SREM, SPOP, SINTERSTORE, SUNIONSTORE, SDIFFSTORE -> SET;
            case LPUSH, RPUSH, LPOP, RPOP -> LIST;
            case ZADD, ZINCR, ZREM -> ZSET;
            case FLUSH -> 0; // Redis raises no keyspace event for FLUSHDB / FLUSHALL
        };
    }

    private static byte[] prefix(String kind, int db) {
        return (kind + db + "__:").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
