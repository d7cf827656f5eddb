package io.ferrite.server.config;

/**
 * A directive's value was refused; the message is Redis's reason text (e.g. "argument must be
 * a memory value"), which CONFIG SET and the config-file loader wrap in their own reports.
 */
public final class InvalidValueException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidValueException(String reason) {
        super(reason, null, false, false); // an expected outcome: no stack trace needed
    }
}
