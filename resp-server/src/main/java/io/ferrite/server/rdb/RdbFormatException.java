package io.ferrite.server.rdb;

/**
 * RDB data that does not decode: truncated, an unknown encoding, an unsupported object type or
 * a corrupt LZF stream. RESTORE answers all of these "ERR Bad data format", as Redis does;
 * the message says what was wrong, for logs and tests.
 */
public final class RdbFormatException extends Exception {
    public RdbFormatException(String message) {
        super(message, null, false, false);
    }
}
