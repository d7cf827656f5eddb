package io.ferrite.core.api;

/**
 * A cold log block failed its checksum or could not be decoded: the data on disk is not what
 * was written. Never answered with silently wrong data; the message names the segment file and
 * the offset of the block.
 */
public final class LogCorruptedException extends StorageException {
    public LogCorruptedException(String message) {
        super(message);
    }
}
