package io.ferrite.server.protocol;

import io.netty.channel.ChannelHandlerContext;

/**
 * Receives the requests {@link RespDecoder} decodes, one call per command, on the channel's
 * event loop.
 *
 * <p>The {@link RespRequest} passed to {@link #handle} is a flyweight over the decoder's
 * input buffer: it and every view taken from it (argument offsets, {@code argSegment}) are
 * valid only until {@code handle} returns. Copy what must outlive the call.
 */
public interface RequestHandler {

    /**
     * Executes one request and writes (but need not flush) its reply. Called synchronously
     * for each request in the order received; pipelined requests follow immediately. The
     * handler must not throw: an exception closes the connection.
     */
    void handle(ChannelHandlerContext ctx, RespRequest request);

    /**
     * Called once after a read batch in which at least one request was handled, and before
     * a protocol error reply is written: the place to flush the replies accumulated by
     * {@link #handle}, so a pipeline of N commands costs one flush, not N.
     */
    void batchComplete(ChannelHandlerContext ctx);
}
