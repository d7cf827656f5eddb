package io.ferrite.server.command;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueSink;
import io.ferrite.core.strings.LongParse;
import io.ferrite.server.ServerContext;
import io.ferrite.server.client.ClientState;
import io.ferrite.server.protocol.RespDecoder;
import io.ferrite.server.protocol.RespRequest;
import io.ferrite.server.protocol.RespWriter;
import io.ferrite.server.protocol.SharedReply;
import io.netty.channel.ChannelHandlerContext;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * What a handler works with while it executes one command on a connection: the request, the
 * reply writer, the client's state and the server. One per connection, reused for every
 * command, with reusable scratch objects so handlers allocate nothing on the hot path.
 */
public final class CommandContext {
    private final ServerContext server;
    private final ClientState client;
    private final RespWriter out;
    private final RespDecoder decoder;
    /** Cold blocks read for the command being retried on this connection (see ReadRetention). */
    private final io.ferrite.core.api.ReadRetention retention = new io.ferrite.core.api.ReadRetention();
    private RespRequest request;
    private CommandSpec spec;
    private ChannelHandlerContext channel;

    /** Scratch for integer results of engine calls. */
    public final LongParse number = new LongParse();
    /** A sink that writes a value as a bulk reply. */
    public final ValueSink bulkSink;
    /** Set by a sink when it received a value (for replies that differ when nothing came). */
    public boolean sinkCalled;
    /** True while a write command runs with the append-only file on (see {@link #logAs}). */
    private boolean journaling;
    /** The form a handler asked to log instead of its request (null: the request, rewritten). */
    private byte[][] loggedForm;
    /** When the command started (epoch ms): relative expiries are logged from it. */
    private long startedMillis;

    public CommandContext(ServerContext server, ClientState client, RespWriter out, RespDecoder decoder) {
        this.server = server;
        this.client = client;
        this.out = out;
        this.decoder = decoder;
        this.bulkSink = (source, offset, length) -> {
            sinkCalled = true;
            out.bulk(source, offset, (int) length);
        };
    }

    /** Output ranges of the current command that are Pub/Sub pushes (pairs of start, end). */
    private int[] pushRanges = new int[8];
    private int pushRangeCount;

    /** Where a pushed frame of this command starts (see {@link #endPush}). */
    public int beginPush() {
        return out.mark();
    }

    /**
     * Marks what was written since {@code start} as a push (a subscribe confirmation, a message):
     * CLIENT REPLY OFF or SKIP drops the command's replies but keeps it, as Redis does.
     */
    public void endPush(int start) {
        if (2 * pushRangeCount + 2 > pushRanges.length) {
            pushRanges = java.util.Arrays.copyOf(pushRanges, pushRanges.length * 2);
        }
        pushRanges[2 * pushRangeCount] = start;
        pushRanges[2 * pushRangeCount + 1] = out.mark();
        pushRangeCount++;
    }

    /** A message pushed to this connection while its own command runs: it goes out in order with the replies. */
    public void push(io.netty.buffer.ByteBuf frame) {
        int start = beginPush();
        out.raw(frame);
        endPush(start);
    }

    /** Drops the replies written after {@code mark} but keeps the pushes among them; forgets the pushes. */
    void dropRepliesAfter(int mark) {
        if (pushRangeCount == 0) {
            out.resetTo(mark);
        } else {
            out.resetKeeping(mark, pushRanges, pushRangeCount);
        }
        pushRangeCount = 0;
    }

    /** Forgets the push ranges of the previous command. */
    void startReplies() {
        pushRangeCount = 0;
    }

    void begin(ChannelHandlerContext channel, RespRequest request, CommandSpec spec) {
        this.channel = channel;
        this.request = request;
        this.spec = spec;
        this.sinkCalled = false;
        this.loggedForm = null;
        this.startedMillis = System.currentTimeMillis();
    }

    /** The last AOF slot a command of the current read batch claimed (the reply waits for it with appendfsync always). */
    private io.ferrite.core.aof.AofEntry journaled;

    void journaled(io.ferrite.core.aof.AofEntry entry) {
        this.journaled = entry;
    }

    /** The last slot claimed since the previous call, or null; clears it. */
    public io.ferrite.core.aof.AofEntry takeJournaled() {
        io.ferrite.core.aof.AofEntry entry = journaled;
        journaled = null;
        return entry;
    }

    void journaling(boolean on) {
        this.journaling = on;
    }

    /**
     * True while the command's changes go to the append-only file: a handler whose effect
     * depends on its result (SPOP, INCRBYFLOAT) then says what to log with {@link #logAs}.
     */
    public boolean journaling() {
        return journaling;
    }

    /** Logs {@code argv} for this command instead of its request (the deterministic form of its effect). */
    public void logAs(byte[]... argv) {
        this.loggedForm = argv;
    }

    /** What {@link #logAs} set for the command that just ran, or null. */
    public byte[][] loggedForm() {
        return loggedForm;
    }

    /**
     * A list to capture values into while the command is journaling (for {@link #logAs}), null
     * otherwise: without the AOF nothing is allocated for it.
     */
    public java.util.List<byte[]> captureList() {
        return journaling ? new java.util.ArrayList<>() : null;
    }

    /**
     * {@code sink}, which also copies each value it receives into {@code captured} (from
     * {@link #captureList}); {@code sink} itself when {@code captured} is null.
     */
    public ValueSink capturing(ValueSink sink, java.util.List<byte[]> captured) {
        if (captured == null) {
            return sink;
        }
        return (source, offset, length) -> {
            captured.add(source.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            sink.accept(source, offset, length);
        };
    }

    public long startedMillis() {
        return startedMillis;
    }

    public ServerContext server() { return server; }
    public FerriteStore store() { return server.store(); }
    public ClientState client() { return client; }
    public RespWriter out() { return out; }
    public RespDecoder decoder() { return decoder; }
    public io.ferrite.core.api.ReadRetention retention() { return retention; }
    public RespRequest request() { return request; }
    public CommandSpec spec() { return spec; }
    public ChannelHandlerContext channel() { return channel; }
    public int db() { return client.db(); }
    public int argc() { return request.argc(); }

    /** Argument {@code i} as a segment view (valid during the command only). */
    public MemorySegment arg(int i) {
        return request.argSegment(i);
    }

    /** Arguments {@code from .. from+count-1} as segment views (valid during the command only). */
    public MemorySegment[] args(int from, int count) {
        MemorySegment[] args = new MemorySegment[count];
        for (int i = 0; i < count; i++) {
            args[i] = request.argSegment(from + i);
        }
        return args;
    }

    /**
     * Stops a reply that would grow past proto-max-bulk-len (a random-members reply with a
     * huge negative count, which Redis would try to build until it ran out of memory): throws
     * {@link ReplyTooLarge}, which the dispatcher answers with an error instead.
     */
    public void checkReplySize() {
        if (out.pendingBytes() > server.config().get(io.ferrite.server.config.Directives.PROTO_MAX_BULK_LEN)) {
            throw new ReplyTooLarge();
        }
    }

    /** A reply was stopped by {@link #checkReplySize()}. */
    public static final class ReplyTooLarge extends RuntimeException {
        ReplyTooLarge() {
            super("ERR the reply would exceed proto-max-bulk-len", null, false, false);
        }
    }

    /** Argument {@code i} as a string (allocates: for options and names). */
    public String argString(int i) {
        return request.argString(i);
    }

    /** True when argument {@code i} is {@code upper} ignoring case. */
    public boolean argIs(int i, byte[] upper) {
        return request.argEqualsIgnoreCase(i, upper);
    }

    /**
     * Parses argument {@code i} as a Redis integer; on failure writes the standard error and
     * returns false. The value is in {@link #longValue()}.
     */
    public boolean argLong(int i) {
        if (request.argLong(i)) {
            return true;
        }
        out.error(Errors.NOT_INTEGER);
        return false;
    }

    public long longValue() {
        return request.longValue();
    }

    public void ok() {
        out.reply(SharedReply.OK);
    }

    public void error(String text) {
        out.error(text);
    }

    public void syntaxError() {
        out.reply(SharedReply.SYNTAX_ERROR);
    }

    public void integer(long value) {
        out.integer(value);
    }

    /**
     * Writes the error reply for an engine status that is not a success, in Redis's words,
     * and returns true; returns false (writing nothing) for OK, NOT_FOUND and NOT_PERFORMED,
     * whose replies are command-specific.
     */
    public boolean failed(Status status) {
        switch (status) {
            case OK, NOT_FOUND, NOT_PERFORMED -> {
                return false;
            }
            case WRONG_TYPE -> out.reply(SharedReply.WRONG_TYPE);
            case NOT_AN_INTEGER -> out.error(Errors.NOT_INTEGER);
            case NOT_A_FLOAT -> out.error(Errors.NOT_FLOAT);
            case OVERFLOW -> out.error(Errors.OVERFLOW);
            case NAN_OR_INFINITY -> out.error(Errors.NAN_OR_INFINITY);
            case VALUE_TOO_LARGE -> out.error(Errors.STRING_TOO_LONG);
            case KEY_TOO_LARGE -> out.error(Errors.KEY_TOO_LONG);
            case OUT_OF_RANGE -> out.error(Errors.OFFSET_OUT_OF_RANGE);
            case SAME_KEY -> out.error("ERR source and destination objects are the same");
            case OUT_OF_MEMORY -> out.error(Errors.OOM);
        }
        return true;
    }

    /**
     * Ends an aggregate reply whose elements were written since {@code mark}: inserts its
     * header for {@code count} elements, or, when {@code status} failed, drops what was written
     * and answers the error instead.
     */
    public void endDeferred(int mark, Status status, RespWriter.Aggregate kind, long count) {
        if (status != Status.OK) {
            out.resetTo(mark);
            failed(status);
            return;
        }
        out.endDeferred(mark, kind, count);
    }

    /** Counts a keyspace hit or miss for INFO stats. */
    public void hit(boolean found) {
        (found ? server.stats().keyspaceHits : server.stats().keyspaceMisses).increment();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
