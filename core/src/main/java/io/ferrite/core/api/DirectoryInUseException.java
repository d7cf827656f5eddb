package io.ferrite.core.api;

/** A store was opened on a data directory that another open store holds (in this process or another). */
public final class DirectoryInUseException extends StorageException {
    public DirectoryInUseException(String message) {
        super(message);
    }
}
