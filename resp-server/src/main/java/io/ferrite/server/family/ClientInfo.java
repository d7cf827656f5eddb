package io.ferrite.server.family;

import io.ferrite.server.ServerContext;
import io.ferrite.server.client.ClientState;

/** One CLIENT LIST / CLIENT INFO line, with Redis 7.2's fields in Redis's order. */
final class ClientInfo {
    private ClientInfo() {}

    /** The client's class for CLIENT LIST/KILL TYPE: "pubsub" while subscribed, else "normal" (no replicas yet). */
    static String type(ClientState client) {
        return client.subscribed() ? "pubsub" : "normal";
    }

    static String line(ClientState client, ServerContext server) {
        long now = System.currentTimeMillis();
        var subscriptions = client.subscriptions();
        String flags = (client.subscribed() ? "P" : "") + (client.noEvict() ? "e" : "");
        if (flags.isEmpty()) {
            flags = "N";
        }
        return "id=" + client.id()
                + " addr=" + client.remoteAddress()
                + " laddr=" + client.localAddress()
                + " fd=-1"
                + " name=" + client.name()
                + " age=" + (now - client.createdAtMillis()) / 1000
                + " idle=" + (now - client.lastInteractionMillis()) / 1000
                + " flags=" + flags
                + " db=" + client.db()
                + " sub=" + (subscriptions == null ? 0 : subscriptions.channelCount())
                + " psub=" + (subscriptions == null ? 0 : subscriptions.patternCount())
                + " ssub=" + (subscriptions == null ? 0 : subscriptions.shardChannelCount())
                + " multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0"
                + " obl=0 oll=0 omem=0 tot-mem=0 events=r"
                + " cmd=" + client.lastCommand()
                + " user=" + client.user()
                + " redir=-1"
                + " resp=" + client.protocol()
                + " lib-name=" + client.libName()
                + " lib-ver=" + client.libVersion();
    }
}
