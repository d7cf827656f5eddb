package io.ferrite.server.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the messages Pub/Sub delivers: {@code message}, {@code pmessage} and
 * {@code smessage}, as a RESP2 array or a RESP3 push frame.
 */
final class PushFrames {
    static final byte[] MESSAGE = ascii("message");
    static final byte[] PMESSAGE = ascii("pmessage");
    static final byte[] SMESSAGE = ascii("smessage");

    private PushFrames() {}

    /** [kind, channel, payload] ({@code message}, {@code smessage}) or [pmessage, pattern, channel, payload]. */
    static ByteBuf frame(ByteBufAllocator alloc, int protocol, byte[]... parts) {
        int size = 8;
        for (byte[] part : parts) {
            size += part.length + 16;
        }
        ByteBuf buf = alloc.buffer(size);
        header(buf, protocol, parts.length);
        for (byte[] part : parts) {
            bulk(buf, part);
        }
        return buf;
    }

    private static void header(ByteBuf buf, int protocol, int count) {
        buf.writeByte(protocol == 3 ? '>' : '*');
        buf.writeByte('0' + count);
        buf.writeByte('\r').writeByte('\n');
    }

    private static void bulk(ByteBuf buf, byte[] bytes) {
        buf.writeByte('$');
        buf.writeCharSequence(Integer.toString(bytes.length), StandardCharsets.US_ASCII);
        buf.writeByte('\r').writeByte('\n');
        buf.writeBytes(bytes);
        buf.writeByte('\r').writeByte('\n');
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
