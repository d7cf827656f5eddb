package io.ferrite.server.family;

import io.ferrite.server.ServerContext;
import io.ferrite.server.client.ClientState;
import io.ferrite.server.client.ReplyMode;

/** One CLIENT LIST / CLIENT INFO line, with Redis 7.2's fields in Redis's order. */
final class ClientInfo {
    private ClientInfo() {}

    static String line(ClientState client, ServerContext server) {
        long now = System.currentTimeMillis();
        String flags = client.noEvict() ? "e" : "N";
        if (client.replyMode() == ReplyMode.OFF) {
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
                + " sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0"
                + " obl=0 oll=0 omem=0 tot-mem=0 events=r"
                + " cmd=" + client.lastCommand()
                + " user=" + client.user()
                + " redir=-1"
                + " resp=" + client.protocol()
                + " lib-name=" + client.libName()
                + " lib-ver=" + client.libVersion();
    }
}
