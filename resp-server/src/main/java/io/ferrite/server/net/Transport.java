package io.ferrite.server.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;

import java.util.Objects;

/**
 * A Netty transport ready to use: the I/O handler factory for event loops, and the matching
 * server and client channel classes (they must come from the same transport as the loops).
 *
 * @param name               "io_uring", "epoll" or "nio", for the startup banner and logs
 * @param ioHandlerFactory   for {@link MultiThreadIoEventLoopGroup}
 * @param serverChannelClass for {@code ServerBootstrap.channel}
 * @param channelClass       for client connections ({@code Bootstrap.channel}), e.g. replication
 */
public record Transport(String name,
                        IoHandlerFactory ioHandlerFactory,
                        Class<? extends ServerSocketChannel> serverChannelClass,
                        Class<? extends SocketChannel> channelClass) {

    public Transport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ioHandlerFactory, "ioHandlerFactory");
        Objects.requireNonNull(serverChannelClass, "serverChannelClass");
        Objects.requireNonNull(channelClass, "channelClass");
    }

    /** A new event loop group of {@code threads} threads on this transport. */
    public MultiThreadIoEventLoopGroup newEventLoopGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
    }
}
