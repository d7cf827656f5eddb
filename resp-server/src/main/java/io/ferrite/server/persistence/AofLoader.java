package io.ferrite.server.persistence;

import io.ferrite.core.aof.AofFormatException;
import io.ferrite.core.aof.AofPosition;
import io.ferrite.core.aof.AofReader;
import io.ferrite.core.aof.AppendOnlyFile;
import io.ferrite.server.ServerContext;
import io.ferrite.server.client.ClientState;
import io.ferrite.server.command.CommandContext;
import io.ferrite.server.command.Dispatcher;
import io.ferrite.server.protocol.RespRequest;
import io.ferrite.server.protocol.RespWriter;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Replays the append-only file at start, as Redis's loader does: every command of the base
 * and then of each incremental file runs through the dispatcher as a client that gets no
 * replies; a base in RDB form (Redis 7's default, {@code aof-use-rdb-preamble yes}) is loaded
 * as an RDB file. A MULTI/EXEC transaction is applied as one unit at its EXEC; one that a crash
 * cut off before its EXEC is dropped with the file's cut-off end, as Redis's loader does. A last command cut off by a crash is dropped and the file truncated after the last
 * complete one (with {@code aof-load-truncated yes}, Redis's default), and logged; any other
 * problem stops the start with the file and offset named.
 */
final class AofLoader {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AofLoader.class);
    private static final long PROGRESS_EVERY_MILLIS = 2000;

    /** What was loaded. */
    record Loaded(long commands, long bytes, long millis) {}

    private final ServerContext server;
    private final Dispatcher dispatcher;
    private final LoadingState state;

    AofLoader(ServerContext server, LoadingState state) {
        this.server = server;
        this.dispatcher = new Dispatcher(server);
        this.state = state;
    }

    /** Runs one command of the file; a command Ferrite does not know stops the load. */
    private void replay(CommandContext ctx, RespRequest request, Path file, long end) throws AofFormatException {
        if (!dispatcher.replay(ctx, request)) {
            throw new AofFormatException(file, end, "Unknown command '" + request.argString(0)
                    + "' reading the append only file");
        }
    }

    Loaded load(AppendOnlyFile aof, boolean loadTruncated) throws Exception {
        return load(aof, aof.filesToReplay(), null, loadTruncated);
    }

    /**
     * Replays what the AOF holds after a checkpoint frozen at {@code from}: {@code files} (from
     * {@link AppendOnlyFile#filesToReplayFrom}), the first one from the position's offset, in
     * the database selected there.
     */
    Loaded loadAfter(AppendOnlyFile aof, List<Path> files, AofPosition from, boolean loadTruncated) throws Exception {
        return load(aof, files, from, loadTruncated);
    }

    private Loaded load(AppendOnlyFile aof, List<Path> files, AofPosition from, boolean loadTruncated) throws Exception {
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        long started = System.currentTimeMillis();
        state.begin(started, total);
        CommandContext ctx = new CommandContext(server, new ClientState(-1, null, true),
                new RespWriter(UnpooledByteBufAllocator.DEFAULT), null);
        RespRequest request = new RespRequest();
        io.netty.buffer.ByteBuf[] wrapped = {null};
        java.nio.ByteBuffer[] buffers = {null};
        long[] commands = {0};
        long[] done = {0};
        long[] nextReport = {started + PROGRESS_EVERY_MILLIS};
        AofTransaction transaction = new AofTransaction();
        if (from != null) {
            total -= from.offset();
            ctx.client().db(Math.max(0, from.db()));
        }
        try {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                if (i == 0 && from == null && AofReader.isRdb(file)) {
                    // A base in RDB form (aof-use-rdb-preamble yes, Redis 7's default).
                    RdbLoader.Loaded base = new RdbLoader(server.store(), state).load(file, false);
                    commands[0] += base.keys();
                    done[0] += Files.size(file);
                    state.begin(started, total);
                    state.loaded(done[0]);
                    continue;
                }
                long skipped = i == 0 && from != null ? from.offset() : 0;
                long fileStart = done[0] - skipped;
                AofReader.Outcome outcome = AofReader.read(file, skipped, (command, end) -> {
                    if (command.is("MULTI")) {
                        transaction.begin();
                    } else if (command.is("EXEC")) {
                        // The whole transaction at once: a file cut inside one never applies part of it.
                        transaction.replay((buffer, offsets, lengths, argc) -> {
                            request.over(buffer);
                            for (int a = 0; a < argc; a++) {
                                request.addArgument(offsets[a], lengths[a]);
                            }
                            replay(ctx, request, file, end);
                        });
                    } else if (transaction.open()) {
                        transaction.add(command);
                    } else {
                        if (wrapped[0] == null || buffers[0] != command.data()) {
                            buffers[0] = command.data(); // the reader's buffer, grown or new
                            wrapped[0] = Unpooled.wrappedBuffer(command.data().duplicate().clear());
                        }
                        request.over(wrapped[0]);
                        for (int a = 0; a < command.argc(); a++) {
                            request.addArgument(command.offset(a), command.length(a));
                        }
                        replay(ctx, request, file, end);
                    }
                    commands[0]++;
                    state.loaded(fileStart + end);
                    long now = System.currentTimeMillis();
                    if (now >= nextReport[0]) {
                        nextReport[0] = now + PROGRESS_EVERY_MILLIS;
                        log.info(state.progress("AOF", commands[0], "commands"));
                    }
                });
                transaction.discard(); // cut off before its EXEC: never applied (the file is truncated below)
                if (!outcome.clean()) {
                    boolean last = i == files.size() - 1;
                    if (outcome.truncated() && last && loadTruncated) {
                        if (outcome.problem().contains("MULTI")) {
                            log.warn("Revert incomplete MULTI/EXEC transaction in AOF file {}", file.getFileName());
                        }
                        log.warn("!!! Warning: short read while loading the AOF file {}: {} !!! AOF loaded anyway because"
                                        + " aof-load-truncated is enabled; the file is truncated to its last complete command"
                                        + " (offset {}, {} bytes dropped)", file.getFileName(), outcome.problem(), outcome.validUpTo(),
                                outcome.size() - outcome.validUpTo());
                        aof.truncate(file, outcome.validUpTo());
                    } else {
                        String fix = outcome.truncated() && last
                                ? " (aof-load-truncated is off)" : "";
                        throw new AofFormatException(file, outcome.validUpTo(), "Bad file format reading the append only file ("
                                + outcome.problem() + ")" + fix + ": make a backup of your AOF files, then run"
                                + " ./ferrite check-aof --fix " + aof.manifestFile() + ";");
                    }
                }
                done[0] += Files.size(file) - skipped;
            }
        } finally {
            ctx.out().discard(); // the state ends once the AOF logs again (Persistence)
        }
        long millis = System.currentTimeMillis() - started;
        return new Loaded(commands[0], done[0], millis);
    }
}
