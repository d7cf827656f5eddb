package io.ferrite.server;

import io.ferrite.core.aof.AofEntry;
import io.ferrite.core.aof.AppendOnlyFile;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;

/**
 * With {@code appendfsync always}, one connection's replies held back until the writes they
 * acknowledge are fsynced, then sent in their order. Replies of a batch that wrote nothing
 * wait only for the batches before them. Confined to the connection's event loop.
 */
final class DurableReplies {
    /** Replies of one read batch and the AOF slot they wait for (null: none of their own). */
    private record Pending(ByteBuf replies, AofEntry after) {}

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean registered;
    /** The file the held replies wait for (kept: it may be switched off meanwhile, and closing it releases them). */
    private AppendOnlyFile aof;

    boolean waiting() {
        return !queue.isEmpty();
    }

    /** Holds {@code replies} until {@code after} (null: only what is held already) is fsynced in {@code file}. */
    void add(ChannelHandlerContext ctx, ByteBuf replies, AofEntry after, AppendOnlyFile file) {
        if (file != null) {
            aof = file;
        }
        queue.add(new Pending(replies, after));
        if (!registered) {
            next(ctx);
        }
    }

    /** Sends what waits for nothing more, then waits for the newest slot still queued. */
    private void next(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!queue.isEmpty() && queue.peek().after() == null) {
            ctx.write(queue.poll().replies(), ctx.voidPromise());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        AofEntry target = null;
        for (Pending p : queue) {
            if (p.after() != null) {
                target = p.after();
            }
        }
        if (target == null || aof == null) {
            registered = false;
            return;
        }
        registered = true;
        AofEntry waitFor = target;
        aof.whenDurable(waitFor, () -> ctx.executor().execute(() -> released(ctx, waitFor)));
        commitAfterThisPass(ctx, aof);
    }

    /** Per event loop: whether a commit is already scheduled for the end of the current pass. */
    private static final io.netty.util.concurrent.FastThreadLocal<boolean[]> COMMIT_SCHEDULED =
            new io.netty.util.concurrent.FastThreadLocal<>() {
                @Override
                protected boolean[] initialValue() {
                    return new boolean[1];
                }
            };

    /**
     * One commit per event-loop pass: a task runs after the loop has handled every connection
     * that was readable, so the fsync it starts covers the writes of all of them.
     */
    private static void commitAfterThisPass(ChannelHandlerContext ctx, AppendOnlyFile aof) {
        boolean[] scheduled = COMMIT_SCHEDULED.get();
        if (scheduled[0]) {
            return;
        }
        scheduled[0] = true;
        ctx.executor().execute(() -> {
            scheduled[0] = false;
            aof.commit();
        });
    }

    private void released(ChannelHandlerContext ctx, AofEntry durable) {
        while (!queue.isEmpty()) {
            Pending p = queue.poll();
            ctx.write(p.replies(), ctx.voidPromise());
            if (p.after() == durable) {
                break;
            }
        }
        ctx.flush();
        registered = false;
        next(ctx);
    }

    /** The connection closed: drops what was held. */
    void discard() {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.replies().release();
        }
    }
}
