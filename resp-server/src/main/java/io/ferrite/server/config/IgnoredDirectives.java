package io.ferrite.server.config;

import java.util.Set;

/**
 * Redis directives a Ferrite config file may contain but that have no effect here: tuning of
 * Redis's own encodings, allocator, replication and process management. Accepting them lets
 * an existing redis.conf load unchanged; the loader logs each one. Directives whose silent
 * omission would change security or data semantics (rename-command, user, loadmodule,
 * cluster-enabled...) are deliberately absent, so they fail loudly instead.
 */
final class IgnoredDirectives {
    private IgnoredDirectives() {
    }

    static final Set<String> NAMES = Set.of(
            "always-show-logo", "supervised", "pidfile", "syslog-enabled", "syslog-ident", "syslog-facility",
            "crash-log-enabled", "crash-memcheck-enabled", "set-proc-title", "proc-title-template", "locale-collate",
            "rdbcompression", "sanitize-dump-payload",
            "rdb-del-sync-files", "rdb-save-incremental-fsync", "aof-rewrite-incremental-fsync",
            "replica-serve-stale-data", "slave-serve-stale-data", "replica-read-only", "slave-read-only",
            "repl-diskless-sync", "repl-diskless-sync-delay", "repl-diskless-sync-max-replicas", "repl-diskless-load",
            "repl-disable-tcp-nodelay", "replica-priority", "slave-priority", "acllog-max-len",
            "lazyfree-lazy-eviction", "lazyfree-lazy-expire", "lazyfree-lazy-server-del", "lazyfree-lazy-user-flush",
            "replica-lazy-flush", "slave-lazy-flush", "oom-score-adj", "oom-score-adj-values", "disable-thp",
            "no-appendfsync-on-rewrite", "aof-timestamp-enabled",
            "list-max-listpack-size", "list-max-ziplist-size", "list-compress-depth",
            "set-max-listpack-entries", "set-max-listpack-value", "zset-max-listpack-entries", "zset-max-listpack-value",
            "zset-max-ziplist-entries", "zset-max-ziplist-value", "hll-sparse-max-bytes", "stream-node-max-bytes",
            "stream-node-max-entries", "activerehashing", "dynamic-hz", "jemalloc-bg-thread", "lfu-log-factor",
            "lfu-decay-time", "maxmemory-samples", "maxmemory-eviction-tenacity", "replica-ignore-maxmemory",
            "active-expire-effort", "io-threads-do-reads", "activedefrag", "active-defrag-ignore-bytes",
            "active-defrag-threshold-lower", "active-defrag-threshold-upper", "active-defrag-cycle-min",
            "active-defrag-cycle-max", "active-defrag-max-scan-fields", "latency-tracking",
            "latency-tracking-info-percentiles", "tracking-table-max-keys", "lua-replicate-commands",
            "shutdown-timeout", "shutdown-on-sigint", "shutdown-on-sigterm", "enable-debug-command",
            "enable-module-command", "enable-protected-configs", "tls-port", "unixsocket", "unixsocketperm");
}
