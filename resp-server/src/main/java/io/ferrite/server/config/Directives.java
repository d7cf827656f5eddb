package io.ferrite.server.config;

import io.ferrite.server.config.ValueType.BindType;
import io.ferrite.server.config.ValueType.BooleanType;
import io.ferrite.server.config.ValueType.ClampedIntegerType;
import io.ferrite.server.config.ValueType.EnumType;
import io.ferrite.server.config.ValueType.IntegerType;
import io.ferrite.server.config.ValueType.KeyspaceEventsType;
import io.ferrite.server.config.ValueType.MemoryType;
import io.ferrite.server.config.ValueType.OutputBufferLimitType;
import io.ferrite.server.config.ValueType.SaveType;
import io.ferrite.server.config.ValueType.StringType;

import java.util.List;

/**
 * Every directive Ferrite understands: Redis's own (same names, types, ranges and defaults as
 * Redis 7 unless noted) followed by Ferrite's engine settings. Ranges that differ from Redis
 * say why.
 */
public final class Directives {
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long LONG_MAX = Long.MAX_VALUE;
    private static final long MB = 1024 * 1024;

    private Directives() {
    }

    // --- network -------------------------------------------------------------------------

    public static final Directive<Long> PORT = new Directive<>("port", List.of(),
            new IntegerType(0, 65535), 6379L, false, "TCP port to listen on (0: do not listen on TCP).");
    public static final Directive<Long> SQL_PORT = new Directive<>("sql-port", List.of(),
            new IntegerType(0, 65535), 0L, false,
            "Ferrite: port of the SQL door for jdbc:ferrite://host:port (Avatica's protocol over HTTP), on the first bind address; 0: off.");
    public static final Directive<List<String>> BIND = new Directive<>("bind", List.of(),
            new BindType(), List.of("127.0.0.1", "-::1"), false,
            "Addresses to listen on; a leading '-' means skip it if it is not available.");
    public static final Directive<Boolean> PROTECTED_MODE = new Directive<>("protected-mode", List.of(),
            BooleanType.ANY, true, true,
            "Refuse non-loopback clients when no password is set and bind is the default.");
    public static final Directive<Long> TCP_BACKLOG = new Directive<>("tcp-backlog", List.of(),
            new IntegerType(0, INT_MAX), 511L, false, "Backlog of the listening socket.");
    public static final Directive<Long> TIMEOUT = new Directive<>("timeout", List.of(),
            new IntegerType(0, INT_MAX), 0L, true, "Close a client idle for this many seconds (0: never).");
    public static final Directive<Long> TCP_KEEPALIVE = new Directive<>("tcp-keepalive", List.of(),
            new IntegerType(0, INT_MAX), 300L, true, "TCP keepalive interval in seconds (0: off).");
    public static final Directive<Long> MAXCLIENTS = new Directive<>("maxclients", List.of(),
            new IntegerType(1, 4294967295L), 10000L, true, "Maximum number of connected clients.");
    public static final Directive<Long> IO_THREADS = new Directive<>("io-threads", List.of(),
            new IntegerType(0, 128), 0L, false, "Network event-loop threads (0: half the CPU cores, at least one; 1: a single loop, as Redis).");
    public static final Directive<String> TRANSPORT = new Directive<>("transport", List.of(),
            new EnumType(List.of("auto", "io_uring", "epoll", "nio")), "auto", false,
            "Ferrite: network transport; auto picks io_uring, then epoll, then NIO.");

    // --- limits --------------------------------------------------------------------------

    public static final Directive<Long> PROTO_MAX_BULK_LEN = new Directive<>("proto-max-bulk-len", List.of(),
            new MemoryType(MB, LONG_MAX, false), 512 * MB, true, "Largest bulk string a request may carry.");
    public static final Directive<Long> CLIENT_QUERY_BUFFER_LIMIT = new Directive<>("client-query-buffer-limit", List.of(),
            new MemoryType(MB, LONG_MAX, false), 1024 * MB, true,
            "Most bytes one incomplete request may buffer before the client is closed.");
    public static final Directive<OutputBufferLimits> CLIENT_OUTPUT_BUFFER_LIMIT = new Directive<>(
            "client-output-buffer-limit", List.of(), new OutputBufferLimitType(), OutputBufferLimits.DEFAULT, true,
            "Per client class: <class> <hard> <soft> <soft-seconds>.");

    // --- memory --------------------------------------------------------------------------

    public static final Directive<Long> MAXMEMORY = new Directive<>("maxmemory", List.of(),
            new MemoryType(0, LONG_MAX, false), 0L, true, "Memory limit for data (0: none).");
    public static final Directive<String> MAXMEMORY_POLICY = new Directive<>("maxmemory-policy", List.of(),
            new EnumType(List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                    "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction")),
            "noeviction", true, "What to evict when maxmemory is reached.");
    public static final Directive<Long> MAXMEMORY_CLIENTS = new Directive<>("maxmemory-clients", List.of(),
            new MemoryType(0, LONG_MAX, true), 0L, true,
            "Memory limit for all client buffers together, in bytes or percent of maxmemory (0: none).");
    public static final Directive<Boolean> LAZYFREE_LAZY_USER_DEL = new Directive<>("lazyfree-lazy-user-del", List.of(),
            BooleanType.ANY, false, true, "Make DEL behave like UNLINK.");

    // --- general -------------------------------------------------------------------------

    public static final Directive<Long> DATABASES = new Directive<>("databases", List.of(),
            new IntegerType(1, 16), 16L, false, "Number of logical databases (Ferrite supports at most 16).");
    public static final Directive<String> REQUIREPASS = new Directive<>("requirepass", List.of(),
            new StringType(), "", true, "Password of the default user (empty: no password).");
    public static final Directive<String> LOGLEVEL = new Directive<>("loglevel", List.of(),
            new EnumType(List.of("debug", "verbose", "notice", "warning")), "notice", true,
            "Log verbosity.");
    public static final Directive<String> LOGFILE = new Directive<>("logfile", List.of(),
            new StringType(), "", false, "Log file (empty: standard output).");
    public static final Directive<Boolean> DAEMONIZE = new Directive<>("daemonize", List.of(),
            new BooleanType(false, "Ferrite does not daemonize itself: run it under a service manager"), false, false,
            "Always no: Ferrite runs in the foreground.");
    public static final Directive<Long> HZ = new Directive<>("hz", List.of(),
            new ClampedIntegerType(0, INT_MAX, 1, 500), 10L, true,
            "Background task frequency per second (clamped to 1..500, as Redis does).");
    public static final Directive<Long> BUSY_REPLY_THRESHOLD = new Directive<>("busy-reply-threshold",
            List.of("lua-time-limit"), new IntegerType(0, LONG_MAX), 5000L, true,
            "Milliseconds a script may run before other clients get BUSY replies.");
    public static final Directive<Long> SLOWLOG_LOG_SLOWER_THAN = new Directive<>("slowlog-log-slower-than", List.of(),
            new IntegerType(-1, LONG_MAX), 10000L, true,
            "Log commands slower than this many microseconds (-1: off, 0: all).");
    public static final Directive<Long> SLOWLOG_MAX_LEN = new Directive<>("slowlog-max-len", List.of(),
            new IntegerType(0, LONG_MAX), 128L, true, "Entries kept in the slow log.");
    public static final Directive<Long> LATENCY_MONITOR_THRESHOLD = new Directive<>("latency-monitor-threshold", List.of(),
            new IntegerType(0, LONG_MAX), 0L, true, "Record events slower than this many milliseconds (0: off).");
    public static final Directive<String> NOTIFY_KEYSPACE_EVENTS = new Directive<>("notify-keyspace-events", List.of(),
            new KeyspaceEventsType(), "", true, "Keyspace notification classes (empty: off).");

    // --- encodings of small collections (Redis 7.0's names and defaults) -------------------

    public static final Directive<Long> HASH_MAX_LISTPACK_ENTRIES = new Directive<>("hash-max-listpack-entries",
            List.of("hash-max-ziplist-entries"), new IntegerType(0, LONG_MAX), 512L, true,
            "A hash with more fields than this is stored as a table of chunks (OBJECT ENCODING hashtable).");
    public static final Directive<Long> HASH_MAX_LISTPACK_VALUE = new Directive<>("hash-max-listpack-value",
            List.of("hash-max-ziplist-value"), new MemoryType(0, LONG_MAX, false), 64L, true,
            "A hash with a field or value longer than this is stored as a table of chunks.");
    public static final Directive<Long> SET_MAX_INTSET_ENTRIES = new Directive<>("set-max-intset-entries", List.of(),
            new IntegerType(0, LONG_MAX), 512L, true,
            "A set of integers with more members than this is no longer an intset.");

    // --- persistence ---------------------------------------------------------------------

    public static final Directive<String> DIR = new Directive<>("dir", List.of(),
            new StringType(), "./data", false, "Working directory for snapshots and the append-only file.");
    public static final Directive<List<SavePoint>> SAVE = new Directive<>("save", List.of(),
            new SaveType(), List.of(new SavePoint(3600, 1), new SavePoint(300, 100), new SavePoint(60, 10000)), true,
            "Snapshot after <seconds> if at least <changes> writes happened (\"\": never).");
    public static final Directive<String> DBFILENAME = new Directive<>("dbfilename", List.of(),
            new StringType(), "dump.rdb", true, "Snapshot file name inside dir.");
    public static final Directive<Boolean> STOP_WRITES_ON_BGSAVE_ERROR = new Directive<>("stop-writes-on-bgsave-error",
            List.of(), BooleanType.ANY, true, true,
            "Refuse writes (MISCONF) while the last snapshot failed and save points are set.");
    public static final Directive<Boolean> RDBCHECKSUM = new Directive<>("rdbchecksum", List.of(),
            BooleanType.ANY, true, true, "End snapshots with a CRC-64 of their content (no: zero, not checked on load).");
    public static final Directive<Boolean> APPENDONLY = new Directive<>("appendonly", List.of(),
            BooleanType.ANY, false, true, "Log every write to the append-only file.");
    public static final Directive<String> APPENDFSYNC = new Directive<>("appendfsync", List.of(),
            new EnumType(List.of("always", "everysec", "no")), "everysec", true,
            "When the append-only file is fsynced.");
    public static final Directive<String> APPENDFILENAME = new Directive<>("appendfilename", List.of(),
            new StringType(), "appendonly.aof", false, "Append-only file base name.");
    public static final Directive<String> APPENDDIRNAME = new Directive<>("appenddirname", List.of(),
            new StringType(), "appendonlydir", false, "Directory inside dir holding the append-only file's manifest, base and incremental files.");
    public static final Directive<Boolean> AOF_USE_RDB_PREAMBLE = new Directive<>("aof-use-rdb-preamble", List.of(),
            BooleanType.ANY, true, true,
            "Write the AOF base a rewrite makes as an RDB file (appendonly.aof.N.base.rdb), as Redis 7 does by default; no: as commands (.base.aof). Bases of either form load.");
    public static final Directive<Boolean> AOF_LOAD_TRUNCATED = new Directive<>("aof-load-truncated", List.of(),
            BooleanType.ANY, true, true,
            "Load an append-only file whose last command a crash cut off (dropping it); no: refuse to start.");
    public static final Directive<Long> AUTO_AOF_REWRITE_PERCENTAGE = new Directive<>("auto-aof-rewrite-percentage", List.of(),
            new IntegerType(0, LONG_MAX), 100L, true,
            "Rewrite the append-only file when it grew by this percentage over its base (0: never).");
    public static final Directive<Long> AUTO_AOF_REWRITE_MIN_SIZE = new Directive<>("auto-aof-rewrite-min-size", List.of(),
            new MemoryType(0, LONG_MAX, false), 64 * MB, true,
            "...but not before the append-only file is at least this large.");

    // --- Ferrite engine ------------------------------------------------------------------

    public static final Directive<Long> SHARDS = new Directive<>("shards", List.of(),
            new IntegerType(0, 1024), 0L, false, "Ferrite: engine shards (0: one per CPU core).");
    public static final Directive<Long> PAGE_SIZE = new Directive<>("page-size", List.of(),
            new MemoryType(4096, 1024 * MB, false), MB, false, "Ferrite: size of one HybridLog page (a power of two).");
    public static final Directive<Boolean> TIERED_STORAGE = new Directive<>("tiered-storage", List.of(),
            BooleanType.ANY, true, false,
            "Ferrite: move log pages beyond the memory sizes to disk (no: maxmemory is a hard limit, as Redis's noeviction).");
    public static final Directive<Long> MUTABLE_SIZE = new Directive<>("mutable-size", List.of(),
            new MemoryType(MB, LONG_MAX, false), 256 * MB, false,
            "Ferrite: in-memory mutable region of the log, updated in place (capped at half of maxmemory).");
    public static final Directive<Long> READONLY_SIZE = new Directive<>("readonly-size", List.of(),
            new MemoryType(0, LONG_MAX, false), 256 * MB, false,
            "Ferrite: memory-mapped read-only region of the log, copied on update (capped at a quarter of maxmemory).");
    public static final Directive<Long> SEGMENT_SIZE = new Directive<>("segment-size", List.of(),
            new MemoryType(MB, 64L * 1024 * MB, false), 1024 * MB, false,
            "Ferrite: size of one on-disk log segment file.");
    public static final Directive<String> COMPRESSION = new Directive<>("compression", List.of(),
            new EnumType(List.of("lz4", "zstd", "none")), "lz4", false,
            "Ferrite: compression of log pages written to disk.");
    public static final Directive<Long> COLD_BLOCK_SIZE = new Directive<>("cold-block-size", List.of(),
            new MemoryType(512, 64 * MB, false), 2 * 1024L, false,
            "Ferrite: size of the blocks a page is cut into on disk, the unit read back.");
    public static final Directive<Long> COLD_CACHE_SIZE = new Directive<>("cold-cache-size", List.of(),
            new MemoryType(0, LONG_MAX, false), 256 * 1024L, false,
            "Ferrite: memory for decompressed blocks read from disk (capped at a sixteenth of maxmemory).");
    public static final Directive<Boolean> PAGECACHE_READS = new Directive<>("pagecache-reads", List.of(),
            BooleanType.ANY, true, false,
            "Ferrite: network threads read cold blocks the OS page cache holds themselves, never waiting (Linux preadv2 RWF_NOWAIT).");
    public static final Directive<Boolean> PROMOTE_COLD_READS = new Directive<>("promote-cold-reads", List.of(),
            BooleanType.ANY, true, false,
            "Ferrite: copy a record read from disk back to memory, so a moving working set is followed.");
    public static final Directive<Long> COMPACTION_DEAD_PERCENT = new Directive<>("compaction-dead-percent", List.of(),
            new IntegerType(0, 99), 50L, false,
            "Ferrite: background compaction starts when this share of a shard's log is dead records (0: never; FERRITE.COMPACT still works).");
    public static final Directive<Boolean> CHECKPOINTS = new Directive<>("checkpoints", List.of(),
            BooleanType.ANY, true, false,
            "Ferrite: with each RDB snapshot (and after an AOF rewrite), checkpoint the log (indexes and in-memory pages; the disk tier is reused): a restart restores it instead of loading the snapshot, or replays only the AOF after it.");
    public static final Directive<Boolean> CHECKPOINT_FALLBACK = new Directive<>("checkpoint-fallback", List.of(),
            BooleanType.ANY, false, false,
            "Ferrite: when the checkpoint cannot be restored (damaged or missing files), move the log directory aside and load the snapshot or AOF instead of refusing to start.");
    public static final Directive<Long> MAX_KEY_SIZE = new Directive<>("max-key-size", List.of(),
            new MemoryType(1, 512 * MB, false), 512 * MB, false, "Ferrite: largest key accepted.");
    public static final Directive<Long> MAX_VALUE_SIZE = new Directive<>("max-value-size", List.of(),
            new MemoryType(1, 512 * MB, false), 512 * MB, false, "Ferrite: largest value accepted.");

    /** All directives, in the order CONFIG REWRITE appends them and the example file documents them. */
    public static final List<Directive<?>> ALL = List.of(
            PORT, SQL_PORT, BIND, PROTECTED_MODE, TCP_BACKLOG, TIMEOUT, TCP_KEEPALIVE, MAXCLIENTS, IO_THREADS, TRANSPORT,
            PROTO_MAX_BULK_LEN, CLIENT_QUERY_BUFFER_LIMIT, CLIENT_OUTPUT_BUFFER_LIMIT,
            MAXMEMORY, MAXMEMORY_POLICY, MAXMEMORY_CLIENTS, LAZYFREE_LAZY_USER_DEL,
            DATABASES, REQUIREPASS, LOGLEVEL, LOGFILE, DAEMONIZE, HZ, BUSY_REPLY_THRESHOLD,
            SLOWLOG_LOG_SLOWER_THAN, SLOWLOG_MAX_LEN, LATENCY_MONITOR_THRESHOLD, NOTIFY_KEYSPACE_EVENTS,
            HASH_MAX_LISTPACK_ENTRIES, HASH_MAX_LISTPACK_VALUE, SET_MAX_INTSET_ENTRIES,
            DIR, SAVE, DBFILENAME, STOP_WRITES_ON_BGSAVE_ERROR, RDBCHECKSUM, APPENDONLY, APPENDFSYNC, APPENDFILENAME, APPENDDIRNAME, AOF_USE_RDB_PREAMBLE, AOF_LOAD_TRUNCATED,
            AUTO_AOF_REWRITE_PERCENTAGE, AUTO_AOF_REWRITE_MIN_SIZE,
            SHARDS, PAGE_SIZE, TIERED_STORAGE, MUTABLE_SIZE, READONLY_SIZE, SEGMENT_SIZE, COMPRESSION, COLD_BLOCK_SIZE,
            COLD_CACHE_SIZE, PAGECACHE_READS, PROMOTE_COLD_READS, COMPACTION_DEAD_PERCENT, CHECKPOINTS, CHECKPOINT_FALLBACK,
            MAX_KEY_SIZE, MAX_VALUE_SIZE);
}
