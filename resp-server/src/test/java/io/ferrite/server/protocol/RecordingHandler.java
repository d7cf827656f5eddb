package io.ferrite.server.protocol;

import io.netty.channel.ChannelHandlerContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** A request handler for tests: records every request's arguments (as Latin-1 strings) and batch ends. */
final class RecordingHandler implements RequestHandler {
    final List<List<String>> requests = new ArrayList<>();
    int batches;
    /** Optional per-request behaviour (reply, suspend, throw...). */
    BiConsumer<ChannelHandlerContext, RespRequest> onRequest = (ctx, request) -> { };
    /** Replies written by {@link #onRequest}; flushed at batch end. */
    RespWriter writer;

    @Override
    public void handle(ChannelHandlerContext ctx, RespRequest request) {
        List<String> args = new ArrayList<>(request.argc());
        for (int i = 0; i < request.argc(); i++) {
            args.add(request.argString(i, StandardCharsets.ISO_8859_1));
        }
        requests.add(args);
        onRequest.accept(ctx, request);
    }

    @Override
    public void batchComplete(ChannelHandlerContext ctx) {
        batches++;
        if (writer != null) {
            writer.flush(ctx);
        }
    }
}
