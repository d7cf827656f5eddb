package io.ferrite.server.pubsub;

import io.ferrite.core.strings.GlobMatcher;
import io.ferrite.server.pubsub.Subscriptions.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The server's Pub/Sub registry: who listens on which channel, pattern and shard channel, and
 * the delivery of a published message to each of them. Subscribing happens on the subscriber's
 * event loop; publishing may happen on any thread (a PUBLISH on another event loop, a keyspace
 * notification raised by a background expiry) and only hands encoded frames to each
 * subscriber's {@link Outbox}, so it never blocks the publisher.
 */
public final class PubSub {
    private final Map<Kind, ConcurrentHashMap<ChannelName, Set<Subscriptions>>> registry = new EnumMap<>(Kind.class);
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    public PubSub() {
        for (Kind kind : Kind.values()) {
            registry.put(kind, new ConcurrentHashMap<>());
        }
    }

    /** Adds the subscription; false if {@code subscriber} had it already. */
    public boolean subscribe(Subscriptions subscriber, Kind kind, ChannelName name) {
        if (!subscriber.add(kind, name)) {
            return false;
        }
        registry.get(kind).compute(name, (n, set) -> {
            Set<Subscriptions> members = set == null ? ConcurrentHashMap.newKeySet() : set;
            members.add(subscriber);
            return members;
        });
        return true;
    }

    /** Removes the subscription; false if {@code subscriber} did not have it. */
    public boolean unsubscribe(Subscriptions subscriber, Kind kind, ChannelName name) {
        if (!subscriber.remove(kind, name)) {
            return false;
        }
        registry.get(kind).computeIfPresent(name, (n, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
        return true;
    }

    /** Drops every subscription of a connection that closes or RESETs. */
    public void unsubscribeAll(Subscriptions subscriber) {
        for (Kind kind : Kind.values()) {
            for (ChannelName name : subscriber.names(kind)) {
                unsubscribe(subscriber, kind, name);
            }
        }
    }

    /** True if anyone listens on a channel or pattern (keyspace notifications skip all work otherwise). */
    public boolean hasListeners() {
        return !registry.get(Kind.CHANNEL).isEmpty() || !registry.get(Kind.PATTERN).isEmpty();
    }

    /**
     * PUBLISH: sends {@code payload} to the subscribers of {@code channel} and of every pattern
     * that matches it; returns how many deliveries were made (a client counts once per match).
     */
    public int publish(byte[] channel, byte[] payload) {
        int receivers = deliver(registry.get(Kind.CHANNEL).get(ChannelName.of(channel)),
                protocol -> PushFrames.frame(alloc, protocol, PushFrames.MESSAGE, channel, payload));
        for (Map.Entry<ChannelName, Set<Subscriptions>> pattern : registry.get(Kind.PATTERN).entrySet()) {
            byte[] glob = pattern.getKey().bytes();
            if (GlobMatcher.matches(glob, channel, false)) {
                receivers += deliver(pattern.getValue(), protocol -> PushFrames.frame(alloc, protocol, PushFrames.PMESSAGE, glob, channel, payload));
            }
        }
        return receivers;
    }

    /** SPUBLISH: sends {@code payload} to the subscribers of shard channel {@code channel}. */
    public int publishShard(byte[] channel, byte[] payload) {
        return deliver(registry.get(Kind.SHARD_CHANNEL).get(ChannelName.of(channel)),
                protocol -> PushFrames.frame(alloc, protocol, PushFrames.SMESSAGE, channel, payload));
    }

    /** Hands a frame to each member; {@code encoder} encodes it once per protocol version in use. */
    private static int deliver(Set<Subscriptions> members, IntFunction<ByteBuf> encoder) {
        if (members == null) {
            return 0;
        }
        ByteBuf[] frames = new ByteBuf[2];
        int receivers = 0;
        try {
            for (Subscriptions member : members) {
                int protocol = member.outbox().protocol();
                ByteBuf frame = frames[protocol - 2];
                if (frame == null) {
                    frame = frames[protocol - 2] = encoder.apply(protocol);
                }
                member.outbox().push(frame.retainedDuplicate());
                receivers++;
            }
        } finally {
            release(frames);
        }
        return receivers;
    }

    private static void release(ByteBuf[] frames) {
        for (ByteBuf frame : frames) {
            if (frame != null) {
                frame.release();
            }
        }
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS: the names with at least one subscriber, matching {@code glob} (null: all). */
    public List<byte[]> active(Kind kind, byte[] glob) {
        List<byte[]> names = new ArrayList<>();
        for (ChannelName name : registry.get(kind).keySet()) {
            if (glob == null || GlobMatcher.matches(glob, name.bytes(), false)) {
                names.add(name.bytes());
            }
        }
        return names;
    }

    /** PUBSUB NUMSUB / SHARDNUMSUB: how many connections subscribe to {@code name}. */
    public int subscribers(Kind kind, byte[] name) {
        Set<Subscriptions> members = registry.get(kind).get(ChannelName.of(name));
        return members == null ? 0 : members.size();
    }

    /** How many names of {@code kind} have subscribers (PUBSUB NUMPAT, INFO's pubsub_channels). */
    public int size(Kind kind) {
        return registry.get(kind).size();
    }
}
