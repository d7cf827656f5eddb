package io.ferrite.server;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import io.ferrite.core.api.Compression;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.config.ConfigFileException;
import io.ferrite.server.config.ConfigFileParser;
import io.ferrite.server.config.Directives;
import io.ferrite.server.sql.SqlPort;
import io.ferrite.server.config.ServerArguments;
import io.ferrite.server.config.ServerConfig;
import io.ferrite.server.family.Families;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ferrite-server [config-file] [--directive value ...]}: loads the configuration the
 * way redis-server does, opens the engine, starts the RESP server and prints a banner.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) throws Exception {
        ServerConfig config = new ServerConfig();
        Optional<Path> configFile;
        try {
            ServerArguments arguments = ServerArguments.parse(args);
            configFile = arguments.configFile();
            new ConfigFileParser(config).load(configFile, arguments.options());
        } catch (ConfigFileException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Running running;
        try {
            running = start(config, configFile);
        } catch (Exception e) {
            // Like redis-server: one clear line, no stack trace, non-zero exit.
            System.err.println("Could not start Ferrite on port " + config.get(Directives.PORT) + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Received SIGTERM scheduling shutdown...");
            if (!running.context().persistence().shutdownPrepared()) {
                // As Redis on SIGTERM: save when save points are set (a failure is logged)
                running.context().persistence().prepareShutdown(false, false);
            }
            running.close();
            stopped.countDown();
        }, "ferrite-shutdown"));
        running.context().shutdownAction(() -> Thread.ofPlatform().start(() -> System.exit(0)));
        stopped.await();
    }

    /** A started server and its engine (and its SQL port, null when off); closing stops them. */
    public record Running(ServerContext context, FerriteServer server, int port, SqlPort sql) implements AutoCloseable {
        @Override
        public void close() {
            if (sql != null) {
                sql.close();
            }
            server.close();
            context.persistence().close();
            context.store().close();
            log.info("Ferrite is now ready to exit, bye bye...");
        }
    }

    /** Opens the engine and starts listening, as configured. Used by tests too. */
    public static Running start(ServerConfig config, Optional<Path> configFile) throws InterruptedException, IOException {
        Path dir = Path.of(config.get(Directives.DIR)).toAbsolutePath().normalize();
        Files.createDirectories(dir);
        FerriteStore store = openStore(config, dir);
        CommandTable table = Families.table();
        ServerContext context = new ServerContext(store, config, configFile, table);
        Families.bindConfig(context);
        FerriteServer server = new FerriteServer(context);
        int port;
        context.persistence().beforeListening();
        try {
            port = server.start();
        } catch (Exception e) {
            store.close();
            throw e;
        }
        try {
            // Listening already: clients that connect while the data loads get -LOADING.
            context.persistence().start();
        } catch (Exception e) {
            server.close();
            store.close();
            throw new IOException(e.getMessage(), e);
        }
        SqlPort sql = null;
        long sqlPort = config.get(Directives.SQL_PORT);
        if (sqlPort != 0) {
            try {
                sql = SqlPort.start(store, sqlHost(config), (int) sqlPort);
                log.info("SQL port {} (jdbc:ferrite://host:{})", sql.port(), sql.port());
            } catch (Exception e) {
                server.close();
                context.persistence().close();
                store.close();
                throw new IOException("cannot listen on sql-port " + sqlPort + ": " + e.getMessage(), e);
            }
        }
        log.info(banner(context, dir, port));
        return new Running(context, server, port, sql);
    }

    /** The SQL port's address: the first of bind ("*" for every interface). */
    private static String sqlHost(ServerConfig config) {
        String first = config.get(Directives.BIND).get(0);
        String host = first.startsWith("-") ? first.substring(1) : first;
        return host.equals("*") || host.equals("::*") ? null : host;
    }

    /**
     * Opens the engine. A checkpoint that cannot be restored stops the start, unless
     * checkpoint-fallback is on: the log directory is then moved aside (kept for inspection)
     * and the store starts empty, to load the snapshot or the AOF.
     */
    private static FerriteStore openStore(ServerConfig config, Path dir) throws IOException {
        StoreConfig storeConfig = storeConfig(config, dir);
        try {
            return FerriteStore.open(storeConfig);
        } catch (io.ferrite.core.api.StorageException e) {
            if (e instanceof io.ferrite.core.api.DirectoryInUseException
                    || !storeConfig.checkpoints() || !config.get(Directives.CHECKPOINT_FALLBACK)) {
                throw e;
            }
            Path logDir = dir.resolve("hybridlog");
            Path aside = dir.resolve("hybridlog.unrestorable-" + System.currentTimeMillis());
            log.error("The checkpoint cannot be restored ({}); checkpoint-fallback is on: moving {} to {} and loading"
                    + " the snapshot or the AOF instead", e.getMessage(), logDir, aside.getFileName());
            Files.move(logDir, aside);
            return FerriteStore.open(storeConfig);
        }
    }

    static StoreConfig storeConfig(ServerConfig config, Path dir) {
        long shards = config.get(Directives.SHARDS);
        return StoreConfig.builder()
                .dataDir(config.get(Directives.TIERED_STORAGE) ? dir : null)
                .checkpoints(config.get(Directives.TIERED_STORAGE) && config.get(Directives.CHECKPOINTS))
                .readOnlySize(config.get(Directives.READONLY_SIZE))
                .compression(Compression.parse(config.get(Directives.COMPRESSION)))
                .coldBlockSize((int) (long) config.get(Directives.COLD_BLOCK_SIZE))
                .coldCacheSize(config.get(Directives.COLD_CACHE_SIZE))
                .promoteColdReads(config.get(Directives.PROMOTE_COLD_READS))
                .pageCacheReads(config.get(Directives.PAGECACHE_READS))
                .compactionRatio(config.get(Directives.COMPACTION_DEAD_PERCENT) / 100.0)
                .shards(shards > 0 ? (int) shards : Runtime.getRuntime().availableProcessors())
                .databases(config.getInt(Directives.DATABASES))
                .maxMemory(config.get(Directives.MAXMEMORY))
                .pageSize(config.get(Directives.PAGE_SIZE))
                .segmentSize(config.get(Directives.SEGMENT_SIZE))
                .mutableSize(config.get(Directives.MUTABLE_SIZE))
                .maxKeySize(config.get(Directives.MAX_KEY_SIZE))
                .maxValueSize(Math.min(Math.min(config.get(Directives.MAX_VALUE_SIZE), config.get(Directives.PROTO_MAX_BULK_LEN)),
                        // a record never spans segments, so a segment bounds the largest value too
                        config.get(Directives.SEGMENT_SIZE) - 64))
                .hz(config.getInt(Directives.HZ))
                .build();
    }

    private static String banner(ServerContext context, Path dir, int port) {
        ServerConfig config = context.config();
        long maxmemory = config.get(Directives.MAXMEMORY);
        StoreConfig store = context.store().config();
        String tiers = !store.tiered() ? "memory only"
                : String.format("mutable %s, warm %s, cold %s (%s)", mutable(store),
                        pages(store.warmSlotsPerShard(), store), dir.resolve("hybridlog"), config.get(Directives.COMPRESSION));
        return String.format("Ferrite %s (Redis %s compatible) ready to accept connections: port %d, bind %s,"
                        + " transport %s, %d shards, dir %s, maxmemory %s, page-size %d, log tiers: %s, pid %d",
                ServerContext.FERRITE_VERSION, ServerContext.REDIS_VERSION, port, config.get(Directives.BIND),
                context.transportName(), context.store().config().shards(), dir,
                maxmemory == 0 ? "unlimited" : maxmemory + " bytes", config.get(Directives.PAGE_SIZE), tiers,
                ProcessHandle.current().pid());
    }

    /** "N pages per shard", or "unbounded". */
    /** The shards share the mutable allowance; each may always keep its even part. */
    private static String mutable(StoreConfig store) {
        long total = store.mutablePagesTotal();
        return total == Long.MAX_VALUE ? "unbounded"
                : total + " pages shared by the shards (at least " + store.mutablePagesPerShard() + " each)";
    }

    private static String pages(long perShard, StoreConfig store) {
        return perShard == Long.MAX_VALUE ? "unbounded" : perShard + " pages/shard";
    }
}
