package io.ferrite.server.protocol;

import io.netty.buffer.ByteBuf;

import java.lang.foreign.MemorySegment;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded command, as a reusable flyweight over the decoder's input buffer: argument
 * {@code i} is the {@link #argLength(int)} bytes at absolute index {@link #argOffset(int)} of
 * {@link #buffer()}. Argument 0 is the command name.
 *
 * <p>Nothing is copied when a request is decoded; the accessors read the buffer in place.
 * A request, and every view taken from it, is valid only during the
 * {@link RequestHandler#handle} call that received it: afterwards the decoder reuses this
 * object and may discard, compact or release the buffer. Not thread-safe.
 */
public final class RespRequest {
    private static final int INITIAL_CAPACITY = 16;
    private static final int SHRINK_ABOVE = 4096;

    private ByteBuf buffer;
    /** Absolute index of the request's first byte; offsets are stored relative to it so they survive buffer compaction while a request is incomplete. */
    private int base;
    private int argc;
    private int[] offsets = new int[INITIAL_CAPACITY];
    private int[] lengths = new int[INITIAL_CAPACITY];
    private final DecimalParser decimal = new DecimalParser();

    /** The number of arguments, including the command name; at least 1 for a dispatched request. */
    public int argc() {
        return argc;
    }

    /** The buffer holding the arguments. Read it with absolute indices; do not move its indices. */
    public ByteBuf buffer() {
        return buffer;
    }

    /** The absolute index in {@link #buffer()} of argument {@code i}'s first byte. */
    public int argOffset(int i) {
        Objects.checkIndex(i, argc);
        return base + offsets[i];
    }

    /** The length in bytes of argument {@code i}. */
    public int argLength(int i) {
        Objects.checkIndex(i, argc);
        return lengths[i];
    }

    /**
     * True if argument {@code i} equals {@code upperAsciiLiteral} ignoring ASCII case. The
     * literal must be upper-case ASCII (e.g. {@code "GET".getBytes(US_ASCII)}, kept in a
     * constant): only the argument's bytes are case-folded.
     */
    public boolean argEqualsIgnoreCase(int i, byte[] upperAsciiLiteral) {
        int length = argLength(i);
        if (length != upperAsciiLiteral.length) {
            return false;
        }
        int offset = base + offsets[i];
        ByteBuf buf = buffer;
        for (int k = 0; k < length; k++) {
            int b = buf.getByte(offset + k);
            if (b >= 'a' && b <= 'z') {
                b -= 'a' - 'A';
            }
            if (b != upperAsciiLiteral[k]) {
                return false;
            }
        }
        return true;
    }

    /** A copy of argument {@code i}: for the rare cases where the bytes must outlive the request. */
    public byte[] argBytes(int i) {
        byte[] copy = new byte[argLength(i)];
        buffer.getBytes(base + offsets[i], copy);
        return copy;
    }

    /** Argument {@code i} decoded as UTF-8 (allocates; for names and options, not values). */
    public String argString(int i) {
        return argString(i, StandardCharsets.UTF_8);
    }

    /** Argument {@code i} decoded with {@code charset} (allocates). */
    public String argString(int i, Charset charset) {
        return buffer.toString(argOffset(i), argLength(i), charset);
    }

    /**
     * A {@link MemorySegment} view of argument {@code i}, without copying: over the backing
     * array for heap buffers, over native memory for direct ones. The segment is not bound to
     * any scope that tracks the buffer's life, so using it after the handler returns reads
     * memory that may have been reused or freed: copy the bytes out
     * ({@code MemorySegment.copy}) if they must be kept.
     *
     * <p>Direct buffers use {@code MemorySegment.reinterpret}, a restricted method: the JVM
     * needs {@code --enable-native-access} (the launcher passes it). Buffers with neither an
     * array nor an address (rare composites) fall back to {@code nioBuffer}, which may copy.
     */
    @SuppressWarnings("restricted") // reinterpret: the length comes from the buffer's own bounds
    public MemorySegment argSegment(int i) {
        int length = argLength(i);
        int offset = base + offsets[i];
        ByteBuf buf = buffer;
        if (buf.hasArray()) {
            return MemorySegment.ofArray(buf.array()).asSlice(buf.arrayOffset() + offset, length);
        }
        if (buf.hasMemoryAddress()) {
            return MemorySegment.ofAddress(buf.memoryAddress() + offset).reinterpret(length);
        }
        return MemorySegment.ofBuffer(buf.nioBuffer(offset, length));
    }

    /**
     * Parses argument {@code i} as a signed 64-bit integer with Redis's {@code string2ll}
     * rules (no sign but '-', no spaces, no leading zeros). Returns false if it is not one;
     * otherwise the number is in {@link #longValue()}. Never throws and never allocates:
     *
     * <pre>{@code
     * if (!request.argLong(2)) { writer.error("ERR value is not an integer or out of range"); return; }
     * long count = request.longValue();
     * }</pre>
     */
    public boolean argLong(int i) {
        return decimal.parse(buffer, argOffset(i), lengths[i]);
    }

    /** The integer read by the last successful {@link #argLong(int)}. */
    public long longValue() {
        return decimal.value();
    }

    @Override
    public String toString() {
        if (buffer == null) {
            return "RespRequest[]";
        }
        StringBuilder text = new StringBuilder("RespRequest[");
        for (int i = 0; i < argc; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append('"').append(argString(i, StandardCharsets.ISO_8859_1)).append('"');
        }
        return text.append(']').toString();
    }

    /**
     * Makes this request a command that is not decoded from a connection (one read from the
     * append-only file): its arguments are then added with {@link #addArgument}, as views into
     * {@code buffer} (which the caller keeps valid while the request is used).
     */
    public RespRequest over(ByteBuf buffer) {
        reset();
        bind(buffer, 0);
        return this;
    }

    /** Adds an argument at absolute index {@code offset} of the buffer given to {@link #over}. */
    public void addArgument(int offset, int length) {
        addArg(offset, length);
    }

    // --- decoder side -------------------------------------------------------------------

    /** Forgets the arguments of the previous request (arrays are kept for reuse). */
    void reset() {
        argc = 0;
        buffer = null;
        if (offsets.length > SHRINK_ABOVE) {
            // One huge MSET should not pin megabytes of argument arrays to the connection forever.
            offsets = new int[INITIAL_CAPACITY];
            lengths = new int[INITIAL_CAPACITY];
        }
    }

    /** Appends an argument at {@code relativeOffset} from the request's first byte. */
    void addArg(int relativeOffset, int length) {
        if (argc == offsets.length) {
            // Grow as arguments actually arrive, never to the declared count: a client
            // announcing a million arguments must not make us allocate for a million.
            int capacity = argc * 2;
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
        }
        offsets[argc] = relativeOffset;
        lengths[argc] = length;
        argc++;
    }

    /** Points the request at {@code buffer}, whose request starts at absolute index {@code base}. */
    void bind(ByteBuf buffer, int base) {
        this.buffer = buffer;
        this.base = base;
    }

    /** The current argument-array capacity (for tests of reuse). */
    int capacity() {
        return offsets.length;
    }
}
