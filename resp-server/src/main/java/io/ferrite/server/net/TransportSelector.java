package io.ferrite.server.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

/**
 * Picks the Netty transport: io_uring if the kernel (and any seccomp policy) allows it, else
 * epoll, else NIO, which works everywhere. A choice can be forced with the system property
 * {@value #PROPERTY} or the {@code transport} directive ({@code auto|io_uring|epoll|nio});
 * forcing one that is unavailable fails with the reason instead of silently running slower.
 *
 * <p>The native transports are looked up by class name: their classes are runtime-only
 * dependencies of the build (the native artifacts declare them so), and a platform without
 * them must still get NIO rather than a {@code NoClassDefFoundError}.
 */
public final class TransportSelector {
    /** System property that overrides the configured choice. */
    public static final String PROPERTY = "ferrite.transport";

    private static final Native IO_URING = new Native("io_uring", "io.netty.channel.uring.IoUring",
            "io.netty.channel.uring.IoUringIoHandler", "io.netty.channel.uring.IoUringServerSocketChannel",
            "io.netty.channel.uring.IoUringSocketChannel");
    private static final Native EPOLL = new Native("epoll", "io.netty.channel.epoll.Epoll",
            "io.netty.channel.epoll.EpollIoHandler", "io.netty.channel.epoll.EpollServerSocketChannel",
            "io.netty.channel.epoll.EpollSocketChannel");

    private TransportSelector() {
    }

    /** The transport named by {@value #PROPERTY}, or the best available one. */
    public static Transport select() {
        return select("auto");
    }

    /**
     * The transport for {@code configured} ("auto", "io_uring", "epoll" or "nio"); the system
     * property {@value #PROPERTY}, when set, takes precedence.
     *
     * @throws IllegalStateException    if the requested transport is not available here
     * @throws IllegalArgumentException if the name is unknown
     */
    public static Transport select(String configured) {
        String choice = System.getProperty(PROPERTY, configured).trim().toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "auto", "" -> {
                if (IO_URING.available()) {
                    yield IO_URING.transport();
                }
                if (EPOLL.available()) {
                    yield EPOLL.transport();
                }
                yield nio();
            }
            case "io_uring", "iouring", "io-uring" -> IO_URING.require();
            case "epoll" -> EPOLL.require();
            case "nio" -> nio();
            default -> throw new IllegalArgumentException(
                    "unknown transport '" + choice + "' (expected auto, io_uring, epoll or nio)");
        };
    }

    /** NIO: always available. */
    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /** A native transport reached through its class names. */
    private record Native(String name, String availabilityClass, String handlerClass,
                          String serverChannelClass, String channelClass) {

        boolean available() {
            try {
                return (Boolean) Class.forName(availabilityClass).getMethod("isAvailable").invoke(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }

        /** Why the transport is unavailable, as its own probe reports it. */
        String unavailability() {
            try {
                Object cause = Class.forName(availabilityClass).getMethod("unavailabilityCause").invoke(null);
                return cause == null ? "unknown reason" : cause.toString();
            } catch (ReflectiveOperationException | LinkageError e) {
                return "its classes are not on the class path (" + e + ")";
            }
        }

        Transport require() {
            if (!available()) {
                throw new IllegalStateException(name + " transport is not available: " + unavailability());
            }
            return transport();
        }

        Transport transport() {
            try {
                IoHandlerFactory factory = (IoHandlerFactory) Class.forName(handlerClass).getMethod("newFactory").invoke(null);
                return new Transport(name, factory,
                        Class.forName(serverChannelClass).asSubclass(ServerSocketChannel.class),
                        Class.forName(channelClass).asSubclass(SocketChannel.class));
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("cannot start the " + name + " transport", e.getCause());
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("cannot start the " + name + " transport", e);
            }
        }
    }
}
