package io.ferrite.server;

import io.ferrite.server.command.Dispatcher;
import io.ferrite.server.config.Directives;
import io.ferrite.server.config.ProtocolLimitsBinding;
import io.ferrite.server.net.Transport;
import io.ferrite.server.net.TransportSelector;
import io.ferrite.server.protocol.ProtocolLimits;
import io.ferrite.server.protocol.RespDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The network side: Netty event loops (io-threads, default half the cores; io_uring where it loads, epoll or NIO
 * otherwise) accepting RESP connections on the configured addresses. Commands run on the
 * event loop that read them, straight against the shared engine.
 */
public final class FerriteServer implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FerriteServer.class);
    private final ServerContext server;
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final List<Channel> listeners = new ArrayList<>();
    private final ProtocolLimits limits;
    private final Dispatcher dispatcher;
    /** Counts bytes read for INFO's total_net_input_bytes; stateless, so one serves every channel. */
    private final io.netty.channel.ChannelInboundHandler inputCounter;

    public FerriteServer(ServerContext server) {
        this.server = server;
        this.transport = TransportSelector.select(server.config().get(Directives.TRANSPORT));
        long ioThreads = server.config().get(Directives.IO_THREADS);
        // Default: half the cores. The kernel's network work and co-located clients need CPU too;
        // on 2 cores one loop beat two in every redis-benchmark case (docs/benchmarks.md).
        int threads = ioThreads > 0 ? (int) ioThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        this.boss = transport.newEventLoopGroup(1);
        this.workers = transport.newEventLoopGroup(threads);
        // An event loop never waits for a disk read: the engine says "pending" and the
        // connection resumes the command when the read completes (Dispatcher).
        for (io.netty.util.concurrent.EventExecutor loop : workers) {
            loop.execute(io.ferrite.core.api.DiskReads::failFastOnThisThread);
        }
        this.limits = ProtocolLimitsBinding.bind(server.config());
        this.dispatcher = new Dispatcher(server);
        this.inputCounter = new InputCounter(server.stats().netInputBytes);
        server.transportName(transport.name());
    }

    public Transport transport() {
        return transport;
    }

    /** Binds every configured address; returns the port bound (useful with port 0). */
    public int start() throws InterruptedException {
        int port = server.config().getInt(Directives.PORT);
        List<String> binds = server.config().get(Directives.BIND);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, (int) (long) server.config().get(Directives.TCP_BACKLOG))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, server.config().get(Directives.TCP_KEEPALIVE) > 0)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline pipeline = ch.pipeline();
                        long timeout = server.config().get(Directives.TIMEOUT);
                        if (timeout > 0) {
                            pipeline.addLast(new IdleStateHandler(0, 0, timeout, TimeUnit.SECONDS));
                        }
                        ConnectionHandler connection = new ConnectionHandler(server, dispatcher);
                        RespDecoder decoder = new RespDecoder(connection, limits);
                        connection.decoder(decoder);
                        pipeline.addLast(inputCounter, decoder, connection);
                    }
                });
        int bound = port;
        for (String host : binds.isEmpty() ? List.of("127.0.0.1") : binds) {
            // As in redis.conf, a leading '-' marks an address that may be unavailable (e.g. no IPv6).
            boolean optional = host.startsWith("-");
            String address = optional ? host.substring(1) : host;
            try {
                Channel channel = bootstrap.bind(new InetSocketAddress(address, bound)).sync().channel();
                bound = ((InetSocketAddress) channel.localAddress()).getPort();
                listeners.add(channel);
            } catch (Exception e) {
                if (!optional) {
                    close();
                    throw e;
                }
                log.warn("Could not bind optional address {}: {}", address, e.getMessage());
            }
        }
        if (listeners.isEmpty()) {
            close();
            throw new IllegalStateException("could not bind any address of " + binds);
        }
        server.port(bound);
        boss.next().scheduleAtFixedRate(server.stats()::sample, 100, 100, TimeUnit.MILLISECONDS);
        return bound;
    }

    @Override
    public void close() {
        for (Channel channel : listeners) {
            channel.close().syncUninterruptibly();
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @io.netty.channel.ChannelHandler.Sharable
    private static final class InputCounter extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final java.util.concurrent.atomic.LongAdder bytes;

        InputCounter(java.util.concurrent.atomic.LongAdder bytes) {
            this.bytes = bytes;
        }

        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.buffer.ByteBuf buf) {
                bytes.add(buf.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }
}
