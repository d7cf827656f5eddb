package io.ferrite.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * Replies that are the same bytes for every client and both protocol versions, encoded once
 * (Garnet's CmdStrings idea). Write them with {@link RespWriter#reply(SharedReply)}, or send
 * {@link #buffer()} directly to a channel.
 */
public enum SharedReply {
    OK("+OK\r\n"),
    PONG("+PONG\r\n"),
    QUEUED("+QUEUED\r\n"),
    ZERO(":0\r\n"),
    ONE(":1\r\n"),
    MINUS_ONE(":-1\r\n"),
    MINUS_TWO(":-2\r\n"),
    EMPTY_BULK("$0\r\n\r\n"),
    EMPTY_ARRAY("*0\r\n"),
    /** A scan reply with cursor 0 and no elements (HSCAN/SSCAN of a missing key). */
    EMPTY_SCAN("*2\r\n$1\r\n0\r\n*0\r\n"),
    /** RESP2's null bulk string; use {@link RespWriter#nullBulk()} to get the right null for the protocol. */
    NULL_BULK_RESP2("$-1\r\n"),
    /** RESP2's null array; use {@link RespWriter#nullArray()} to get the right null for the protocol. */
    NULL_ARRAY_RESP2("*-1\r\n"),
    /** RESP3's null. */
    NULL_RESP3("_\r\n"),
    EMPTY_MAP_RESP3("%0\r\n"),
    EMPTY_SET_RESP3("~0\r\n"),
    TRUE_RESP3("#t\r\n"),
    FALSE_RESP3("#f\r\n"),
    SYNTAX_ERROR("-ERR syntax error\r\n"),
    WRONG_TYPE("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
    NOT_AN_INTEGER("-ERR value is not an integer or out of range\r\n"),
    NOT_A_FLOAT("-ERR value is not a valid float\r\n"),
    NO_SUCH_KEY("-ERR no such key\r\n"),
    OUT_OF_RANGE("-ERR index out of range\r\n");

    /** Package-private so nobody outside can mutate the shared bytes. */
    final byte[] bytes;
    private final ByteBuf shared;

    SharedReply(String text) {
        this.bytes = text.getBytes(StandardCharsets.US_ASCII);
        this.shared = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
    }

    /**
     * A read-only view of the encoded reply for {@code ctx.write}. Each call returns a new
     * duplicate (indices are per view), so concurrent writes on many channels are safe.
     */
    public ByteBuf buffer() {
        return shared.duplicate();
    }

    /** The encoded length in bytes. */
    public int length() {
        return bytes.length;
    }

    /** The encoded reply as text, for logs and tests. */
    public String text() {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
