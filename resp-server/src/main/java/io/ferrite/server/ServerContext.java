package io.ferrite.server;

import io.ferrite.core.FerriteStore;
import io.ferrite.server.client.ClientRegistry;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.config.ServerConfig;
import io.ferrite.server.stats.CommandStats;
import io.ferrite.server.stats.LatencyMonitor;
import io.ferrite.server.stats.ServerStats;
import io.ferrite.server.stats.SlowLog;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Everything the command handlers share across connections: the engine, the configuration,
 * the command table, the clients and the statistics. One per server.
 */
public final class ServerContext {
    /** The Redis version Ferrite reports (clients gate features on it). */
    public static final String REDIS_VERSION = "7.0.15";
    public static final String FERRITE_VERSION = "0.1.0";

    private final FerriteStore store;
    private final ServerConfig config;
    private final Optional<Path> configFile;
    private final CommandTable commands;
    private final ClientRegistry clients = new ClientRegistry();
    private final io.ferrite.server.pubsub.PubSub pubsub = new io.ferrite.server.pubsub.PubSub();
    private final ServerStats stats = new ServerStats();
    private final CommandStats commandStats = new CommandStats();
    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latency = new LatencyMonitor();
    private final long startedAtMillis = System.currentTimeMillis();
    private final String runId;
    private volatile String transportName = "nio";
    private volatile int port;
    /** CLIENT PAUSE: until when (epoch ms), and whether only writes are paused. */
    private volatile long pausedUntilMillis;
    private volatile boolean pauseWritesOnly;
    private volatile Runnable shutdownAction = () -> { };
    private final java.util.Set<Runnable> postponed = new java.util.LinkedHashSet<>();
    private final io.ferrite.server.persistence.Persistence persistence;

    public ServerContext(FerriteStore store, ServerConfig config, Optional<Path> configFile, CommandTable commands) {
        this.store = store;
        this.config = config;
        this.configFile = configFile;
        this.commands = commands;
        this.persistence = new io.ferrite.server.persistence.Persistence(this);
        for (io.ferrite.server.command.CommandSpec spec : commands.commands()) {
            commandStats.register(spec.fullName(), spec.stats());
            spec.subcommands().values().forEach(sub -> commandStats.register(sub.fullName(), sub.stats()));
        }
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
    }

    public FerriteStore store() { return store; }
    public io.ferrite.server.persistence.Persistence persistence() { return persistence; }
    public ServerConfig config() { return config; }
    public Optional<Path> configFile() { return configFile; }
    public CommandTable commands() { return commands; }
    public ClientRegistry clients() { return clients; }
    public io.ferrite.server.pubsub.PubSub pubsub() { return pubsub; }
    public ServerStats stats() { return stats; }
    public CommandStats commandStats() { return commandStats; }
    public SlowLog slowLog() { return slowLog; }
    public LatencyMonitor latency() { return latency; }
    public long startedAtMillis() { return startedAtMillis; }
    public String runId() { return runId; }
    public String transportName() { return transportName; }
    public void transportName(String name) { this.transportName = name; }
    public int port() { return port; }
    public void port(int port) { this.port = port; }

    public long pausedUntilMillis() { return pausedUntilMillis; }
    public boolean pauseWritesOnly() { return pauseWritesOnly; }

    public void pause(long untilMillis, boolean writesOnly) {
        this.pauseWritesOnly = writesOnly;
        this.pausedUntilMillis = untilMillis;
    }

    /** Ends a pause early and wakes every postponed client. */
    public void unpause() {
        this.pausedUntilMillis = 0;
        java.util.List<Runnable> waiting;
        synchronized (postponed) {
            waiting = new java.util.ArrayList<>(postponed);
            postponed.clear();
        }
        waiting.forEach(Runnable::run);
    }

    /** True when a command ({@code write} says whether it writes) must wait for CLIENT PAUSE to end. */
    public boolean isPaused(boolean write) {
        return System.currentTimeMillis() < pausedUntilMillis && (write || !pauseWritesOnly);
    }

    /** Registers a client to wake when the pause ends (or UNPAUSE comes); returns false if it already ended. */
    public boolean postpone(Runnable wake) {
        synchronized (postponed) {
            if (pausedUntilMillis == 0) {
                return false;
            }
            postponed.add(wake);
            return true;
        }
    }

    public void cancelPostponed(Runnable wake) {
        synchronized (postponed) {
            postponed.remove(wake);
        }
    }

    /** What SHUTDOWN runs (stops the server; set by whoever started it). */
    public void shutdownAction(Runnable action) {
        this.shutdownAction = action;
    }

    public void shutdown() {
        shutdownAction.run();
    }
}
