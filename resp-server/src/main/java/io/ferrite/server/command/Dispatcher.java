package io.ferrite.server.command;

import io.ferrite.core.api.DiskReadPending;
import io.ferrite.core.api.DiskReads;
import io.ferrite.core.api.StorageException;
import io.ferrite.core.aof.AofEntry;
import io.ferrite.core.aof.AppendOnlyFile;
import io.ferrite.core.snapshot.WriteGate;
import io.ferrite.server.ServerContext;
import io.ferrite.server.client.ClientState;
import io.ferrite.server.client.ReplyMode;
import io.ferrite.server.protocol.RespRequest;
import io.ferrite.server.protocol.RespWriter;
import io.ferrite.server.stats.CommandStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs one request the way Redis's processCommand does: look the command up (and its
 * subcommand), check arity, authentication and memory, execute, then account for it
 * (stats, slow log, latency, CLIENT REPLY modes). Every refusal uses Redis's wording.
 */
public final class Dispatcher {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Dispatcher.class);
    private final ServerContext server;

    public Dispatcher(ServerContext server) {
        this.server = server;
    }

    /** Executes {@code request} on the connection whose context is {@code ctx}. */
    public void dispatch(CommandContext ctx, io.netty.channel.ChannelHandlerContext channel, RespRequest request) {
        ClientState client = ctx.client();
        RespWriter out = ctx.out();
        int mark = out.mark();
        ctx.startReplies();
        CommandSpec spec = resolve(request, out);
        if (spec != null && !admit(spec, client, request, out)) {
            spec = null;
        }
        if (spec == null) {
            server.stats().errorReplies.increment();
            applyReplyMode(ctx, mark, false);
            return;
        }
        if (server.persistence().loading().loading() && !spec.hasFlag("loading")) {
            out.error(Errors.LOADING);
            server.stats().errorReplies.increment();
            applyReplyMode(ctx, mark, false);
            return;
        }
        AppendOnlyFile aof = spec.write() ? server.persistence().aof() : null;
        if (aof != null && aof.lastWriteFailed()) {
            out.error(Errors.MISCONF_AOF + aof.lastWriteError());
            server.stats().errorReplies.increment();
            applyReplyMode(ctx, mark, false);
            return;
        }
        if (spec.write() && server.persistence().rdbWritesRefused()) {
            out.error(Errors.MISCONF_RDB);
            server.stats().errorReplies.increment();
            applyReplyMode(ctx, mark, false);
            return;
        }
        if (server.pausedUntilMillis() != 0 && server.isPaused(spec.write()) && !client.closing()) {
            postpone(ctx, channel);
            return;
        }
        if (spec.denyOom() && waitForMemory(ctx, channel, client)) {
            return;
        }
        ctx.begin(channel, request, spec);
        client.touch(spec.fullName(), System.currentTimeMillis());
        long started = System.nanoTime();
        DiskReads.retainInto(ctx.retention());
        WriteGate gate = spec.write() ? server.store().writeGate() : null;
        boolean imageFirst = gate != null && gate.enter();
        if (aof != null) {
            aof.beginCommand();
        }
        ctx.journaling(aof != null);
        try {
            if (imageFirst) {
                imageKeys(gate, ctx, spec, request);
            }
            spec.handler().execute(ctx);
            ctx.retention().clear();
        } catch (DiskReadPending pending) {
            // The command needs a record that is on disk and changed nothing: run it again,
            // with everything after it, once the read completes. Replies keep their order.
            out.resetTo(mark);
            server.stats().diskReadWaits.increment();
            ctx.decoder().redeliverLater();
            pending.ready().whenComplete((ignored, error) -> channel.executor().execute(() -> ctx.decoder().resume()));
            return;
        } catch (CommandContext.ReplyTooLarge e) {
            ctx.retention().clear();
            out.resetTo(mark);
            out.error(e.getMessage());
            spec.stats().failedCalls.increment();
        } catch (StorageException e) {
            // The disk failed us (a corrupt block, an I/O error): say so, name where; the engine
            // logged it. Other keys and other clients are unaffected.
            ctx.retention().clear();
            out.resetTo(mark);
            out.error("ERR " + e.getMessage());
            spec.stats().failedCalls.increment();
        } catch (RuntimeException e) {
            // A handler bug must not cost the client its connection nor go unnoticed: the
            // engine releases its locks in finally blocks, so the store stays consistent.
            log.error("Command '{}' failed with an internal error", spec.fullName(), e);
            ctx.retention().clear();
            out.resetTo(mark);
            out.error("ERR internal error in '" + spec.fullName() + "': " + e.getClass().getSimpleName());
            spec.stats().failedCalls.increment();
        } finally {
            DiskReads.retainInto(null);
            if (aof != null) {
                journal(aof, ctx);
            }
            if (gate != null) {
                gate.exit();
            }
        }
        long micros = (System.nanoTime() - started) / 1000;
        account(ctx, spec, request, micros);
        applyReplyMode(ctx, mark, spec.fullName().equals("client|reply"));
    }

    /**
     * Closes the command's journal scope: if it changed something, its slot in the append-only
     * file gets the command's logged form (always, so the writer never waits in vain).
     */
    private void journal(AppendOnlyFile aof, CommandContext ctx) {
        ctx.journaling(false);
        AofEntry entry = aof.endCommand();
        AofEntry last = aof.lastOfCommand();
        if (last != null) {
            ctx.journaled(last);
        }
        if (entry == null) {
            return;
        }
        byte[] form;
        try {
            form = JournalForms.form(ctx);
        } catch (RuntimeException e) {
            log.error("Could not compute the logged form of '{}'; logging it as sent", ctx.spec().fullName(), e);
            form = JournalForms.verbatim(ctx.request());
        }
        aof.publish(entry, ctx.db(), form);
    }

    /**
     * While a point-in-time image is taken (AOF rewrite, RDB save), the keys a write touches
     * are imaged before the write changes them (see WriteGate); a cold key may make this throw
     * DiskReadPending, handled like the command's own.
     */
    private static void imageKeys(WriteGate gate, CommandContext ctx, CommandSpec spec, RespRequest request) {
        int argc = request.argc();
        if (spec.firstKey() > 0) {
            int last = spec.lastKey() < 0 ? argc + spec.lastKey() : spec.lastKey();
            int step = Math.max(1, spec.step());
            for (int i = spec.firstKey(); i <= last && i < argc; i += step) {
                gate.imageBeforeWrite(ctx.db(), request.argBytes(i));
            }
        }
        // MOVE and COPY ... DB write a key of another database too.
        String name = spec.fullName();
        // (A database out of range fails the command itself, which then writes nothing.)
        int databases = ctx.store().config().databases();
        if (name.equals("move") && argc == 3 && request.argLong(2) && request.longValue() >= 0 && request.longValue() < databases) {
            gate.imageBeforeWrite((int) request.longValue(), request.argBytes(1));
        } else if (name.equals("copy")) {
            for (int i = 3; i + 1 < argc; i++) {
                if (request.argEqualsIgnoreCase(i, DB) && request.argLong(i + 1) && request.longValue() >= 0
                        && request.longValue() < databases) {
                    gate.imageBeforeWrite((int) request.longValue(), request.argBytes(2));
                }
            }
        }
    }

    private static final byte[] DB = "DB".getBytes(StandardCharsets.US_ASCII);

    /**
     * Runs a command read from the append-only file, as Redis's loader runs them: no checks
     * of authentication, memory or pauses, no reply; an error reply is ignored. Returns false
     * for a command (or arity) Ferrite does not know, which the loader reports.
     */
    public boolean replay(CommandContext ctx, RespRequest request) {
        RespWriter out = ctx.out();
        CommandSpec spec = resolve(request, out);
        out.resetTo(0); // the replies are dropped; the buffer is kept for the next command
        if (spec == null) {
            return false;
        }
        long waitUntil = 0;
        while (server.store().writesShouldWait()) {
            // The page mover is behind: loading waits for it (as a client's write would) instead
            // of running into -OOM, for as long as it makes progress.
            long now = System.nanoTime();
            if (waitUntil == 0) {
                waitUntil = now + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            } else if (now > waitUntil) {
                break;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        ctx.begin(null, request, spec);
        try {
            spec.handler().execute(ctx);
        } finally {
            out.resetTo(0);
        }
        return true;
    }

    /** How long a write waits for the page mover before it is let through to take its chances. */
    private static final long MEMORY_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    /**
     * Backpressure with disk tiers: while memory is above maxmemory because the page mover is
     * behind a burst of writes, a write is retried a millisecond later instead of running now
     * (the connection waits; the event loop does not). After a while it runs anyway, and gets
     * -OOM only if memory is really exhausted.
     *
     * @return true when the request was postponed
     */
    private boolean waitForMemory(CommandContext ctx, io.netty.channel.ChannelHandlerContext channel, ClientState client) {
        if (!server.store().writesShouldWait()) {
            client.memoryWaitStartedNanos(0);
            return false;
        }
        long now = System.nanoTime();
        if (client.memoryWaitStartedNanos() == 0) {
            client.memoryWaitStartedNanos(now);
        } else if (now - client.memoryWaitStartedNanos() > MEMORY_WAIT_NANOS) {
            client.memoryWaitStartedNanos(0);
            return false;
        }
        server.stats().memoryWaits.increment();
        ctx.decoder().redeliverLater();
        channel.executor().schedule(() -> ctx.decoder().resume(), 1, java.util.concurrent.TimeUnit.MILLISECONDS);
        return true;
    }

    /**
     * CLIENT PAUSE: leaves the request in the decoder and wakes the connection when the pause
     * ends (or CLIENT UNPAUSE comes), when the same request is delivered again.
     */
    private void postpone(CommandContext ctx, io.netty.channel.ChannelHandlerContext channel) {
        ctx.decoder().redeliverLater();
        Runnable[] wake = new Runnable[1];
        wake[0] = () -> channel.executor().execute(() -> {
            server.cancelPostponed(wake[0]);
            ctx.decoder().resume();
        });
        long delay = Math.max(1, server.pausedUntilMillis() - System.currentTimeMillis());
        if (server.postpone(wake[0])) {
            channel.executor().schedule(wake[0], delay, java.util.concurrent.TimeUnit.MILLISECONDS);
        } else {
            wake[0].run();
        }
    }

    /** Finds the command and subcommand, writing the error reply when there is none. */
    private CommandSpec resolve(RespRequest request, RespWriter out) {
        CommandSpec spec = server.commands().lookup(request, 0);
        if (spec == null) {
            out.error(unknownCommand(request));
            return null;
        }
        if (spec.isContainer() && !(request.argc() == 1 && spec.handler() != null)) {
            if (request.argc() < 2) {
                out.error(Errors.arity(spec.fullName()));
                return null;
            }
            CommandSpec sub = spec.subcommands().get(request.argString(1).toLowerCase(Locale.ROOT));
            if (sub == null) {
                out.error(Errors.unknownSubcommand(request.argString(1), spec.name()));
                return null;
            }
            spec = sub;
        }
        if (!spec.arityAccepts(request.argc())) {
            out.error(Errors.arity(spec.fullName()));
            return null;
        }
        return spec;
    }

    /** Authentication and memory checks; writes the refusal and returns false. */
    private boolean admit(CommandSpec spec, ClientState client, RespRequest request, RespWriter out) {
        if (!client.authenticated() && !spec.noAuth()) {
            out.error(Errors.NOAUTH);
            return false;
        }
        if (spec.denyOom() && server.store().memoryExhausted()) {
            out.error(Errors.OOM);
            return false;
        }
        if (client.protocol() == 2 && client.subscribed() && !spec.allowedWhileSubscribed()) {
            out.error(Errors.subscriberMode(spec.fullName()));
            return false;
        }
        return true;
    }

    private void account(CommandContext ctx, CommandSpec spec, RespRequest request, long micros) {
        CommandStats.Entry entry = spec.stats();
        entry.calls.increment();
        entry.micros.add(micros);
        server.stats().commandsProcessed.increment();
        if (server.slowLog().isSlow(micros)) {
            List<byte[]> args = new ArrayList<>(request.argc());
            for (int i = 0; i < request.argc(); i++) {
                args.add(request.argBytes(i));
            }
            server.slowLog().add(micros, args, ctx.client().remoteAddress(), ctx.client().name());
        }
        if (micros >= 1000) {
            server.latency().record("command", micros / 1000);
        }
    }

    /**
     * CLIENT REPLY: with OFF every reply is dropped; SKIP drops the reply of the command
     * after the CLIENT REPLY SKIP itself. {@code isReplyCommand} marks that CLIENT REPLY
     * command, whose own reply rules it decided already.
     */
    private void applyReplyMode(CommandContext ctx, int mark, boolean isReplyCommand) {
        ClientState client = ctx.client();
        ReplyMode mode = client.replyMode();
        if (mode == ReplyMode.ON) {
            return;
        }
        ctx.dropRepliesAfter(mark);
        if (mode == ReplyMode.SKIP && !isReplyCommand) {
            client.replyMode(ReplyMode.ON);
        }
    }

    /** Redis: "unknown command 'x', with args beginning with: 'a' 'b' " (args capped at 128 bytes). */
    static String unknownCommand(RespRequest request) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < request.argc() && args.length() < 128; i++) {
            String arg = request.argString(i);
            String capped = Errors.cap(arg, 128 - args.length());
            args.append('\'').append(capped).append("' ");
        }
        String name = request.argString(0);
        return "ERR unknown command '" + Errors.cap(name, 128) + "', with args beginning with: " + args;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
