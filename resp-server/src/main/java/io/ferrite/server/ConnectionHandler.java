package io.ferrite.server;

import io.ferrite.server.client.ClientState;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.Dispatcher;
import io.ferrite.server.command.Errors;
import io.ferrite.server.config.Directives;
import io.ferrite.server.config.OutputBufferLimit;
import io.ferrite.server.protocol.RequestHandler;
import io.ferrite.server.protocol.RespDecoder;
import io.ferrite.server.protocol.RespRequest;
import io.ferrite.server.protocol.RespWriter;
import io.ferrite.server.pubsub.Outbox;
import io.ferrite.server.pubsub.Subscriptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;

/**
 * One connection's life: registers the client, hands decoded requests to the
 * {@link Dispatcher}, flushes each read batch's replies in one write, enforces maxclients,
 * the idle timeout and the output buffer limit, and unregisters the client when it goes.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter implements RequestHandler, Outbox {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConnectionHandler.class);
    private final ServerContext server;
    private final Dispatcher dispatcher;
    private RespDecoder decoder;
    private ClientState client;
    private RespWriter out;
    private CommandContext context;
    /** Replies held until the writes they acknowledge are fsynced (appendfsync always). */
    private final DurableReplies durableReplies = new DurableReplies();
    /** When the soft output limit was first exceeded (0 = not exceeded). */
    private long softLimitSinceMillis;
    private ChannelHandlerContext channelContext;
    /** True while one of this connection's commands runs (a push then joins its output). */
    private boolean dispatching;
    /** True while a flush of pushed messages is queued on the event loop. */
    private boolean pushFlushQueued;
    /**
     * Messages published on other threads, waiting for this connection's event loop: one task
     * drains all that queued up, so a burst of messages costs one wake-up and one flush.
     */
    private final org.jctools.queues.MpscUnboundedXaddArrayQueue<ByteBuf> incoming =
            new org.jctools.queues.MpscUnboundedXaddArrayQueue<>(32); // small chunks: every connection has one
    private final java.util.concurrent.atomic.AtomicBoolean drainQueued = new java.util.concurrent.atomic.AtomicBoolean();

    ConnectionHandler(ServerContext server, Dispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
    }

    /** The decoder in front of this handler (set once, before the channel is active). */
    void decoder(RespDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        server.stats().connectionsReceived.increment();
        long maxClients = server.config().get(Directives.MAXCLIENTS);
        if (server.clients().size() >= maxClients) {
            server.stats().rejectedConnections.increment();
            ctx.writeAndFlush(Unpooled.copiedBuffer("-" + Errors.MAX_CLIENTS + "\r\n", StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
            decoder.suspend();
            return;
        }
        boolean needsAuth = !server.config().get(Directives.REQUIREPASS).isEmpty();
        client = new ClientState(server.clients().nextId(), ctx.channel(), !needsAuth);
        client.subscriptions(new Subscriptions(this));
        channelContext = ctx;
        decoder.requireAuthentication(needsAuth);
        out = new RespWriter(ctx.alloc());
        context = new CommandContext(server, client, out, decoder);
        server.clients().add(client);
        ctx.fireChannelActive();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, RespRequest request) {
        if (client == null || client.closing()) {
            return;
        }
        dispatching = true;
        try {
            dispatcher.dispatch(context, ctx, request);
        } finally {
            dispatching = false;
        }
        if (client.closing()) {
            decoder.suspend(); // QUIT / CLIENT KILL: nothing after it runs
        }
    }

    @Override
    public void batchComplete(ChannelHandlerContext ctx) {
        if (out == null) {
            return;
        }
        int pending = out.pendingBytes();
        if (pending > 0) {
            server.stats().netOutputBytes.add(pending);
        }
        if (client.closing()) {
            if (out.hasPending()) {
                ctx.writeAndFlush(out.take()).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
            return;
        }
        io.ferrite.core.aof.AofEntry written = context.takeJournaled();
        io.ferrite.core.aof.AppendOnlyFile aof = written == null ? null : server.persistence().aof();
        if (durableReplies.waiting() || (aof != null && aof.policy() == io.ferrite.core.aof.FsyncPolicy.ALWAYS)) {
            if (out.hasPending()) {
                durableReplies.add(ctx, out.take(), written, aof);
            } else if (written != null) {
                durableReplies.add(ctx, ctx.alloc().buffer(0), written, aof);
            }
            return;
        }
        out.flush(ctx);
        enforceOutputLimit(ctx);
    }

    @Override
    public int protocol() {
        return client.protocol();
    }

    @Override
    public void push(ByteBuf message) {
        var loop = channelContext.executor();
        if (loop.inEventLoop()) {
            pushHere(message);
            return;
        }
        incoming.offer(message);
        if (drainQueued.compareAndSet(false, true)) {
            try {
                loop.execute(this::drainIncoming);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // The server is stopping: what is queued goes with the process (only the event
                // loop may poll the queue, and a drain of it may still be running).
            }
        }
    }

    private void drainIncoming() {
        drainQueued.set(false);
        ByteBuf message;
        while ((message = incoming.poll()) != null) {
            pushHere(message);
        }
    }

    private void releaseIncoming() {
        ByteBuf message;
        while ((message = incoming.poll()) != null) {
            message.release();
        }
    }

    /**
     * Queues a pushed message behind what the connection already has: inside a command of its
     * own it joins that command's output (Redis's order), behind a batch's replies it waits for
     * them, otherwise it is written at once and flushed when the event loop's current work ends.
     */
    private void pushHere(ByteBuf message) {
        ChannelHandlerContext ctx = channelContext;
        if (client.closing() || !ctx.channel().isActive()) {
            message.release();
        } else if (dispatching) {
            context.push(message);
        } else if (out.hasPending()) {
            out.raw(message);
        } else if (durableReplies.waiting()) {
            durableReplies.add(ctx, message, null, null);
        } else {
            server.stats().netOutputBytes.add(message.readableBytes());
            ctx.write(message, ctx.voidPromise());
            if (!pushFlushQueued) {
                pushFlushQueued = true;
                ctx.executor().execute(() -> {
                    pushFlushQueued = false;
                    ctx.flush();
                    if (!client.closing()) {
                        enforceOutputLimit(ctx);
                    }
                });
            }
        }
    }

    /** Closes a client whose unsent output exceeds client-output-buffer-limit (pubsub class while subscribed). */
    private void enforceOutputLimit(ChannelHandlerContext ctx) {
        var limits = server.config().get(Directives.CLIENT_OUTPUT_BUFFER_LIMIT);
        OutputBufferLimit limit = client.subscribed() ? limits.pubsub() : limits.normal();
        if (limit.hardBytes() == 0 && limit.softBytes() == 0) {
            return;
        }
        var outbound = ctx.channel().unsafe().outboundBuffer();
        long queued = outbound == null ? 0 : outbound.totalPendingWriteBytes();
        boolean overHard = limit.hardBytes() > 0 && queued > limit.hardBytes();
        boolean overSoft = limit.softBytes() > 0 && queued > limit.softBytes();
        long now = System.currentTimeMillis();
        if (overSoft && softLimitSinceMillis == 0) {
            softLimitSinceMillis = now;
        } else if (!overSoft) {
            softLimitSinceMillis = 0;
        }
        boolean softExpired = overSoft && now - softLimitSinceMillis >= limit.softSeconds() * 1000;
        if (overHard || softExpired) {
            server.stats().clientsKilledByOutputBuffer.increment();
            client.closing(true);
            decoder.suspend();
            ctx.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (client != null && !client.closing()) {
            enforceOutputLimit(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.close(); // Redis closes idle clients silently after `timeout` seconds
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (client != null) {
            server.clients().remove(client);
            client.closing(true);
            server.pubsub().unsubscribeAll(client.subscriptions());
        }
        if (out != null) {
            out.discard();
        }
        durableReplies.discard();
        releaseIncoming();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            ctx.close(); // connection reset and the like: the client is gone, nothing to tell it
            return;
        }
        // A bug in a handler: say so loudly, tell the client, and drop the connection (its
        // request stream can no longer be trusted).
        log.error("Closing client {} after an internal error", client == null ? "?" : client.remoteAddress(), cause);
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.copiedBuffer("-ERR internal error: " + cause + "\r\n", StandardCharsets.UTF_8))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }
}
