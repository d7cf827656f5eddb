package io.ferrite.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decodes RESP requests (multibulk {@code *N\r\n$len\r\n...} and inline telnet-style lines)
 * and hands each one to a {@link RequestHandler} synchronously, without producing message
 * objects and without copying arguments: the handler reads them in place through a reusable
 * {@link RespRequest}.
 *
 * <p>The parser is an explicit state machine over the buffered bytes. When a request is
 * incomplete it records how far it got (the state, the position, where the search for the
 * next CR resumes) and continues there when more bytes arrive, so fragments may be split
 * anywhere, including inside a CRLF or a length, and a large request is scanned once.
 * Pipelined requests are dispatched one after the other from the same buffer, and
 * {@link RequestHandler#batchComplete} is called once per read batch.
 *
 * <p>Limits ({@link ProtocolLimits}) are checked as soon as the length that would break them
 * is read, before anything is buffered for it. A protocol error writes Redis's error reply,
 * flushes and closes this connection; exceeding the query buffer limit closes it without a
 * reply, as Redis does.
 *
 * <p>One instance per channel (it holds that channel's parse state); not sharable.
 */
public final class RespDecoder extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RespDecoder.class);

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    /** A request must fit in one Java buffer; larger lengths are refused whatever the limits say. */
    private static final int MAX_BUFFER = Integer.MAX_VALUE - 64;
    /** Redis's limits for connections that still have to AUTH (authRequired in networking.c). */
    private static final int UNAUTHENTICATED_MAX_MULTIBULK = 10;
    private static final int UNAUTHENTICATED_MAX_BULK = 16384;

    private enum State {
        /** Between requests: the next byte decides multibulk ('*') or inline. */
        START,
        /** Reading the {@code *N} line. */
        MULTIBULK_COUNT,
        /** Reading a {@code $len} line. */
        BULK_LENGTH,
        /** Waiting for {@code len} bytes plus CRLF. */
        BULK_DATA,
        /** Waiting for the LF ending an inline request. */
        INLINE,
        /** A protocol error or the query buffer limit closed the connection: input is dropped. */
        FAILED
    }

    private final RequestHandler handler;
    private final ProtocolLimits limits;
    private final RespRequest request = new RespRequest();
    private final DecimalParser decimal = new DecimalParser();

    private ChannelHandlerContext context;
    /** Unparsed input; its reader index is always the first byte of the current request. */
    private ByteBuf cumulation;
    /** True if we allocated {@link #cumulation} (as opposed to adopting a read buffer), so we may rewrite it. */
    private boolean ownsCumulation;

    private State state = State.START;
    /** Parse position, relative to the request's first byte. */
    private int position;
    /** Where the search for the current line's terminator resumes, relative to the request's first byte. */
    private int scanFrom;
    private int argumentsLeft;
    private int bulkLength;

    /** A request was handled since the last {@link RequestHandler#batchComplete}. */
    private boolean dispatched;
    /** Reader index of the request being handled, -1 outside {@link RequestHandler#handle}. */
    private int handlingStart = -1;
    private boolean suspended;
    private boolean decoding;
    private boolean authenticationRequired;

    public RespDecoder(RequestHandler handler, ProtocolLimits limits) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Applies Redis's stricter sizes for connections that have not authenticated yet (at most
     * 10 arguments and 16384-byte bulks), so an anonymous client cannot make the server buffer
     * large requests. The handler turns it off after a successful AUTH.
     */
    public void requireAuthentication(boolean required) {
        this.authenticationRequired = required;
    }

    /**
     * Stops dispatching after the current request (e.g. a blocking command or QUIT): later
     * requests stay buffered and reading from the socket pauses until {@link #resume()}.
     */
    public void suspend() {
        if (!suspended) {
            suspended = true;
            if (context != null) {
                context.channel().config().setAutoRead(false);
            }
        }
    }

    /**
     * Resumes after {@link #suspend()}: dispatches the requests already buffered, then reads
     * again. Must be called on the channel's event loop.
     */
    public void resume() {
        if (!suspended) {
            return;
        }
        suspended = false;
        ChannelHandlerContext ctx = context;
        if (ctx == null) {
            return;
        }
        if (!decoding) {
            decodeBuffered(ctx);
            completeBatch(ctx);
        }
        if (state != State.FAILED && ctx.channel().isOpen()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** True while dispatching is suspended. */
    public boolean isSuspended() {
        return suspended;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stopAndRelease();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state == State.FAILED) {
            in.release();
            return;
        }
        append(ctx, in);
        if (!suspended) {
            decodeBuffered(ctx);
        }
        if (state != State.FAILED && cumulation != null && cumulation.readableBytes() > limits.queryBufferLimit()) {
            closeForQueryBufferLimit(ctx, cumulation.readableBytes());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        completeBatch(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopAndRelease();
        ctx.fireChannelInactive();
    }

    /**
     * Exceptions here come from the request handler or the transport. Either way the stream
     * position can no longer be trusted (or the socket is gone): close, and pass the cause on
     * for the pipeline's last handler to log.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stopAndRelease();
        ctx.close();
        ctx.fireExceptionCaught(cause);
    }

    // --- buffering ------------------------------------------------------------------------

    /** Takes ownership of {@code in} and adds its bytes to the unparsed input. */
    private void append(ChannelHandlerContext ctx, ByteBuf in) {
        if (cumulation == null) {
            // Common case: no partial request is pending, so parse the read buffer itself.
            cumulation = in;
            ownsCumulation = false;
            return;
        }
        int incoming = in.readableBytes();
        try {
            if (incoming == 0) {
                return;
            }
            ByteBuf buf = cumulation;
            boolean writable = buf.refCnt() == 1 && !buf.isReadOnly();
            if (!writable || buf.writableBytes() < incoming) {
                int pending = buf.readableBytes();
                if (writable && ownsCumulation && buf.capacity() - pending >= incoming) {
                    // Room enough once the consumed prefix is dropped: move the partial request down.
                    buf.discardReadBytes();
                } else {
                    replaceCumulation(ctx, grownCapacity(pending, incoming));
                }
            }
            cumulation.writeBytes(in);
        } finally {
            in.release();
        }
    }

    /**
     * Capacity for a new cumulation: at least what is needed, the whole current bulk when its
     * length is known (so a 100 MB value is copied once, not once per doubling), and otherwise
     * double the pending bytes so a request made of many small arguments grows in amortized
     * linear time.
     */
    private int grownCapacity(int pending, int incoming) {
        long needed = (long) pending + incoming;
        long target = Math.max(needed, Math.min(2L * pending, MAX_BUFFER));
        if (state == State.BULK_DATA) {
            target = Math.max(needed, (long) position + bulkLength + 2);
        }
        target = Math.max(target, 256);
        if (needed > MAX_BUFFER) {
            // Unreachable while the bulk and query buffer limits hold; fail loudly if they don't.
            throw new IllegalStateException("request larger than a buffer can hold: " + needed + " bytes");
        }
        return (int) Math.min(target, MAX_BUFFER);
    }

    /** Moves the pending bytes into a new buffer we own, of {@code capacity} bytes. */
    private void replaceCumulation(ChannelHandlerContext ctx, int capacity) {
        ByteBuf old = cumulation;
        ByteBuf grown = ctx.alloc().buffer(capacity);
        grown.writeBytes(old, old.readerIndex(), old.readableBytes());
        old.release();
        cumulation = grown;
        ownsCumulation = true;
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    /**
     * The connection is going away. If that happens inside {@link RequestHandler#handle} (the
     * handler closed it), the request being handled still reads the buffer, so the release
     * waits for the decode loop to unwind.
     */
    private void stopAndRelease() {
        state = State.FAILED;
        if (!decoding) {
            releaseCumulation();
        }
    }

    // --- parsing ----------------------------------------------------------------------------

    private void decodeBuffered(ChannelHandlerContext ctx) {
        decoding = true;
        try {
            while (cumulation != null && state != State.FAILED && !suspended
                    && ctx.channel().isOpen() && step(ctx)) {
                // each step consumed a request, skipped one, or advanced the state
            }
        } finally {
            decoding = false;
            if (cumulation != null && (state == State.FAILED || !cumulation.isReadable())) {
                releaseCumulation();
            }
        }
    }

    /** Advances the state machine once; false when more bytes are needed or the connection failed. */
    private boolean step(ChannelHandlerContext ctx) {
        ByteBuf buf = cumulation;
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        return switch (state) {
            case START -> begin(buf, start, end);
            case MULTIBULK_COUNT -> readMultibulkCount(ctx, buf, start, end);
            case BULK_LENGTH -> readBulkLength(ctx, buf, start, end);
            case BULK_DATA -> readBulkData(ctx, buf, start, end);
            case INLINE -> readInline(ctx, start, end);
            case FAILED -> false;
        };
    }

    private boolean begin(ByteBuf buf, int start, int end) {
        if (start == end) {
            return false;
        }
        request.reset();
        position = buf.getByte(start) == '*' ? 1 : 0;
        state = position == 1 ? State.MULTIBULK_COUNT : State.INLINE;
        scanFrom = position;
        return true;
    }

    private boolean readMultibulkCount(ChannelHandlerContext ctx, ByteBuf buf, int start, int end) {
        int cr = buf.indexOf(start + scanFrom, end, CR);
        if (cr < 0) {
            if (end - start > limits.maxInlineSize()) {
                return fail(ctx, "Protocol error: too big mbulk count string");
            }
            scanFrom = end - start;
            return false;
        }
        if (cr + 1 >= end) {
            scanFrom = cr - start; // the LF has not arrived: look at this CR again next time
            return false;
        }
        if (buf.getByte(cr + 1) != LF || !decimal.parse(buf, start + 1, cr - start - 1)
                || decimal.value() > limits.maxMultibulkLength()) {
            return fail(ctx, "Protocol error: invalid multibulk length");
        }
        long count = decimal.value();
        if (authenticationRequired && count > UNAUTHENTICATED_MAX_MULTIBULK) {
            return fail(ctx, "Protocol error: unauthenticated multibulk length");
        }
        position = cr + 2 - start;
        if (count <= 0) {
            // "*0" and "*-1" are not commands; Redis skips them silently.
            buf.readerIndex(start + position);
            state = State.START;
            return true;
        }
        argumentsLeft = (int) count;
        state = State.BULK_LENGTH;
        scanFrom = position;
        return true;
    }

    private boolean readBulkLength(ChannelHandlerContext ctx, ByteBuf buf, int start, int end) {
        int lineStart = start + position;
        if (lineStart >= end) {
            return false;
        }
        byte type = buf.getByte(lineStart);
        if (type != '$') {
            // Redis waits for the whole line before complaining; the verdict can't change, so
            // fail at once rather than buffer up to 64 KB of garbage first.
            return fail(ctx, "Protocol error: expected '$', got '", type);
        }
        int cr = buf.indexOf(start + scanFrom, end, CR);
        if (cr < 0) {
            if (end - lineStart > limits.maxInlineSize()) {
                return fail(ctx, "Protocol error: too big bulk count string");
            }
            scanFrom = end - start;
            return false;
        }
        if (cr + 1 >= end) {
            scanFrom = cr - start;
            return false;
        }
        if (buf.getByte(cr + 1) != LF || !decimal.parse(buf, lineStart + 1, cr - lineStart - 1)
                || decimal.value() < 0 || decimal.value() > Math.min(limits.maxBulkLength(), MAX_BUFFER)) {
            return fail(ctx, "Protocol error: invalid bulk length");
        }
        long length = decimal.value();
        if (authenticationRequired && length > UNAUTHENTICATED_MAX_BULK) {
            return fail(ctx, "Protocol error: unauthenticated bulk length");
        }
        int dataStart = cr + 2 - start;
        long requestBytes = dataStart + length + 2;
        if (requestBytes > limits.queryBufferLimit() || requestBytes > MAX_BUFFER) {
            // Refuse now, before buffering any of it.
            closeForQueryBufferLimit(ctx, requestBytes);
            return false;
        }
        position = dataStart;
        bulkLength = (int) length;
        state = State.BULK_DATA;
        return true;
    }

    private boolean readBulkData(ChannelHandlerContext ctx, ByteBuf buf, int start, int end) {
        int dataStart = start + position;
        if (end - dataStart < bulkLength + 2) {
            return false;
        }
        int terminator = dataStart + bulkLength;
        if (buf.getByte(terminator) != CR || buf.getByte(terminator + 1) != LF) {
            // Redis skips these two bytes unchecked; accepting garbage there would silently
            // desynchronize the stream, so Ferrite refuses it.
            return fail(ctx, "Protocol error: expected CRLF after bulk argument");
        }
        request.addArg(position, bulkLength);
        position += bulkLength + 2;
        if (--argumentsLeft > 0) {
            state = State.BULK_LENGTH;
            scanFrom = position;
            return true;
        }
        dispatch(ctx, buf, start);
        return true;
    }

    private boolean readInline(ChannelHandlerContext ctx, int start, int end) {
        ByteBuf buf = cumulation;
        int lf = buf.indexOf(start + scanFrom, end, LF);
        if (lf < 0) {
            if (end - start > limits.maxInlineSize()) {
                return fail(ctx, "Protocol error: too big inline request");
            }
            scanFrom = end - start;
            return false;
        }
        int lineEnd = lf > start && buf.getByte(lf - 1) == CR ? lf - 1 : lf;
        position = lf + 1 - start;
        if (!ownsCumulation && InlineSplitter.needsRewrite(buf, start, lineEnd)) {
            // Unquoting rewrites the line in place; never scribble on a buffer we merely adopted.
            replaceCumulation(ctx, buf.readableBytes());
            int shift = cumulation.readerIndex() - start;
            buf = cumulation;
            start += shift;
            lineEnd += shift;
        }
        if (!InlineSplitter.split(buf, start, start, lineEnd, request)) {
            return fail(ctx, "Protocol error: unbalanced quotes in request");
        }
        if (request.argc() == 0) {
            buf.readerIndex(start + position); // an empty line is not a command
            state = State.START;
            return true;
        }
        dispatch(ctx, buf, start);
        return true;
    }

    private void dispatch(ChannelHandlerContext ctx, ByteBuf buf, int start) {
        // Consume before calling out, so the decoder is consistent whatever the handler does
        // (throw, close, suspend); the bytes stay in place until the next append compacts.
        buf.readerIndex(start + position);
        state = State.START;
        request.bind(buf, start);
        dispatched = true;
        handlingStart = start;
        try {
            handler.handle(ctx, request);
        } finally {
            handlingStart = -1;
        }
    }

    /**
     * Called from {@link RequestHandler#handle}: un-consumes the request being handled and
     * suspends, so that {@link #resume()} delivers the same request again (CLIENT PAUSE
     * postpones commands this way without copying them).
     */
    public void redeliverLater() {
        if (handlingStart < 0 || cumulation == null) {
            throw new IllegalStateException("redeliverLater() is only allowed while a request is handled");
        }
        cumulation.readerIndex(handlingStart);
        suspend();
    }

    private void completeBatch(ChannelHandlerContext ctx) {
        if (dispatched) {
            dispatched = false;
            handler.batchComplete(ctx);
        }
    }

    // --- failure ----------------------------------------------------------------------------

    private boolean fail(ChannelHandlerContext ctx, String message) {
        return fail(ctx, message, null);
    }

    /** Replies {@code -ERR message}, optionally followed by one offending byte and a closing quote, then closes. */
    private boolean fail(ChannelHandlerContext ctx, String message, Byte offending) {
        state = State.FAILED;
        releaseCumulation();
        completeBatch(ctx); // replies to the requests before the bad one go out first
        ByteBuf reply = ctx.alloc().buffer(message.length() + 16);
        reply.writeByte('-');
        reply.writeCharSequence("ERR ", StandardCharsets.US_ASCII);
        reply.writeCharSequence(message, StandardCharsets.US_ASCII);
        if (offending != null) {
            byte b = offending;
            // Redis's addReplyErrorFormat turns CR and LF into spaces to keep the reply one line.
            reply.writeByte(b == CR || b == LF ? ' ' : b);
            reply.writeByte('\'');
        }
        reply.writeByte(CR).writeByte(LF);
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        if (log.isDebugEnabled()) {
            log.debug("Protocol error from {}: {}", ctx.channel(), message);
        }
        return false;
    }

    private void closeForQueryBufferLimit(ChannelHandlerContext ctx, long bytes) {
        state = State.FAILED;
        releaseCumulation();
        completeBatch(ctx);
        log.warn("Closing client {} that reached max query buffer length ({} bytes > client-query-buffer-limit {})",
                ctx.channel(), bytes, limits.queryBufferLimit());
        ctx.close();
    }
}
