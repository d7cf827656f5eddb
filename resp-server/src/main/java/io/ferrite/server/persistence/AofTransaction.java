package io.ferrite.server.persistence;

import io.ferrite.core.aof.AofReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands of a MULTI/EXEC transaction met while loading an AOF, kept until its EXEC so
 * that it is applied whole or not at all (a crash may cut the file inside one).
 */
final class AofTransaction {
    /** Receives one kept command: its arguments at {@code offsets}/{@code lengths} in {@code buffer}. */
    @FunctionalInterface
    interface CommandSink {
        void command(ByteBuf buffer, int[] offsets, int[] lengths, int argc) throws Exception;
    }

    private final List<byte[][]> commands = new ArrayList<>();
    private boolean open;

    void begin() {
        commands.clear();
        open = true;
    }

    boolean open() {
        return open;
    }

    /** Keeps a copy of {@code command} (the reader's views last only for the call). */
    void add(AofReader.Command command) {
        byte[][] args = new byte[command.argc()][];
        for (int i = 0; i < args.length; i++) {
            args[i] = command.arg(i);
        }
        commands.add(args);
    }

    /** Hands every kept command to {@code sink}, in order, and ends the transaction. */
    void replay(CommandSink sink) throws Exception {
        for (byte[][] args : commands) {
            int total = 0;
            for (byte[] a : args) {
                total += a.length;
            }
            byte[] joined = new byte[total];
            int[] offsets = new int[args.length];
            int[] lengths = new int[args.length];
            int at = 0;
            for (int i = 0; i < args.length; i++) {
                System.arraycopy(args[i], 0, joined, at, args[i].length);
                offsets[i] = at;
                lengths[i] = args[i].length;
                at += args[i].length;
            }
            sink.command(Unpooled.wrappedBuffer(joined), offsets, lengths, args.length);
        }
        discard();
    }

    /** Forgets a transaction that never reached its EXEC. */
    void discard() {
        commands.clear();
        open = false;
    }
}
