package io.ferrite.sql;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;

/**
 * Gives the SQLExceptions of a connection, and of the statements it makes, a SQLState that
 * says what went wrong, as PostgreSQL's do (tools branch on them): {@code 42601} a syntax
 * error, {@code 42P01} an unknown table, {@code 42703} an unknown column, {@code 42000} any
 * other statement the validator refuses, {@code 22018} a value that does not convert to its
 * column's type, and a refused write's own ({@link SqlWriteException});
 * the message (with the position) stays Calcite's.
 */
final class SqlErrors {
    static final String SYNTAX_ERROR = "42601";
    static final String UNDEFINED_TABLE = "42P01";
    static final String UNDEFINED_COLUMN = "42703";
    static final String INVALID_STATEMENT = "42000";
    /** A value that does not convert to its column's type (PostgreSQL's invalid_text_representation is 22P02). */
    static final String INVALID_CAST = "22018";

    private SqlErrors() {}

    /** {@code connection}, its statements' errors with SQLStates and their warnings from {@code warnings}. */
    static Connection of(Connection connection, SqlWarnings warnings) {
        return wrap(Connection.class, connection, warnings);
    }

    private static <T> T wrap(Class<T> type, T target, SqlWarnings warnings) {
        boolean statement = Statement.class.isAssignableFrom(type);
        return type.cast(Proxy.newProxyInstance(SqlErrors.class.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (statement) {
                String name = method.getName();
                if (name.equals("getWarnings") && method.getParameterCount() == 0) {
                    return warnings.warnings();
                }
                if (name.equals("clearWarnings") || name.startsWith("execute")) {
                    warnings.clear();
                }
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SQLException sql) {
                    throw withState(sql);
                }
                if (statement && (cause instanceof RuntimeException || cause instanceof ExceptionInInitializerError)) {
                    // what Calcite's generated code let through (a constant it could not cast, folded into a static
                    // initializer): the statement's failure, as a SQLException like any other
                    throw withState(new SQLException(String.valueOf(rootOf(cause).getMessage()), null, 0, cause));
                }
                throw cause;
            }
            Class<?> returned = method.getReturnType();
            if (returned == Statement.class || returned == java.sql.PreparedStatement.class) {
                @SuppressWarnings("unchecked")
                Class<Object> as = (Class<Object>) returned;
                return wrap(as, result, warnings);
            }
            return result;
        }));
    }

    private static Throwable rootOf(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The exception with a SQLState from its cause, when it had none. */
    static SQLException withState(SQLException e) {
        if (e.getSQLState() != null) {
            return e;
        }
        String state = null;
        for (Throwable cause = e.getCause(); cause != null && state == null; cause = cause.getCause()) {
            if (cause instanceof SqlWriteException write) {
                state = write.sqlState();
            } else if (cause instanceof NumberFormatException || cause instanceof java.time.format.DateTimeParseException) {
                state = INVALID_CAST;
            } else if (cause instanceof SqlParseException) {
                state = SYNTAX_ERROR;
            } else if (cause instanceof CalciteContextException context) {
                String message = String.valueOf(context.getMessage());
                state = message.contains("Object '") && message.contains("' not found") ? UNDEFINED_TABLE
                        : message.contains("Column '") && message.contains("' not found") ? UNDEFINED_COLUMN
                        : INVALID_STATEMENT;
            }
        }
        if (state == null) {
            return e;
        }
        SQLException stated = new SQLException(e.getMessage(), state, e.getErrorCode(), e.getCause());
        stated.setStackTrace(e.getStackTrace());
        return stated;
    }
}
