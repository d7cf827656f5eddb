package io.ferrite.server.config;

/**
 * A config file or command-line option that cannot be loaded. The message is what
 * redis-server prints before exiting, e.g.:
 *
 * <pre>
 * *** FATAL CONFIG FILE ERROR (Ferrite) ***
 * Reading the configuration file, at line 2
 * &gt;&gt;&gt; 'port abc'
 * argument couldn't be parsed into an integer
 * </pre>
 */
public final class ConfigFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int lineNumber;
    private final String reason;

    ConfigFileException(int lineNumber, String line, String reason) {
        super("*** FATAL CONFIG FILE ERROR (Ferrite) ***\n"
                + "Reading the configuration file, at line " + lineNumber + "\n"
                + ">>> '" + line + "'\n"
                + reason);
        this.lineNumber = lineNumber;
        this.reason = reason;
    }

    /** For failures outside any line, such as a file that cannot be opened. */
    ConfigFileException(String message, Throwable cause) {
        super(message, cause);
        this.lineNumber = 0;
        this.reason = message;
    }

    /** The 1-based line of the failure in its file (0 if not about a line). */
    public int lineNumber() {
        return lineNumber;
    }

    /** Redis's reason text alone, e.g. "Bad directive or wrong number of arguments". */
    public String reason() {
        return reason;
    }
}
