package io.ferrite.server.command;

/** Redis's error texts, word for word, for the replies handlers write. */
public final class Errors {
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";
    public static final String WRONG_TYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String KEY_TOO_LONG = "ERR key exceeds maximum allowed size (max-key-size)";
    public static final String DB_OUT_OF_RANGE = "ERR DB index is out of range";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String LOADING = "LOADING Redis is loading the dataset in memory";
    /** Redis's refusal of writes while the append-only file cannot be written; the cause follows. */
    public static final String MISCONF_AOF = "MISCONF Errors writing to the AOF file: ";
    public static final String MISCONF_RDB = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to"
            + " persist to disk. Commands that may modify the data set are disabled, because this instance is configured to"
            + " report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the"
            + " Redis logs for details about the RDB error.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String INVALID_EXPIRE = "ERR invalid expire time in '%s' command";
    public static final String OFFSET_OUT_OF_RANGE = "ERR offset is out of range";
    public static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";
    public static final String BIT_VALUE = "ERR bit is not an integer or out of range";
    public static final String MAX_CLIENTS = "ERR max number of clients reached";

    private Errors() {}

    /** "ERR wrong number of arguments for 'get' command". */
    /** A RESP2 connection in subscriber mode runs only the Pub/Sub commands, PING, QUIT and RESET. */
    public static String subscriberMode(String fullName) {
        return "ERR Can't execute '" + fullName + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                + " are allowed in this context";
    }

    public static String arity(String fullName) {
        return "ERR wrong number of arguments for '" + fullName + "' command";
    }

    /** "ERR unknown subcommand 'x'. Try CLIENT HELP.", with Redis's 128-byte cap. */
    public static String unknownSubcommand(String subcommand, String container) {
        return "ERR unknown subcommand '" + cap(subcommand, 128) + "'. Try " + container.toUpperCase(java.util.Locale.ROOT) + " HELP.";
    }

    /** Redis's {@code %.128s} of an argument: at most {@code max} characters, and a C string (it ends at a NUL). */
    static String cap(String s, int max) {
        int nul = s.indexOf('\0');
        if (nul >= 0 && nul < max) {
            max = nul;
        }
        return s.length() > max ? s.substring(0, max) : s;
    }
}
