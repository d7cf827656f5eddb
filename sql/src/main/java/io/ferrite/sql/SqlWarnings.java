package io.ferrite.sql;

import java.sql.SQLWarning;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one connection's latest statement read that did not fit a declared table: values that did
 * not parse as their column's type (read as NULL) and keys whose text does not fit the key
 * columns (skipped). Counted while the rows are read, handed over as the statement's
 * {@link java.sql.Statement#getWarnings warnings} (SQLState 01000), one per table and column;
 * a statement's execution starts them afresh ({@link SqlErrors} does both).
 */
final class SqlWarnings {
    /** What was counted ("a value of users.age that is not an INTEGER") -> how many times. */
    private final Map<String, Long> counts = new LinkedHashMap<>();

    synchronized void count(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    synchronized void clear() {
        counts.clear();
    }

    /** The warnings counted since the last {@link #clear}, chained; null when there are none. */
    synchronized SQLWarning warnings() {
        SQLWarning first = null;
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            SQLWarning warning = new SQLWarning(entry.getValue() + " x " + entry.getKey(), "01000");
            if (first == null) {
                first = warning;
            } else {
                first.setNextWarning(warning);
            }
        }
        return first;
    }
}
