package io.ferrite.server.family;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.LogStats;
import io.ferrite.server.ServerContext;
import io.ferrite.server.config.Directives;
import io.ferrite.server.stats.CommandStats;
import io.ferrite.server.stats.ServerStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The INFO text: Redis 7's sections and field names (clients and tools parse them), plus
 * Ferrite's own fields about the engine where Redis has no equivalent, prefixed "ferrite_".
 */
final class InfoReport {
    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");
    private static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "cluster", "keyspace");

    private InfoReport() {}

    static String render(ServerContext server, List<String> requested) {
        List<String> sections;
        if (requested.isEmpty() || requested.contains("default")) {
            sections = DEFAULT;
        } else if (requested.contains("all") || requested.contains("everything")) {
            sections = ALL;
        } else {
            sections = ALL.stream().filter(requested::contains).toList();
        }
        StringBuilder out = new StringBuilder();
        for (String section : sections) {
            int before = out.length();
            if (!out.isEmpty()) {
                out.append("\r\n");
            }
            switch (section) {
                case "server" -> server(server, out);
                case "clients" -> clients(server, out);
                case "memory" -> memory(server, out);
                case "persistence" -> persistence(server, out);
                case "stats" -> stats(server, out);
                case "replication" -> replication(server, out);
                case "cpu" -> cpu(out);
                case "modules" -> out.append("# Modules\r\n");
                case "commandstats" -> commandStats(server, out);
                case "errorstats" -> out.append("# Errorstats\r\n");
                case "cluster" -> out.append("# Cluster\r\ncluster_enabled:0\r\n");
                case "keyspace" -> keyspace(server, out);
                default -> out.setLength(before);
            }
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, Object value) {
        out.append(name).append(':').append(value).append("\r\n");
    }

    private static void server(ServerContext server, StringBuilder out) {
        long uptime = (System.currentTimeMillis() - server.startedAtMillis()) / 1000;
        out.append("# Server\r\n");
        field(out, "redis_version", ServerContext.REDIS_VERSION);
        field(out, "ferrite_version", ServerContext.FERRITE_VERSION);
        field(out, "redis_git_sha1", "00000000");
        field(out, "redis_git_dirty", 0);
        field(out, "redis_build_id", "0");
        field(out, "redis_mode", "standalone");
        field(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        field(out, "arch_bits", 64);
        field(out, "monotonic_clock", "POSIX clock_gettime");
        field(out, "multiplexing_api", server.transportName());
        field(out, "atomicvar_api", "java-varhandle");
        field(out, "java_version", Runtime.version());
        field(out, "process_id", ProcessHandle.current().pid());
        field(out, "process_supervised", "no");
        field(out, "run_id", server.runId());
        field(out, "tcp_port", server.port());
        field(out, "server_time_usec", System.currentTimeMillis() * 1000);
        field(out, "uptime_in_seconds", uptime);
        field(out, "uptime_in_days", uptime / 86400);
        field(out, "hz", server.config().get(Directives.HZ));
        field(out, "configured_hz", server.config().get(Directives.HZ));
        field(out, "lru_clock", (System.currentTimeMillis() / 1000) & ((1 << 24) - 1));
        field(out, "executable", ProcessHandle.current().info().command().orElse(""));
        field(out, "config_file", server.configFile().map(p -> p.toAbsolutePath().toString()).orElse(""));
        field(out, "io_threads_active", 0);
    }

    private static void clients(ServerContext server, StringBuilder out) {
        out.append("# Clients\r\n");
        field(out, "connected_clients", server.clients().size());
        field(out, "cluster_connections", 0);
        field(out, "maxclients", server.config().get(Directives.MAXCLIENTS));
        field(out, "client_recent_max_input_buffer", 0);
        field(out, "client_recent_max_output_buffer", 0);
        field(out, "blocked_clients", 0);
        field(out, "tracking_clients", 0);
        field(out, "clients_in_timeout_table", 0);
    }

    private static void memory(ServerContext server, StringBuilder out) {
        FerriteStore store = server.store();
        Runtime runtime = Runtime.getRuntime();
        long heapUsed = runtime.totalMemory() - runtime.freeMemory();
        long engine = store.usedMemory();
        long used = engine + heapUsed;
        long rss = rss();
        long maxmemory = server.config().get(Directives.MAXMEMORY);
        long total = totalSystemMemory();
        out.append("# Memory\r\n");
        field(out, "used_memory", used);
        field(out, "used_memory_human", human(used));
        field(out, "used_memory_rss", rss);
        field(out, "used_memory_rss_human", human(rss));
        field(out, "used_memory_dataset", engine);
        field(out, "used_memory_dataset_human", human(engine));
        field(out, "total_system_memory", total);
        field(out, "total_system_memory_human", human(total));
        field(out, "maxmemory", maxmemory);
        field(out, "maxmemory_human", human(maxmemory));
        field(out, "maxmemory_policy", server.config().get(Directives.MAXMEMORY_POLICY));
        field(out, "mem_fragmentation_ratio", String.format(Locale.ROOT, "%.2f", used == 0 ? 0.0 : (double) rss / used));
        field(out, "mem_allocator", "ferrite-hybridlog");
        field(out, "ferrite_engine_memory", engine);
        field(out, "ferrite_log_memory", store.logMemory());
        field(out, "ferrite_index_memory", store.indexMemory());
        field(out, "ferrite_heap_used", heapUsed);
        field(out, "ferrite_heap_committed", runtime.totalMemory());
        tiers(server, out);
    }

    /**
     * The HybridLog's tiers: bytes per tier, page moves, cold reads, compaction, and per shard the
     * region boundaries (logical addresses) and the bytes of each cold segment file.
     */
    private static void tiers(ServerContext server, StringBuilder out) {
        FerriteStore store = server.store();
        List<LogStats> logs = store.logStats();
        long[] moves = store.pageMoves();
        long[] compactions = store.compactionTotals();
        field(out, "ferrite_hlog_tiered", store.config().tiered() ? 1 : 0);
        field(out, "ferrite_hlog_compression", store.config().tiered() ? server.config().get(Directives.COMPRESSION) : "none");
        field(out, "ferrite_hlog_mutable_bytes", logs.stream().mapToLong(LogStats::mutableBytes).sum());
        field(out, "ferrite_hlog_offheap_bytes", logs.stream().mapToLong(LogStats::offHeapBytes).sum());
        field(out, "ferrite_hlog_warm_bytes", logs.stream().mapToLong(LogStats::warmBytes).sum());
        field(out, "ferrite_hlog_cold_cache_bytes", logs.stream().mapToLong(LogStats::coldCacheBytes).sum());
        field(out, "ferrite_hlog_cold_directory_bytes", logs.stream().mapToLong(LogStats::directoryBytes).sum());
        field(out, "ferrite_hlog_disk_bytes", logs.stream().mapToLong(LogStats::diskBytes).sum());
        field(out, "ferrite_hlog_disk_raw_bytes", logs.stream().mapToLong(LogStats::diskRawBytes).sum());
        field(out, "ferrite_hlog_cold_reads", logs.stream().mapToLong(LogStats::coldReads).sum());
        field(out, "ferrite_hlog_cold_reads_pagecache", logs.stream().mapToLong(LogStats::pageCacheReads).sum());
        field(out, "ferrite_hlog_disk_read_waits", server.stats().diskReadWaits.sum());
        field(out, "ferrite_hlog_memory_waits", server.stats().memoryWaits.sum());
        field(out, "ferrite_hlog_pages_to_warm", moves[0]);
        field(out, "ferrite_hlog_pages_to_cold", moves[1]);
        field(out, "ferrite_hlog_reused_records", logs.stream().mapToLong(LogStats::reusedRecords).sum());
        field(out, "ferrite_compaction_in_progress", store.compactionRunning() ? 1 : 0);
        field(out, "ferrite_compactions", compactions[0]);
        field(out, "ferrite_compaction_reclaimed_bytes", compactions[1]);
        for (LogStats log : logs) {
            StringBuilder segments = new StringBuilder();
            log.segmentBytes().forEach((segment, bytes) -> segments.append(segments.isEmpty() ? "" : "/").append(segment).append(':').append(bytes));
            field(out, "ferrite_shard" + log.shard(), "begin=" + log.begin() + ",head=" + log.head() + ",readonly="
                    + log.readOnly() + ",tail=" + log.tail() + ",log_bytes=" + log.logBytes() + ",dead_bytes="
                    + log.deadBytes() + ",disk_bytes=" + log.diskBytes() + ",segments=" + segments);
        }
    }

    private static void persistence(ServerContext server, StringBuilder out) {
        io.ferrite.server.persistence.Persistence persistence = server.persistence();
        io.ferrite.server.persistence.LoadingState loading = persistence.loading();
        io.ferrite.core.aof.AppendOnlyFile aof = persistence.aof();
        out.append("# Persistence\r\n");
        field(out, "loading", loading.loading() ? 1 : 0);
        field(out, "async_loading", 0);
        field(out, "rdb_changes_since_last_save", persistence.changesSinceLastSave());
        field(out, "rdb_bgsave_in_progress", persistence.saveInProgress() ? 1 : 0);
        field(out, "rdb_last_save_time", persistence.lastSaveSeconds());
        field(out, "rdb_last_bgsave_status", persistence.lastSaveOk() ? "ok" : "err");
        field(out, "rdb_last_bgsave_time_sec", persistence.lastSaveDurationSeconds());
        field(out, "rdb_current_bgsave_time_sec", persistence.currentSaveSeconds());
        field(out, "rdb_saves", persistence.saves());
        field(out, "rdb_last_cow_size", 0); // no fork, no copy-on-write
        field(out, "rdb_last_load_keys_expired", persistence.lastLoadExpired());
        field(out, "rdb_last_load_keys_loaded", persistence.lastLoadKeys());
        field(out, "aof_enabled", aof != null ? 1 : 0);
        field(out, "aof_rewrite_in_progress", aof != null && aof.rewriteInProgress() ? 1 : 0);
        field(out, "aof_rewrite_scheduled", 0);
        long lastRewrite = aof == null ? -1 : aof.lastRewriteMillis();
        field(out, "aof_last_rewrite_time_sec", lastRewrite < 0 ? -1 : lastRewrite / 1000);
        field(out, "aof_current_rewrite_time_sec", aof == null ? -1 : aof.currentRewriteSeconds());
        field(out, "aof_last_bgrewrite_status", aof != null && aof.lastRewriteFailed() ? "err" : "ok");
        field(out, "aof_rewrites", aof == null ? 0 : aof.rewrites());
        field(out, "aof_last_write_status", aof != null && aof.lastWriteFailed() ? "err" : "ok");
        if (aof != null) {
            field(out, "aof_current_size", aof.currentSize());
            field(out, "aof_base_size", aof.baseSize());
            field(out, "aof_pending_rewrite", 0);
            field(out, "aof_buffer_length", 0);
            field(out, "aof_pending_bio_fsync", 0);
            field(out, "aof_delayed_fsync", 0);
            field(out, "ferrite_aof_fsync", aof.policy().redisName());
            field(out, "ferrite_aof_unjournaled_changes", aof.unjournaledChanges());
            field(out, "ferrite_aof_backlog", aof.backlog());
            field(out, "ferrite_aof_last_rewrite_base", aof.lastRewriteBase());
        }
        io.ferrite.core.checkpoint.Checkpoints checkpoints = server.store().checkpoints();
        field(out, "ferrite_checkpoints", checkpoints == null ? 0 : 1);
        if (checkpoints != null) {
            io.ferrite.core.checkpoint.CheckpointInfo latest = checkpoints.latest();
            field(out, "ferrite_checkpoint_id", latest == null ? 0 : latest.id());
            field(out, "ferrite_checkpoint_time", latest == null ? -1 : latest.frozenAtMillis() / 1000);
            field(out, "ferrite_checkpoint_bytes", latest == null ? 0 : latest.fileBytes());
            field(out, "ferrite_last_checkpoint_status", persistence.lastCheckpointOk() ? "ok" : "err");
            field(out, "ferrite_restored_from_checkpoint", persistence.restoredFromCheckpoint() ? 1 : 0);
        }
        if (loading.loading()) {
            long total = loading.totalBytes();
            long loaded = loading.loadedBytes();
            long elapsed = Math.max(1, System.currentTimeMillis() - loading.startedMillis());
            field(out, "loading_start_time", loading.startedMillis() / 1000);
            field(out, "loading_total_bytes", total);
            field(out, "loading_loaded_bytes", loaded);
            field(out, "loading_loaded_perc", String.format(Locale.ROOT, "%.2f", total == 0 ? 100.0 : 100.0 * loaded / total));
            field(out, "loading_eta_seconds", loaded == 0 ? 1 : (total - loaded) * elapsed / loaded / 1000);
        }
    }

    private static void stats(ServerContext server, StringBuilder out) {
        ServerStats s = server.stats();
        out.append("# Stats\r\n");
        field(out, "total_connections_received", s.connectionsReceived.sum());
        field(out, "total_commands_processed", s.commandsProcessed.sum());
        field(out, "total_net_input_bytes", s.netInputBytes.sum());
        field(out, "total_net_output_bytes", s.netOutputBytes.sum());
        field(out, "instantaneous_ops_per_sec", Math.round(s.opsPerSecond.perSecond()));
        field(out, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", s.inputBytesPerSecond.perSecond() / 1024));
        field(out, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", s.outputBytesPerSecond.perSecond() / 1024));
        field(out, "rejected_connections", s.rejectedConnections.sum());
        field(out, "expired_keys", s.expiredKeys.sum());
        field(out, "evicted_keys", s.evictedKeys.sum());
        field(out, "keyspace_hits", s.keyspaceHits.sum());
        field(out, "keyspace_misses", s.keyspaceMisses.sum());
        var pubsub = server.pubsub();
        field(out, "pubsub_channels", pubsub.size(io.ferrite.server.pubsub.Subscriptions.Kind.CHANNEL));
        field(out, "pubsub_patterns", pubsub.size(io.ferrite.server.pubsub.Subscriptions.Kind.PATTERN));
        field(out, "pubsubshard_channels", pubsub.size(io.ferrite.server.pubsub.Subscriptions.Kind.SHARD_CHANNEL));
        field(out, "latest_fork_usec", 0);
        field(out, "total_forks", 0);
        field(out, "client_output_buffer_limit_disconnections", s.clientsKilledByOutputBuffer.sum());
        field(out, "total_error_replies", s.errorReplies.sum());
    }

    private static void replication(ServerContext server, StringBuilder out) {
        out.append("# Replication\r\n");
        field(out, "role", "master");
        field(out, "connected_slaves", 0);
        field(out, "master_failover_state", "no-failover");
        field(out, "master_replid", server.runId());
        field(out, "master_replid2", "0000000000000000000000000000000000000000");
        field(out, "master_repl_offset", 0);
        field(out, "second_repl_offset", -1);
        field(out, "repl_backlog_active", 0);
        field(out, "repl_backlog_size", 1048576);
        field(out, "repl_backlog_first_byte_offset", 0);
        field(out, "repl_backlog_histlen", 0);
    }

    private static void cpu(StringBuilder out) {
        double[] times = cpuTimes();
        out.append("# CPU\r\n");
        field(out, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", times[1]));
        field(out, "used_cpu_user", String.format(Locale.ROOT, "%.6f", times[0]));
        field(out, "used_cpu_sys_children", "0.000000");
        field(out, "used_cpu_user_children", "0.000000");
    }

    private static void commandStats(ServerContext server, StringBuilder out) {
        out.append("# Commandstats\r\n");
        Map<String, CommandStats.Entry> sorted = new TreeMap<>(server.commandStats().all());
        for (Map.Entry<String, CommandStats.Entry> e : sorted.entrySet()) {
            long calls = e.getValue().calls.sum();
            long micros = e.getValue().micros.sum();
            out.append("cmdstat_").append(e.getKey()).append(":calls=").append(calls).append(",usec=").append(micros)
                    .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : (double) micros / calls))
                    .append(",rejected_calls=").append(e.getValue().rejectedCalls.sum())
                    .append(",failed_calls=").append(e.getValue().failedCalls.sum()).append("\r\n");
        }
    }

    private static void keyspace(ServerContext server, StringBuilder out) {
        out.append("# Keyspace\r\n");
        FerriteStore store = server.store();
        for (int db = 0; db < store.config().databases(); db++) {
            long keys = store.keys().dbSize(db);
            if (keys > 0) {
                out.append("db").append(db).append(":keys=").append(keys).append(",expires=")
                        .append(store.keys().expiresCount(db)).append(",avg_ttl=0\r\n");
            }
        }
    }

    /** Resident set size from /proc (0 where there is none). */
    static long rss() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** {user, sys} CPU seconds of this process, from /proc/self/stat. */
    private static double[] cpuTimes() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new double[] {Long.parseLong(fields[11]) / 100.0, Long.parseLong(fields[12]) / 100.0};
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0};
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f%s", value, units[unit]);
    }
}
