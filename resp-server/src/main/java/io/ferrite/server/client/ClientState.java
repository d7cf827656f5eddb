package io.ferrite.server.client;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What the server knows about one connection: its id, name, selected database, protocol,
 * authentication, reply mode and the counters CLIENT LIST shows. Written on the connection's
 * event loop; read (racily, for display) by CLIENT LIST and INFO from other threads.
 */
public final class ClientState {
    private final long id;
    private final Channel channel;
    private final long createdAtMillis;
    private volatile String name = "";
    private volatile int db;
    private volatile int protocol = 2;
    private volatile boolean authenticated;
    private volatile String user = "default";
    private volatile String libName = "";
    private volatile String libVersion = "";
    private volatile ReplyMode replyMode = ReplyMode.ON;
    private volatile long lastInteractionMillis;
    private volatile String lastCommand = "NULL";
    private volatile boolean noEvict;
    private volatile boolean closing;
    private volatile long commandCount;
    /** When this client's current write started waiting for memory (System.nanoTime, 0 = not waiting). */
    private long memoryWaitStartedNanos;
    private io.ferrite.server.pubsub.Subscriptions subscriptions;

    public ClientState(long id, Channel channel, boolean authenticated) {
        this.id = id;
        this.channel = channel;
        this.authenticated = authenticated;
        this.createdAtMillis = System.currentTimeMillis();
        this.lastInteractionMillis = createdAtMillis;
    }

    public long id() { return id; }
    /** The connection's Pub/Sub subscriptions (set once, when the connection starts). */
    public io.ferrite.server.pubsub.Subscriptions subscriptions() { return subscriptions; }
    public void subscriptions(io.ferrite.server.pubsub.Subscriptions subscriptions) { this.subscriptions = subscriptions; }
    /** True while the connection is subscribed to any channel or pattern (a Pub/Sub client). */
    public boolean subscribed() { return subscriptions != null && subscriptions.active(); }
    public long memoryWaitStartedNanos() { return memoryWaitStartedNanos; }
    public void memoryWaitStartedNanos(long nanos) { memoryWaitStartedNanos = nanos; }
    public Channel channel() { return channel; }
    public long createdAtMillis() { return createdAtMillis; }
    public String name() { return name; }
    public void name(String name) { this.name = name; }
    public int db() { return db; }
    public void db(int db) { this.db = db; }
    public int protocol() { return protocol; }
    public void protocol(int protocol) { this.protocol = protocol; }
    public boolean authenticated() { return authenticated; }
    public void authenticated(boolean authenticated) { this.authenticated = authenticated; }
    public String user() { return user; }
    public void user(String user) { this.user = user; }
    public String libName() { return libName; }
    public void libName(String libName) { this.libName = libName; }
    public String libVersion() { return libVersion; }
    public void libVersion(String libVersion) { this.libVersion = libVersion; }
    public ReplyMode replyMode() { return replyMode; }
    public void replyMode(ReplyMode mode) { this.replyMode = mode; }
    public boolean noEvict() { return noEvict; }
    public void noEvict(boolean noEvict) { this.noEvict = noEvict; }
    public boolean closing() { return closing; }
    public void closing(boolean closing) { this.closing = closing; }
    public long lastInteractionMillis() { return lastInteractionMillis; }
    public String lastCommand() { return lastCommand; }
    public long commandCount() { return commandCount; }

    /** Records that a command ran (for idle time, CLIENT LIST's cmd= and timeouts). */
    public void touch(String commandFullName, long nowMillis) {
        lastCommand = commandFullName;
        lastInteractionMillis = nowMillis;
        commandCount++;
    }

    /** "ip:port" of the peer, as CLIENT LIST shows it. */
    public String remoteAddress() {
        return format(channel.remoteAddress());
    }

    /** "ip:port" of the local end. */
    public String localAddress() {
        return format(channel.localAddress());
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return host + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
