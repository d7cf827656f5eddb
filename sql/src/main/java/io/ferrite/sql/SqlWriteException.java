package io.ferrite.sql;

/**
 * A statement the engine refused (a row an INSERT, UPDATE or DELETE could not write, a table
 * declaration it cannot map), with the SQLState its SQLException gets
 * ({@link SqlErrors}): {@code 23502} a NULL where the engine needs a value, {@code 42809} a key
 * of another type, {@code 53200} the memory budget, {@code 0A000} a table that takes no such
 * statement. The rows before it in the statement are written (each key on its own, see
 * {@link FerriteModify}).
 */
final class SqlWriteException extends RuntimeException {
    static final String NOT_NULL = "23502";
    static final String WRONG_OBJECT_TYPE = "42809";
    static final String OUT_OF_MEMORY = "53200";
    static final String NOT_SUPPORTED = "0A000";

    private final String sqlState;

    SqlWriteException(String sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    String sqlState() {
        return sqlState;
    }
}
