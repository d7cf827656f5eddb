package io.ferrite.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Encodes replies for one connection into a pending output buffer, in RESP2 or RESP3 (the
 * connection's HELLO version), mapping RESP3-only types down to their RESP2 form the way
 * Redis does. Replies accumulate until {@link #flush} so a pipelined batch goes out in one
 * write.
 *
 * <p>Nothing here allocates per reply: integers and lengths are written digit by digit (small
 * ones copied from pre-encoded tables), constant replies come from {@link SharedReply}, and
 * the output buffer is pooled and reused until flushed. One instance per connection, used on
 * its event loop; not thread-safe.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    /** Lengths and integers below this are copied from pre-encoded tables. */
    private static final int CACHED = 1024;
    private static final byte[][] INTEGERS = encodeAll(':');
    private static final byte[][] BULK_HEADERS = encodeAll('$');
    private static final byte[][] ARRAY_HEADERS = encodeAll('*');
    private static final int INITIAL_CAPACITY = 512;

    private final ByteBufAllocator allocator;
    private ByteBuf out;
    private int protocol = 2;

    public RespWriter(ByteBufAllocator allocator) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
    }

    /** The protocol version replies are encoded for: 2 (default) or 3. */
    public int protocol() {
        return protocol;
    }

    /** Switches the protocol version (HELLO 2 / HELLO 3). */
    public RespWriter protocol(int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("RESP protocol version must be 2 or 3, got " + version);
        }
        this.protocol = version;
        return this;
    }

    /** True if replies were written since the last {@link #flush} or {@link #take}. */
    public boolean hasPending() {
        return out != null && out.isReadable();
    }

    /** The number of pending reply bytes (for output-buffer limits). */
    public int pendingBytes() {
        return out == null ? 0 : out.readableBytes();
    }

    /** Writes and flushes the pending replies, if any, to {@code ctx}. */
    public void flush(ChannelHandlerContext ctx) {
        if (hasPending()) {
            ctx.writeAndFlush(take(), ctx.voidPromise());
        }
    }

    /** Detaches the pending replies; the caller owns (and must write or release) the buffer. */
    public ByteBuf take() {
        ByteBuf taken = out;
        out = null;
        return taken == null ? allocator.buffer(0) : taken;
    }

    /**
     * The current end of the pending output, so that what is written after it can be taken
     * back with {@link #resetTo} (CLIENT REPLY OFF/SKIP, a command that fails half-way). Valid
     * until the next {@link #flush} or {@link #take}.
     */
    public int mark() {
        return out == null ? 0 : out.writerIndex();
    }

    /** Drops every reply written after {@code mark} (from {@link #mark()}). */
    public void resetTo(int mark) {
        if (out == null) {
            if (mark != 0) {
                throw new IllegalArgumentException("mark " + mark + " is from before the last flush");
            }
            return;
        }
        if (mark < out.readerIndex() || mark > out.writerIndex()) {
            throw new IllegalArgumentException("mark " + mark + " is outside the pending output [0, " + out.writerIndex() + "]");
        }
        out.writerIndex(mark);
    }

    /** Releases pending replies without sending them (the connection is closing). */
    public void discard() {
        if (out != null) {
            out.release();
            out = null;
        }
    }

    /** Appends an already encoded frame (a Pub/Sub message) and releases it. */
    public RespWriter raw(ByteBuf frame) {
        try {
            buffer(frame.readableBytes()).writeBytes(frame, frame.readerIndex(), frame.readableBytes());
        } finally {
            frame.release();
        }
        return this;
    }

    /**
     * Drops what was written after {@code mark} except the ranges {@code [ranges[2i], ranges[2i+1])},
     * which move down to follow the mark in their order: CLIENT REPLY OFF silences a command's
     * replies but not the Pub/Sub frames it pushed.
     */
    public void resetKeeping(int mark, int[] ranges, int count) {
        byte[][] kept = new byte[count][];
        for (int i = 0; i < count; i++) {
            kept[i] = new byte[ranges[2 * i + 1] - ranges[2 * i]];
            out.getBytes(ranges[2 * i], kept[i]);
        }
        resetTo(mark);
        for (byte[] frame : kept) {
            buffer(frame.length).writeBytes(frame);
        }
    }

    // --- simple types -------------------------------------------------------------------

    /** A pre-encoded constant reply. */
    public RespWriter reply(SharedReply reply) {
        buffer(reply.bytes.length).writeBytes(reply.bytes);
        return this;
    }

    /** {@code +text}; CR and LF in the text become spaces so the reply stays one line. */
    public RespWriter simpleString(String text) {
        return line('+', text);
    }

    /**
     * {@code -text}: {@code text} is the full error including its code, e.g. "ERR unknown
     * command 'foo'" or "WRONGTYPE Operation against ...". CR and LF become spaces.
     */
    public RespWriter error(String text) {
        return line('-', text);
    }

    /** {@code :n}. */
    public RespWriter integer(long value) {
        return prefixed(':', INTEGERS, value);
    }

    /** {@code #t}/{@code #f} in RESP3; {@code :1}/{@code :0} in RESP2. */
    public RespWriter bool(boolean value) {
        if (protocol == 3) {
            return reply(value ? SharedReply.TRUE_RESP3 : SharedReply.FALSE_RESP3);
        }
        return reply(value ? SharedReply.ONE : SharedReply.ZERO);
    }

    /**
     * A double: {@code ,text} in RESP3, a bulk string in RESP2, with Redis's %.17g digits
     * and inf/-inf/nan spellings.
     */
    public RespWriter doubleValue(double value) {
        String text = DoubleFormat.g17(value);
        if (protocol == 3) {
            return line(',', text);
        }
        ByteBuf buf = buffer(text.length() + 16);
        writeHeader(buf, '$', BULK_HEADERS, text.length());
        buf.writeCharSequence(text, StandardCharsets.US_ASCII);
        buf.writeBytes(CRLF);
        return this;
    }

    /** {@code (digits} in RESP3; a bulk string in RESP2. */
    public RespWriter bigNumber(CharSequence digits) {
        if (protocol == 3) {
            return line('(', digits);
        }
        ByteBuf buf = buffer(digits.length() + 16);
        writeHeader(buf, '$', BULK_HEADERS, digits.length());
        buf.writeCharSequence(digits, StandardCharsets.US_ASCII);
        buf.writeBytes(CRLF);
        return this;
    }

    // --- nulls ----------------------------------------------------------------------------

    /** A missing value: {@code $-1} in RESP2, {@code _} in RESP3. */
    public RespWriter nullBulk() {
        return reply(protocol == 3 ? SharedReply.NULL_RESP3 : SharedReply.NULL_BULK_RESP2);
    }

    /** A missing array (e.g. a timed-out BLPOP): {@code *-1} in RESP2, {@code _} in RESP3. */
    public RespWriter nullArray() {
        return reply(protocol == 3 ? SharedReply.NULL_RESP3 : SharedReply.NULL_ARRAY_RESP2);
    }

    // --- bulk strings ---------------------------------------------------------------------

    /** {@code $len} and the bytes. */
    public RespWriter bulk(byte[] bytes) {
        return bulk(bytes, 0, bytes.length);
    }

    /** {@code $len} and {@code length} bytes of {@code bytes} from {@code offset}. */
    public RespWriter bulk(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ByteBuf buf = buffer(length + 16);
        writeHeader(buf, '$', BULK_HEADERS, length);
        buf.writeBytes(bytes, offset, length);
        buf.writeBytes(CRLF);
        return this;
    }

    /** {@code $len} and the UTF-8 bytes of {@code text}, encoded straight into the output. */
    public RespWriter bulk(String text) {
        int length = ByteBufUtil.utf8Bytes(text);
        ByteBuf buf = buffer(length + 16);
        writeHeader(buf, '$', BULK_HEADERS, length);
        ByteBufUtil.reserveAndWriteUtf8(buf, text, length);
        buf.writeBytes(CRLF);
        return this;
    }

    /** {@code $len} and the readable bytes of {@code source} (its indices are unchanged). */
    public RespWriter bulk(ByteBuf source) {
        return bulk(source, source.readerIndex(), source.readableBytes());
    }

    /** {@code $len} and {@code length} bytes of {@code source} from absolute {@code index} (indices unchanged). */
    public RespWriter bulk(ByteBuf source, int index, int length) {
        ByteBuf buf = buffer(length + 16);
        writeHeader(buf, '$', BULK_HEADERS, length);
        buf.writeBytes(source, index, length);
        buf.writeBytes(CRLF);
        return this;
    }

    /**
     * {@code $len} and {@code length} bytes of {@code segment} from {@code offset}: the engine's
     * values live in off-heap log pages, and this copies them straight into the output buffer.
     */
    public RespWriter bulk(MemorySegment segment, long offset, int length) {
        ByteBuf buf = buffer(length + 16);
        writeHeader(buf, '$', BULK_HEADERS, length);
        int at = buf.writerIndex();
        MemorySegment target = buf.hasArray()
                ? MemorySegment.ofArray(buf.array()).asSlice(buf.arrayOffset() + at, length)
                : MemorySegment.ofBuffer(buf.internalNioBuffer(at, length));
        MemorySegment.copy(segment, offset, target, 0, length);
        buf.writerIndex(at + length);
        buf.writeBytes(CRLF);
        return this;
    }

    /** A bulk string of the decimal digits of {@code value} (e.g. GET of an integer-encoded string). */
    public RespWriter bulkLong(long value) {
        int digits = digitCount(value);
        ByteBuf buf = buffer(digits + 8);
        writeHeader(buf, '$', BULK_HEADERS, digits);
        writeDigits(buf, value, digits);
        buf.writeBytes(CRLF);
        return this;
    }

    /** {@code =len\r\nfmt:text} in RESP3 ({@code format} is three ASCII characters); a bulk string in RESP2. */
    public RespWriter verbatim(String format, byte[] text) {
        if (protocol != 3) {
            return bulk(text);
        }
        if (format.length() != 3) {
            throw new IllegalArgumentException("verbatim format must be 3 characters: " + format);
        }
        ByteBuf buf = buffer(text.length + 20);
        writeHeader(buf, '=', null, text.length + 4);
        buf.writeCharSequence(format, StandardCharsets.US_ASCII);
        buf.writeByte(':');
        buf.writeBytes(text);
        buf.writeBytes(CRLF);
        return this;
    }

    // --- aggregates -------------------------------------------------------------------------

    /** {@code *n}: {@code count} elements follow. */
    public RespWriter arrayHeader(int count) {
        writeHeader(buffer(16), '*', ARRAY_HEADERS, count);
        return this;
    }

    /** {@code %n} in RESP3 ({@code pairs} key/value pairs follow); {@code *2n} in RESP2. */
    public RespWriter mapHeader(int pairs) {
        if (protocol == 3) {
            writeHeader(buffer(16), '%', null, pairs);
        } else {
            writeHeader(buffer(16), '*', ARRAY_HEADERS, 2L * pairs);
        }
        return this;
    }

    /** {@code ~n} in RESP3; {@code *n} in RESP2. */
    public RespWriter setHeader(int count) {
        if (protocol == 3) {
            writeHeader(buffer(16), '~', null, count);
        } else {
            writeHeader(buffer(16), '*', ARRAY_HEADERS, count);
        }
        return this;
    }

    /** {@code >n} out-of-band push in RESP3; {@code *n} in RESP2 (where pub/sub messages are arrays). */
    public RespWriter pushHeader(int count) {
        if (protocol == 3) {
            writeHeader(buffer(16), '>', null, count);
        } else {
            writeHeader(buffer(16), '*', ARRAY_HEADERS, count);
        }
        return this;
    }

    // --- aggregates whose length is known only after their elements --------------------------

    /** What {@link #endDeferred} writes as the header of an aggregate begun with {@link #mark()}. */
    public enum Aggregate { ARRAY, SET, MAP }

    /**
     * Writes, at {@code mark} (from {@link #mark()} before the elements were written), the
     * header of an aggregate of {@code count} elements ({@code count} pairs for a map) and
     * moves the elements after it: for replies whose length is known only once they have been
     * written, as Redis's deferred lengths. The move is one memmove of the elements.
     */
    public RespWriter endDeferred(int mark, Aggregate kind, long count) {
        ByteBuf header = allocator.heapBuffer(24);
        try {
            switch (kind) {
                case ARRAY -> writeHeader(header, '*', ARRAY_HEADERS, count);
                case SET -> writeHeader(header, protocol == 3 ? '~' : '*', protocol == 3 ? null : ARRAY_HEADERS, count);
                case MAP -> {
                    if (protocol == 3) {
                        writeHeader(header, '%', null, count);
                    } else {
                        writeHeader(header, '*', ARRAY_HEADERS, 2 * count);
                    }
                }
            }
            insert(mark, header);
        } finally {
            header.release();
        }
        return this;
    }

    /** Writes a bulk string of {@code text} at {@code mark}, before what was written after it (a scan's cursor). */
    public RespWriter insertBulk(int mark, String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuf bulk = allocator.heapBuffer(bytes.length + 24);
        try {
            writeHeader(bulk, '$', BULK_HEADERS, bytes.length);
            bulk.writeBytes(bytes).writeBytes(CRLF);
            insert(mark, bulk);
        } finally {
            bulk.release();
        }
        return this;
    }

    /** Moves what was written after {@code mark} to make room for {@code bytes} there. */
    private void insert(int mark, ByteBuf bytes) {
        int h = bytes.readableBytes();
        ByteBuf buf = buffer(h);
        int after = buf.writerIndex() - mark;
        // ByteBuf copies within one buffer overlap-safely (System.arraycopy, Unsafe.copyMemory).
        buf.setBytes(mark + h, buf, mark, after);
        buf.setBytes(mark, bytes, bytes.readerIndex(), h);
        buf.writerIndex(mark + h + after);
    }

    /** Encodes a built {@link RespValue}, recursively, for the current protocol. */
    public RespWriter value(RespValue value) {
        switch (value) {
            case RespValue.SimpleString s -> simpleString(s.text());
            case RespValue.ErrorReply e -> error(e.text());
            case RespValue.IntegerReply i -> integer(i.value());
            case RespValue.BulkString b -> bulk(b.bytes());
            case RespValue.NullReply n -> {
                if (n.array()) {
                    nullArray();
                } else {
                    nullBulk();
                }
            }
            case RespValue.ArrayReply a -> {
                arrayHeader(a.elements().size());
                a.elements().forEach(this::value);
            }
            case RespValue.MapReply m -> {
                mapHeader(m.entries().size());
                for (RespValue.MapReply.Entry entry : m.entries()) {
                    value(entry.key());
                    value(entry.value());
                }
            }
            case RespValue.SetReply s -> {
                setHeader(s.elements().size());
                s.elements().forEach(this::value);
            }
            case RespValue.DoubleReply d -> doubleValue(d.value());
            case RespValue.BooleanReply b -> bool(b.value());
            case RespValue.VerbatimString v -> verbatim(v.format(), v.text());
            case RespValue.BigNumber n -> bigNumber(n.digits());
            case RespValue.PushReply p -> {
                pushHeader(p.elements().size());
                p.elements().forEach(this::value);
            }
        }
        return this;
    }

    // --- encoding helpers -------------------------------------------------------------------

    private ByteBuf buffer(int needed) {
        ByteBuf buf = out;
        if (buf == null) {
            buf = allocator.ioBuffer(Math.max(INITIAL_CAPACITY, needed));
            out = buf;
        } else {
            buf.ensureWritable(needed);
        }
        return buf;
    }

    private RespWriter line(char type, CharSequence text) {
        int length = text.length();
        ByteBuf buf = buffer(length * 3 + 3);
        buf.writeByte(type);
        int start = buf.writerIndex();
        ByteBufUtil.writeUtf8(buf, text);
        // A CR or LF would end the line early and desynchronize the client.
        for (int i = start, end = buf.writerIndex(); i < end; i++) {
            byte b = buf.getByte(i);
            if (b == '\r' || b == '\n') {
                buf.setByte(i, ' ');
            }
        }
        buf.writeBytes(CRLF);
        return this;
    }

    private RespWriter prefixed(char type, byte[][] cache, long value) {
        writeHeader(buffer(24), type, cache, value);
        return this;
    }

    /** Writes {@code type}, the decimal {@code value} and CRLF, from {@code cache} when it has it. */
    private static void writeHeader(ByteBuf buf, char type, byte[][] cache, long value) {
        if (cache != null && value >= 0 && value < CACHED) {
            buf.writeBytes(cache[(int) value]);
            return;
        }
        buf.ensureWritable(23);
        buf.writeByte(type);
        writeDigits(buf, value, digitCount(value));
        buf.writeBytes(CRLF);
    }

    /** Writes the {@code digits} decimal digits of {@code value} (with '-' if negative), right to left. */
    private static void writeDigits(ByteBuf buf, long value, int digits) {
        int start = buf.writerIndex();
        buf.ensureWritable(digits);
        int i = start + digits;
        // Work on the negative value: Long.MIN_VALUE has no positive counterpart.
        long v = value < 0 ? value : -value;
        do {
            long q = v / 10;
            buf.setByte(--i, (int) ('0' + (q * 10 - v)));
            v = q;
        } while (v != 0);
        if (value < 0) {
            buf.setByte(--i, '-');
        }
        buf.writerIndex(start + digits);
    }

    /** The number of characters of {@code value} in decimal, including a '-' sign. */
    static int digitCount(long value) {
        int sign = value < 0 ? 1 : 0;
        long v = value < 0 ? value : -value;
        int digits = 1;
        long bound = -10;
        while (digits < 19 && v <= bound) {
            digits++;
            bound *= 10;
        }
        return digits + sign;
    }

    private static byte[][] encodeAll(char type) {
        byte[][] table = new byte[CACHED][];
        for (int i = 0; i < CACHED; i++) {
            table[i] = (type + Integer.toString(i) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        return table;
    }
}
