package io.ferrite.server.pubsub;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One connection's subscriptions (channels, patterns, shard channels) and its {@link Outbox}.
 * The sets change only on the connection's event loop (its commands and its close); the
 * counts are volatile so that CLIENT LIST and INFO may read them from anywhere.
 */
public final class Subscriptions {
    /** The three name spaces a connection can subscribe in. */
    public enum Kind { CHANNEL, PATTERN, SHARD_CHANNEL }

    private final Outbox outbox;
    private final Set<ChannelName> channels = new LinkedHashSet<>();
    private final Set<ChannelName> patterns = new LinkedHashSet<>();
    private final Set<ChannelName> shardChannels = new LinkedHashSet<>();
    private volatile int channelCount;
    private volatile int patternCount;
    private volatile int shardChannelCount;

    public Subscriptions(Outbox outbox) {
        this.outbox = outbox;
    }

    public Outbox outbox() {
        return outbox;
    }

    public int channelCount() { return channelCount; }
    public int patternCount() { return patternCount; }
    public int shardChannelCount() { return shardChannelCount; }

    /** True while subscribed to anything: the connection is a Pub/Sub client (RESP2 subscriber mode). */
    public boolean active() {
        return channelCount + patternCount + shardChannelCount > 0;
    }

    /** What SUBSCRIBE and friends report after each change: channels and patterns, or shard channels. */
    public int reportedCount(Kind kind) {
        return kind == Kind.SHARD_CHANNEL ? shardChannelCount : channelCount + patternCount;
    }

    /** The subscriptions of {@code kind}, in the order they were made. */
    public List<ChannelName> names(Kind kind) {
        return new ArrayList<>(set(kind));
    }

    boolean add(Kind kind, ChannelName name) {
        boolean added = set(kind).add(name);
        recount();
        return added;
    }

    boolean remove(Kind kind, ChannelName name) {
        boolean removed = set(kind).remove(name);
        recount();
        return removed;
    }

    private Set<ChannelName> set(Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD_CHANNEL -> shardChannels;
        };
    }

    private void recount() {
        channelCount = channels.size();
        patternCount = patterns.size();
        shardChannelCount = shardChannels.size();
    }
}
