package io.ferrite.server.protocol;

/**
 * The request-size limits the decoder enforces, shared by every connection and changeable at
 * runtime (CONFIG SET). Each field is volatile: a new value is seen by the next request each
 * connection parses, with no locking on the read side.
 *
 * <p>Values larger than a Java buffer can hold are clamped by the decoder, not here, so that
 * CONFIG GET shows what the user set.
 */
public final class ProtocolLimits {
    /** Redis's default proto-max-bulk-len: 512 MB. */
    public static final long DEFAULT_MAX_BULK_LENGTH = 512L * 1024 * 1024;
    /** Redis's default client-query-buffer-limit: 1 GB. */
    public static final long DEFAULT_QUERY_BUFFER_LIMIT = 1024L * 1024 * 1024;
    /** The largest multibulk count accepted (Redis 6's fixed limit). */
    public static final int DEFAULT_MAX_MULTIBULK_LENGTH = 1024 * 1024;
    /** Redis's PROTO_INLINE_MAX_SIZE: an inline request or a length line longer than this is refused. */
    public static final int DEFAULT_MAX_INLINE_SIZE = 64 * 1024;

    private volatile long maxBulkLength = DEFAULT_MAX_BULK_LENGTH;
    private volatile long queryBufferLimit = DEFAULT_QUERY_BUFFER_LIMIT;
    private volatile int maxMultibulkLength = DEFAULT_MAX_MULTIBULK_LENGTH;
    private volatile int maxInlineSize = DEFAULT_MAX_INLINE_SIZE;

    /** proto-max-bulk-len: the largest bulk argument, in bytes. */
    public long maxBulkLength() {
        return maxBulkLength;
    }

    public ProtocolLimits maxBulkLength(long bytes) {
        this.maxBulkLength = requirePositive(bytes, "maxBulkLength");
        return this;
    }

    /** client-query-buffer-limit: the most bytes one not-yet-complete request may occupy. */
    public long queryBufferLimit() {
        return queryBufferLimit;
    }

    public ProtocolLimits queryBufferLimit(long bytes) {
        this.queryBufferLimit = requirePositive(bytes, "queryBufferLimit");
        return this;
    }

    /** The largest argument count of one multibulk request. */
    public int maxMultibulkLength() {
        return maxMultibulkLength;
    }

    public ProtocolLimits maxMultibulkLength(int count) {
        this.maxMultibulkLength = (int) requirePositive(count, "maxMultibulkLength");
        return this;
    }

    /** The longest inline request line (and multibulk length line) buffered while waiting for its end. */
    public int maxInlineSize() {
        return maxInlineSize;
    }

    public ProtocolLimits maxInlineSize(int bytes) {
        this.maxInlineSize = (int) requirePositive(bytes, "maxInlineSize");
        return this;
    }

    private static long requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
