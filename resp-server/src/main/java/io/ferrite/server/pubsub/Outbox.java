package io.ferrite.server.pubsub;

import io.netty.buffer.ByteBuf;

/**
 * A connection's way out for messages it did not ask for: pushes from other connections'
 * PUBLISH and from keyspace notifications, which may be raised on any thread.
 */
public interface Outbox {
    /** The protocol the connection speaks now (2: arrays, 3: push frames). */
    int protocol();

    /**
     * Sends an encoded message after what the connection already has queued; takes ownership
     * of {@code message}. Callable from any thread, never blocks.
     */
    void push(ByteBuf message);
}
