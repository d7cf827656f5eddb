package io.ferrite.core.checkpoint;

/** A checkpoint given up because the data it froze was flushed before it was written. */
public final class CheckpointAbandonedException extends java.io.IOException {
    public CheckpointAbandonedException(String message) {
        super(message);
    }
}
