package io.ferrite.server.family;

import io.ferrite.server.ServerContext;
import io.ferrite.server.client.ClientState;
import io.ferrite.server.client.ReplyMode;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.CommandTable;
import io.ferrite.server.command.Errors;
import io.ferrite.server.config.Directives;
import io.ferrite.server.protocol.RespWriter;
import io.ferrite.server.protocol.SharedReply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** PING, ECHO, QUIT, RESET, HELLO, AUTH, SELECT and the CLIENT subcommands. */
public final class ConnectionFamily {
    private static final byte[] AUTH = "AUTH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SETNAME = "SETNAME".getBytes(StandardCharsets.US_ASCII);

    private ConnectionFamily() {}

    public static void register(CommandTable table) {
        table.register("ping", ConnectionFamily::ping)
                .register("echo", ctx -> ctx.out().bulk(ctx.request().buffer(), ctx.request().argOffset(1), ctx.request().argLength(1)))
                .register("quit", ConnectionFamily::quit)
                .register("reset", ConnectionFamily::reset)
                .register("hello", ConnectionFamily::hello)
                .register("auth", ConnectionFamily::auth)
                .register("select", ConnectionFamily::select)
                .register("client|id", ctx -> ctx.integer(ctx.client().id()))
                .register("client|setname", ConnectionFamily::clientSetName)
                .register("client|getname", ConnectionFamily::clientGetName)
                .register("client|list", ConnectionFamily::clientList)
                .register("client|info", ctx -> verbatim(ctx.out(), ClientInfo.line(ctx.client(), ctx.server()) + "\n"))
                .register("client|kill", ConnectionFamily::clientKill)
                .register("client|pause", ConnectionFamily::clientPause)
                .register("client|unpause", ctx -> {
                    ctx.server().unpause();
                    ctx.ok();
                })
                .register("client|reply", ConnectionFamily::clientReply)
                .register("client|no-evict", ConnectionFamily::clientNoEvict)
                .register("client|setinfo", ConnectionFamily::clientSetInfo)
                .register("client|help", ctx -> Help.write(ctx.out(), "CLIENT",
                        "GETNAME", "    Return the name of the current connection.",
                        "ID", "    Return the ID of the current connection.",
                        "INFO", "    Return information about the current client connection.",
                        "KILL <ip:port>", "    Kill connection made from <ip:port>.",
                        "KILL <option> <value> [<option> <value> [...]]", "    Kill connections. Options are:",
                        "    * ADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made from the specified address",
                        "    * LADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made to specified local address",
                        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Kill connections by type.",
                        "    * USER <username>", "      Kill connections authenticated by <username>.",
                        "    * SKIPME (YES|NO)", "      Skip killing current connection (default: yes).",
                        "    * ID <client-id>", "      Kill connections by client id.",
                        "    * MAXAGE <maxage>", "      Kill connections older than the specified age.",
                        "LIST [options ...]", "    Return information about client connections. Options:",
                        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Return clients of specified type.",
                        "UNPAUSE", "    Stop the current client pause, resuming traffic.",
                        "PAUSE <timeout> [WRITE|ALL]", "    Suspend all, or just write, clients for <timeout> milliseconds.",
                        "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
                        "SETNAME <name>", "    Assign the name <name> to the current connection.",
                        "SETINFO <option> <value>", "    Set client meta attr. Options are:",
                        "    * LIB-NAME: the client lib name.", "    * LIB-VER: the client lib version.",
                        "NO-EVICT (ON|OFF)", "    Protect current client connection from eviction."));
    }

    private static void ping(CommandContext ctx) {
        if (ctx.argc() > 2) {
            ctx.error(Errors.arity("ping"));
        } else if (ctx.client().protocol() == 2 && ctx.client().subscribed()) {
            // In RESP2 subscriber mode a reply must look like a message: [pong, argument or ""].
            ctx.out().arrayHeader(2).bulk("pong");
            if (ctx.argc() == 2) {
                ctx.out().bulk(ctx.request().buffer(), ctx.request().argOffset(1), ctx.request().argLength(1));
            } else {
                ctx.out().bulk("");
            }
        } else if (ctx.argc() == 2) {
            ctx.out().bulk(ctx.request().buffer(), ctx.request().argOffset(1), ctx.request().argLength(1));
        } else {
            ctx.out().reply(SharedReply.PONG);
        }
    }

    private static void quit(CommandContext ctx) {
        ctx.ok();
        ctx.client().closing(true);
    }

    private static void reset(CommandContext ctx) {
        ClientState client = ctx.client();
        ctx.server().pubsub().unsubscribeAll(client.subscriptions());
        client.db(0);
        client.protocol(2);
        ctx.out().protocol(2);
        client.name("");
        client.replyMode(ReplyMode.ON);
        client.noEvict(false);
        boolean needsAuth = !ctx.server().config().get(Directives.REQUIREPASS).isEmpty();
        client.authenticated(!needsAuth);
        ctx.decoder().requireAuthentication(needsAuth);
        ctx.out().simpleString("RESET");
    }

    private static void hello(CommandContext ctx) {
        int protocol = ctx.client().protocol();
        int i = 1;
        if (ctx.argc() >= 2) {
            if (!ctx.request().argLong(1)) {
                ctx.error("ERR Protocol version is not an integer or out of range");
                return;
            }
            long version = ctx.request().longValue();
            if (version < 2 || version > 3) {
                ctx.error("NOPROTO unsupported protocol version");
                return;
            }
            protocol = (int) version;
            i = 2;
        }
        String user = null;
        String password = null;
        String name = null;
        for (; i < ctx.argc(); i++) {
            boolean more = i + 1 < ctx.argc();
            if (ctx.argIs(i, AUTH) && i + 2 < ctx.argc()) {
                user = ctx.argString(i + 1);
                password = ctx.argString(i + 2);
                i += 2;
            } else if (ctx.argIs(i, SETNAME) && more) {
                name = ctx.argString(i + 1);
                if (!validName(name)) {
                    ctx.error("ERR Client names cannot contain spaces, newlines or special characters.");
                    return;
                }
                i++;
            } else {
                ctx.error("ERR Syntax error in HELLO option '" + ctx.argString(i) + "'");
                return;
            }
        }
        if (user != null && !authenticate(ctx, user, password)) {
            return;
        }
        if (!ctx.client().authenticated()) {
            ctx.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
            return;
        }
        if (name != null) {
            ctx.client().name(name);
        }
        ctx.client().protocol(protocol);
        RespWriter out = ctx.out();
        out.protocol(protocol);
        out.mapHeader(7);
        out.bulk("server").bulk("redis");
        out.bulk("version").bulk(ServerContext.REDIS_VERSION);
        out.bulk("proto").integer(protocol);
        out.bulk("id").integer(ctx.client().id());
        out.bulk("mode").bulk("standalone");
        out.bulk("role").bulk("master");
        out.bulk("modules").arrayHeader(0);
    }

    private static void auth(CommandContext ctx) {
        if (ctx.argc() > 3) {
            ctx.syntaxError();
            return;
        }
        String user = ctx.argc() == 3 ? ctx.argString(1) : "default";
        String password = ctx.argString(ctx.argc() - 1);
        if (ctx.argc() == 2 && ctx.server().config().get(Directives.REQUIREPASS).isEmpty()) {
            ctx.error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
            return;
        }
        if (authenticate(ctx, user, password)) {
            ctx.ok();
        }
    }

    /** Checks the default user's password; writes WRONGPASS and returns false on failure. */
    private static boolean authenticate(CommandContext ctx, String user, String password) {
        String required = ctx.server().config().get(Directives.REQUIREPASS);
        boolean ok = user.equals("default") && (required.isEmpty() || MessageDigest.isEqual(
                required.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8)));
        if (!ok) {
            ctx.error(Errors.WRONGPASS);
            return false;
        }
        ctx.client().authenticated(true);
        ctx.client().user(user);
        ctx.decoder().requireAuthentication(false);
        return true;
    }

    private static void select(CommandContext ctx) {
        if (!ctx.argLong(1)) {
            return;
        }
        long db = ctx.longValue();
        if (db < 0 || db >= ctx.store().config().databases()) {
            ctx.error(Errors.DB_OUT_OF_RANGE);
            return;
        }
        ctx.client().db((int) db);
        ctx.ok();
    }

    private static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                return false;
            }
        }
        return true;
    }

    private static void clientSetName(CommandContext ctx) {
        String name = ctx.argString(2);
        if (!validName(name)) {
            ctx.error("ERR Client names cannot contain spaces, newlines or special characters.");
            return;
        }
        ctx.client().name(name);
        ctx.ok();
    }

    private static void clientGetName(CommandContext ctx) {
        String name = ctx.client().name();
        if (name.isEmpty()) {
            ctx.out().nullBulk();
        } else {
            ctx.out().bulk(name);
        }
    }

    private static void clientList(CommandContext ctx) {
        List<Long> ids = null;
        String type = null;
        for (int i = 2; i < ctx.argc(); i++) {
            String option = ctx.argString(i).toLowerCase(Locale.ROOT);
            if (option.equals("type") && i + 1 < ctx.argc()) {
                type = ctx.argString(++i).toLowerCase(Locale.ROOT);
                if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                    ctx.error("ERR Unknown client type '" + ctx.argString(i) + "'");
                    return;
                }
            } else if (option.equals("id") && i + 1 < ctx.argc()) {
                ids = new ArrayList<>();
                while (i + 1 < ctx.argc()) {
                    if (!ctx.request().argLong(i + 1)) {
                        ctx.error("ERR Invalid client ID");
                        return;
                    }
                    ids.add(ctx.request().longValue());
                    i++;
                }
            } else {
                ctx.syntaxError();
                return;
            }
        }
        StringBuilder text = new StringBuilder();
        for (ClientState client : ctx.server().clients().all()) {
            if (type != null && !type.equals(ClientInfo.type(client))) {
                continue;
            }
            if (ids != null && !ids.contains(client.id())) {
                continue;
            }
            text.append(ClientInfo.line(client, ctx.server())).append('\n');
        }
        verbatim(ctx.out(), text.toString());
    }

    private static void verbatim(RespWriter out, String text) {
        out.verbatim("txt", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void clientKill(CommandContext ctx) {
        if (ctx.argc() == 3) {
            String addr = ctx.argString(2);
            for (ClientState client : ctx.server().clients().all()) {
                if (client.remoteAddress().equals(addr)) {
                    kill(ctx, client);
                    ctx.ok();
                    return;
                }
            }
            ctx.error("ERR No such client");
            return;
        }
        if (ctx.argc() % 2 != 0) {
            ctx.syntaxError();
            return;
        }
        Long id = null;
        String addr = null;
        String laddr = null;
        String user = null;
        String type = null;
        long maxAge = 0;
        boolean skipMe = true;
        for (int i = 2; i < ctx.argc(); i += 2) {
            String option = ctx.argString(i).toLowerCase(Locale.ROOT);
            String value = ctx.argString(i + 1);
            switch (option) {
                case "id" -> {
                    if (!ctx.request().argLong(i + 1) || ctx.request().longValue() <= 0) {
                        ctx.error("ERR client-id should be greater than 0");
                        return;
                    }
                    id = ctx.request().longValue();
                }
                case "addr" -> addr = value;
                case "laddr" -> laddr = value;
                case "user" -> {
                    if (!value.equals("default")) {
                        ctx.error("ERR No such user '" + value + "'"); // only the default user exists
                        return;
                    }
                    user = value;
                }
                case "type" -> {
                    type = value.toLowerCase(Locale.ROOT);
                    if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                        ctx.error("ERR Unknown client type '" + value + "'");
                        return;
                    }
                }
                case "skipme" -> {
                    if (value.equalsIgnoreCase("yes")) {
                        skipMe = true;
                    } else if (value.equalsIgnoreCase("no")) {
                        skipMe = false;
                    } else {
                        ctx.syntaxError();
                        return;
                    }
                }
                case "maxage" -> {
                    if (!ctx.request().argLong(i + 1)) {
                        ctx.error(Errors.NOT_INTEGER);
                        return;
                    }
                    maxAge = ctx.request().longValue();
                }
                default -> {
                    ctx.syntaxError();
                    return;
                }
            }
        }
        long killed = 0;
        long now = System.currentTimeMillis();
        for (ClientState client : ctx.server().clients().all()) {
            if ((id != null && client.id() != id) || (addr != null && !client.remoteAddress().equals(addr))
                    || (laddr != null && !client.localAddress().equals(laddr)) || (user != null && !client.user().equals(user))
                    || (type != null && !type.equals(ClientInfo.type(client))) || (maxAge > 0 && (now - client.createdAtMillis()) / 1000 < maxAge)
                    || (skipMe && client == ctx.client())) {
                continue;
            }
            kill(ctx, client);
            killed++;
        }
        ctx.integer(killed);
    }

    private static void kill(CommandContext ctx, ClientState client) {
        if (client == ctx.client()) {
            client.closing(true); // reply first, then close (the batch end closes it)
        } else {
            client.closing(true);
            client.channel().close();
        }
    }

    private static void clientPause(CommandContext ctx) {
        if (!ctx.request().argLong(2)) {
            ctx.error("ERR timeout is not an integer or out of range");
            return;
        }
        long timeout = ctx.request().longValue();
        if (timeout < 0) {
            ctx.error("ERR timeout is negative");
            return;
        }
        boolean writesOnly = false;
        if (ctx.argc() == 4) {
            String mode = ctx.argString(3);
            if (mode.equalsIgnoreCase("write")) {
                writesOnly = true;
            } else if (!mode.equalsIgnoreCase("all")) {
                ctx.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
                return;
            }
        } else if (ctx.argc() > 4) {
            ctx.error("ERR unknown subcommand or wrong number of arguments for '" + ctx.argString(1)
                    + "'. Try CLIENT HELP.");
            return;
        }
        long now = System.currentTimeMillis();
        ctx.server().pause(timeout > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeout, writesOnly);
        ctx.ok();
    }

    private static void clientReply(CommandContext ctx) {
        String mode = ctx.argString(2).toUpperCase(Locale.ROOT);
        switch (mode) {
            case "ON" -> {
                ctx.client().replyMode(ReplyMode.ON);
                ctx.ok();
            }
            case "OFF" -> ctx.client().replyMode(ReplyMode.OFF);
            case "SKIP" -> {
                if (ctx.client().replyMode() != ReplyMode.OFF) {
                    ctx.client().replyMode(ReplyMode.SKIP);
                }
            }
            default -> ctx.syntaxError();
        }
    }

    private static void clientNoEvict(CommandContext ctx) {
        String mode = ctx.argString(2);
        if (mode.equalsIgnoreCase("on")) {
            ctx.client().noEvict(true);
        } else if (mode.equalsIgnoreCase("off")) {
            ctx.client().noEvict(false);
        } else {
            ctx.syntaxError();
            return;
        }
        ctx.ok();
    }

    private static void clientSetInfo(CommandContext ctx) {
        String attr = ctx.argString(2).toLowerCase(Locale.ROOT);
        String value = ctx.argString(3);
        if (!attr.equals("lib-name") && !attr.equals("lib-ver")) {
            ctx.error("ERR Unrecognized option '" + ctx.argString(2) + "'");
            return;
        }
        if (!validName(value) && !value.isEmpty()) {
            ctx.error("ERR " + attr + " cannot contain spaces, newlines or special characters.");
            return;
        }
        if (attr.equals("lib-name")) {
            ctx.client().libName(value);
        } else {
            ctx.client().libVersion(value);
        }
        ctx.ok();
    }
}
