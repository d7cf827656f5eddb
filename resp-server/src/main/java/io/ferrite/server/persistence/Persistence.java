package io.ferrite.server.persistence;

import io.ferrite.core.aof.AofFormatException;
import io.ferrite.core.aof.AppendOnlyFile;
import io.ferrite.core.aof.FsyncPolicy;
import io.ferrite.server.ServerContext;
import io.ferrite.server.config.Directives;
import io.ferrite.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's persistence: the append-only file when {@code appendonly yes} (opened and
 * replayed at start, switched on and off by CONFIG SET), the loading state, and the counters
 * INFO persistence reports.
 */
public final class Persistence implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Persistence.class);
    private final ServerContext server;
    private final LoadingState loading = new LoadingState();
    private final LongAdder changes = new LongAdder();
    private volatile AppendOnlyFile aof;

    public Persistence(ServerContext server) {
        this.server = server;
    }

    /**
     * Called before the server listens: with appendonly yes, commands answer -LOADING from the
     * first connection on, until {@link #start} has loaded the data.
     */
    public void beforeListening() {
        if (server.config().get(Directives.APPENDONLY)) {
            loading.expect();
        }
    }

    /** Opens the AOF and replays it (with appendonly yes), then starts logging. Blocks until loaded. */
    public void start() throws IOException, AofFormatException, Exception {
        server.store().subscribe((db, key, kind) -> changes.increment());
        ServerConfig config = server.config();
        bindConfig(config);
        if (!config.get(Directives.APPENDONLY)) {
            return;
        }
        try {
            AppendOnlyFile opened = open(config);
            try {
                AofLoader.Loaded loaded = new AofLoader(server, loading).load(opened, config.get(Directives.AOF_LOAD_TRUNCATED));
                log.info("DB loaded from append only file: {} commands, {} bytes in {} ms", loaded.commands(), loaded.bytes(), loaded.millis());
            } catch (Exception e) {
                opened.close();
                throw e;
            }
            opened.attach(server.store());
            aof = opened;
        } finally {
            loading.end(); // only now: no write may run unlogged between the load and the AOF
        }
    }

    private AppendOnlyFile open(ServerConfig config) throws IOException, AofFormatException {
        AppendOnlyFile opened = AppendOnlyFile.open(aofDirectory(config), config.get(Directives.APPENDFILENAME),
                FsyncPolicy.parse(config.get(Directives.APPENDFSYNC)));
        opened.autoRewrite(config.get(Directives.AUTO_AOF_REWRITE_PERCENTAGE), config.get(Directives.AUTO_AOF_REWRITE_MIN_SIZE));
        return opened;
    }

    private static Path aofDirectory(ServerConfig config) {
        return Path.of(config.get(Directives.DIR)).toAbsolutePath().normalize().resolve(config.get(Directives.APPENDDIRNAME));
    }

    private void bindConfig(ServerConfig config) {
        config.addListener(Directives.APPENDFSYNC, (d, old, now) -> {
            AppendOnlyFile current = aof;
            if (current != null) {
                current.policy(FsyncPolicy.parse((String) now));
            }
        });
        config.addListener(Directives.AUTO_AOF_REWRITE_PERCENTAGE, (d, old, now) -> autoRewrite(config));
        config.addListener(Directives.AUTO_AOF_REWRITE_MIN_SIZE, (d, old, now) -> autoRewrite(config));
        config.addListener(Directives.APPENDONLY, (d, old, now) -> appendOnly((Boolean) now));
    }

    private void autoRewrite(ServerConfig config) {
        AppendOnlyFile current = aof;
        if (current != null) {
            current.autoRewrite(config.get(Directives.AUTO_AOF_REWRITE_PERCENTAGE), config.get(Directives.AUTO_AOF_REWRITE_MIN_SIZE));
        }
    }

    /**
     * CONFIG SET appendonly: on, the AOF starts with a rewrite that puts the whole current
     * dataset in a new base (as Redis's does); off, it is fsynced and closed.
     */
    private synchronized void appendOnly(boolean on) {
        try {
            if (on && aof == null) {
                AppendOnlyFile opened = open(server.config());
                opened.attach(server.store());
                aof = opened;
                opened.startRewrite();
            } else if (!on && aof != null) {
                AppendOnlyFile closing = aof;
                aof = null;
                closing.close();
            }
        } catch (IOException | AofFormatException e) {
            log.error("Could not turn the append only file {}: {}", on ? "on" : "off", e.getMessage(), e);
        }
    }

    /**
     * DEBUG LOADAOF: writes and fsyncs what is queued, empties the dataset and loads it again
     * from the AOF files, as Redis's does. Writes of other clients wait meanwhile (as after
     * CLIENT PAUSE WRITE) and other commands answer -LOADING; neither the flush nor the reload
     * is logged. Must not run on an event loop (the load may wait for disk reads).
     */
    public synchronized void reloadAof() throws Exception {
        AppendOnlyFile current = aof;
        if (current == null) {
            throw new IllegalStateException("appendonly is off");
        }
        server.pause(System.currentTimeMillis() + java.util.concurrent.TimeUnit.MINUTES.toMillis(10), true);
        try {
            current.sync();
            current.suspend();
            loading.expect();
            try {
                server.store().keys().flushAll();
                AofLoader.Loaded loaded = new AofLoader(server, loading).load(current, server.config().get(Directives.AOF_LOAD_TRUNCATED));
                log.warn("Append Only File loaded by DEBUG LOADAOF: {} commands in {} ms", loaded.commands(), loaded.millis());
            } finally {
                current.resume();
                loading.end();
            }
        } finally {
            server.unpause();
        }
    }

    /** The append-only file, or null when appendonly is off. */
    public AppendOnlyFile aof() {
        return aof;
    }

    public LoadingState loading() {
        return loading;
    }

    /** Changes of the keyspace since start (Redis's dirty counter; there is no RDB save yet). */
    public long changes() {
        return changes.sum();
    }

    @Override
    public void close() {
        AppendOnlyFile current = aof;
        aof = null;
        if (current != null) {
            current.close();
        }
    }
}
