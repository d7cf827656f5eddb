package io.ferrite.core.api;

/**
 * A failure of the storage below the engine (disk I/O, a corrupt log block): unexpected, and
 * reported to the caller with a message that says where it happened.
 */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
