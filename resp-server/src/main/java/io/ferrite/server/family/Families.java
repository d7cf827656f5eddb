package io.ferrite.server.family;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.server.ServerContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.config.Directives;
import io.ferrite.server.config.ServerConfig;

/** Builds the command table from every family, and ties runtime config changes to the engine. */
public final class Families {
    private Families() {}

    /** The sealed command table with every family's handlers. */
    public static CommandTable table() {
        CommandTable table = CommandTable.load();
        ConnectionFamily.register(table);
        ServerFamily.register(table);
        DiagnosticsFamily.register(table);
        DebugFamily.register(table);
        KeyFamily.register(table);
        DumpFamily.register(table);
        StringFamily.register(table);
        BitFamily.register(table);
        HashFamily.register(table);
        SetFamily.register(table);
        ListFamily.register(table);
        ZSetFamily.register(table);
        PubSubFamily.register(table);
        return table.seal();
    }

    /** hash-max-listpack-* and set-max-intset-entries drive the engine's encoding limits, at start and on CONFIG SET. */
    private static void bindEncodingLimits(ServerContext context) {
        ServerConfig config = context.config();
        var limits = context.store().encodingLimits();
        limits.hashMaxListpackEntries(config.get(Directives.HASH_MAX_LISTPACK_ENTRIES));
        limits.hashMaxListpackValue(config.get(Directives.HASH_MAX_LISTPACK_VALUE));
        limits.setMaxIntsetEntries(config.get(Directives.SET_MAX_INTSET_ENTRIES));
        config.addListener(Directives.HASH_MAX_LISTPACK_ENTRIES, (d, old, now) -> limits.hashMaxListpackEntries((Long) now));
        config.addListener(Directives.HASH_MAX_LISTPACK_VALUE, (d, old, now) -> limits.hashMaxListpackValue((Long) now));
        config.addListener(Directives.SET_MAX_INTSET_ENTRIES, (d, old, now) -> limits.setMaxIntsetEntries((Long) now));
    }

    /** Applies the directives that change the engine or the stats at run time, now and on CONFIG SET. */
    public static void bindConfig(ServerContext context) {
        ServerConfig config = context.config();
        context.store().setMaxMemory(config.get(Directives.MAXMEMORY));
        context.slowLog().thresholdMicros(config.get(Directives.SLOWLOG_LOG_SLOWER_THAN));
        context.slowLog().maxLength((int) Math.min(Integer.MAX_VALUE, config.get(Directives.SLOWLOG_MAX_LEN)));
        context.latency().thresholdMillis(config.get(Directives.LATENCY_MONITOR_THRESHOLD));
        config.addListener(Directives.MAXMEMORY, (d, old, now) -> context.store().setMaxMemory((Long) now));
        config.addListener(Directives.SLOWLOG_LOG_SLOWER_THAN, (d, old, now) -> context.slowLog().thresholdMicros((Long) now));
        config.addListener(Directives.SLOWLOG_MAX_LEN, (d, old, now) -> context.slowLog().maxLength((int) Math.min(Integer.MAX_VALUE, (Long) now)));
        config.addListener(Directives.LATENCY_MONITOR_THRESHOLD, (d, old, now) -> context.latency().thresholdMillis((Long) now));
        bindEncodingLimits(context);
        var notifier = new io.ferrite.server.pubsub.KeyspaceNotifier(context.pubsub());
        notifier.configure(config.get(Directives.NOTIFY_KEYSPACE_EVENTS));
        config.addListener(Directives.NOTIFY_KEYSPACE_EVENTS, (d, old, now) -> notifier.configure((String) now));
        context.store().subscribe(notifier);
        context.store().subscribe((db, key, kind) -> {
            if (kind == ChangeKind.EXPIRED) {
                context.stats().expiredKeys.increment();
            }
        });
    }
}
