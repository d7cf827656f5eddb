package io.ferrite.server.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportSelectorTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(TransportSelector.PROPERTY);
    }

    /** Binds a server on an ephemeral loopback port, connects, and echoes one message through it. */
    private static void assertServes(Transport transport) throws Exception {
        MultiThreadIoEventLoopGroup group = transport.newEventLoopGroup(1);
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannelClass())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ctx.writeAndFlush(msg); // echo
                                }
                            });
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            CompletableFuture<String> echoed = new CompletableFuture<>();
            Channel client = new Bootstrap()
                    .group(group)
                    .channel(transport.channelClass())
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf buf = (ByteBuf) msg;
                            echoed.complete(buf.toString(StandardCharsets.US_ASCII));
                            buf.release();
                        }
                    })
                    .connect(server.localAddress()).sync().channel();
            client.writeAndFlush(Unpooled.copiedBuffer("+PING\r\n", StandardCharsets.US_ASCII)).sync();
            assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("+PING\r\n");
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void selectedTransportServesConnections() throws Exception {
        Transport transport = TransportSelector.select();
        assertThat(transport.name()).isIn("io_uring", "epoll", "nio");
        assertServes(transport);
    }

    @Test
    void nioIsAlwaysAvailable() throws Exception {
        System.setProperty(TransportSelector.PROPERTY, "nio");
        Transport transport = TransportSelector.select("epoll");
        assertThat(transport.name()).isEqualTo("nio");
        assertServes(transport);
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring"})
    void forcedNativeTransportServesOrExplainsWhyNot(String name) throws Exception {
        Transport transport;
        try {
            transport = TransportSelector.select(name);
        } catch (IllegalStateException unavailable) {
            assertThat(unavailable).hasMessageStartingWith(name + " transport is not available: ");
            assumeTrue(false, unavailable.getMessage());
            return;
        }
        assertThat(transport.name()).isEqualTo(name);
        assertServes(transport);
    }

    @Test
    void unknownNameIsRefused() {
        assertThatThrownBy(() -> TransportSelector.select("kqueue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown transport 'kqueue'");
    }
}
