package io.ferrite.server.family;

import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.protocol.RespWriter;
import io.ferrite.server.pubsub.ChannelName;
import io.ferrite.server.pubsub.PubSub;
import io.ferrite.server.pubsub.Subscriptions;
import io.ferrite.server.pubsub.Subscriptions.Kind;
import java.util.List;

/**
 * PUBLISH, SPUBLISH, the (P|S)SUBSCRIBE and (P|S)UNSUBSCRIBE commands and PUBSUB's
 * introspection. Each subscription change is confirmed by a push frame (an array in RESP2)
 * that CLIENT REPLY OFF does not silence, as in Redis.
 */
final class PubSubFamily {
    private PubSubFamily() {}

    static void register(CommandTable table) {
        table.register("subscribe", ctx -> subscribe(ctx, Kind.CHANNEL, "subscribe"))
                .register("psubscribe", ctx -> subscribe(ctx, Kind.PATTERN, "psubscribe"))
                .register("ssubscribe", ctx -> subscribe(ctx, Kind.SHARD_CHANNEL, "ssubscribe"))
                .register("unsubscribe", ctx -> unsubscribe(ctx, Kind.CHANNEL, "unsubscribe"))
                .register("punsubscribe", ctx -> unsubscribe(ctx, Kind.PATTERN, "punsubscribe"))
                .register("sunsubscribe", ctx -> unsubscribe(ctx, Kind.SHARD_CHANNEL, "sunsubscribe"))
                .register("publish", ctx -> ctx.integer(ctx.server().pubsub().publish(ctx.request().argBytes(1),
                        ctx.request().argBytes(2))))
                .register("spublish", ctx -> ctx.integer(ctx.server().pubsub().publishShard(ctx.request().argBytes(1),
                        ctx.request().argBytes(2))))
                .register("pubsub|channels", ctx -> channels(ctx, Kind.CHANNEL))
                .register("pubsub|shardchannels", ctx -> channels(ctx, Kind.SHARD_CHANNEL))
                .register("pubsub|numsub", ctx -> numsub(ctx, Kind.CHANNEL))
                .register("pubsub|shardnumsub", ctx -> numsub(ctx, Kind.SHARD_CHANNEL))
                .register("pubsub|numpat", ctx -> ctx.integer(ctx.server().pubsub().size(Kind.PATTERN)))
                .register("pubsub|help", PubSubFamily::help);
    }

    private static void subscribe(CommandContext ctx, Kind kind, String verb) {
        Subscriptions mine = ctx.client().subscriptions();
        PubSub pubsub = ctx.server().pubsub();
        for (int i = 1; i < ctx.argc(); i++) {
            byte[] name = ctx.request().argBytes(i);
            pubsub.subscribe(mine, kind, ChannelName.of(name));
            confirm(ctx, verb, name, mine.reportedCount(kind));
        }
    }

    private static void unsubscribe(CommandContext ctx, Kind kind, String verb) {
        Subscriptions mine = ctx.client().subscriptions();
        PubSub pubsub = ctx.server().pubsub();
        if (ctx.argc() == 1) {
            List<ChannelName> all = mine.names(kind);
            if (all.isEmpty()) {
                confirm(ctx, verb, null, mine.reportedCount(kind));
            }
            for (ChannelName name : all) {
                pubsub.unsubscribe(mine, kind, name);
                confirm(ctx, verb, name.bytes(), mine.reportedCount(kind));
            }
            return;
        }
        for (int i = 1; i < ctx.argc(); i++) {
            byte[] name = ctx.request().argBytes(i);
            pubsub.unsubscribe(mine, kind, ChannelName.of(name));
            confirm(ctx, verb, name, mine.reportedCount(kind));
        }
    }

    /** [verb, name (null when unsubscribing from nothing), subscriptions left]. */
    private static void confirm(CommandContext ctx, String verb, byte[] name, int count) {
        RespWriter out = ctx.out();
        int start = ctx.beginPush();
        out.pushHeader(3).bulk(verb);
        if (name == null) {
            out.nullBulk();
        } else {
            out.bulk(name);
        }
        out.integer(count);
        ctx.endPush(start);
    }

    private static void channels(CommandContext ctx, Kind kind) {
        if (ctx.argc() > 3) {
            ctx.error("ERR unknown subcommand or wrong number of arguments for '" + ctx.argString(1) + "'. Try PUBSUB HELP.");
            return;
        }
        byte[] glob = ctx.argc() == 3 ? ctx.request().argBytes(2) : null;
        List<byte[]> names = ctx.server().pubsub().active(kind, glob);
        ctx.out().arrayHeader(names.size());
        names.forEach(ctx.out()::bulk);
    }

    private static void numsub(CommandContext ctx, Kind kind) {
        PubSub pubsub = ctx.server().pubsub();
        RespWriter out = ctx.out();
        out.arrayHeader(2 * (ctx.argc() - 2)); // a flat array of name, count (RESP3 too, as Redis 7.0)
        for (int i = 2; i < ctx.argc(); i++) {
            byte[] name = ctx.request().argBytes(i);
            out.bulk(name).integer(pubsub.subscribers(kind, name));
        }
    }

    private static void help(CommandContext ctx) {
        Help.write(ctx.out(), "PUBSUB",
                "CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT",
                "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)");
    }
}
