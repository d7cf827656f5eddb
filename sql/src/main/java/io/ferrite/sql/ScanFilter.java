package io.ferrite.sql;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.DataContext;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;

/**
 * The part of a query's filter a table scan answers itself. Filters on the lookup column ({@code key}, see {@link Column#lookup})
 * that name exact keys ({@code key = 'k'}, {@code key = ?}, {@code key IN ('a', 'b')}, which is
 * Calcite's SEARCH over points, and ORs of those) become point lookups instead of a walk of the
 * keyspace; a key prefix ({@code key LIKE 'user:%'}) is checked on each key the walk meets before
 * anything of it is read; an equality of another text column with a literal or a parameter ({@code field = 'city'})
 * is checked on each row as it is read, and a table may use it to read less (a hash reads just
 * that field). The planner asks {@link #answers} of each conjunct of a query's filter and moves
 * those into the scan ({@link FerriteScanRules}); the rest Calcite applies to the rows the scan
 * hands over. Each execution reads the moved conjuncts with its parameters ({@link #of}).
 */
final class ScanFilter {
    /** The keys to look up, in order; null to walk the keyspace. */
    final List<String> keys;
    /** What every key starts with ({@code key LIKE 'user:%'}); null when any key passes. */
    final String keyPrefix;
    /** Per table column, the text it must equal; null where any value passes. */
    private final String[] equal;
    /** A conjunct no row can pass ({@code field = NULL}, or two different values for one column). */
    private final boolean none;
    private final MemorySegment[] equalBytes;

    private ScanFilter(List<String> keys, String keyPrefix, String[] equal, boolean none) {
        this.keys = keys;
        this.keyPrefix = keyPrefix;
        this.equal = equal;
        this.none = none;
        this.equalBytes = new MemorySegment[equal.length];
    }

    /**
     * What the {@code conjuncts} a scan of a table with {@code columns} was given ask, each one a
     * conjunct {@link #answers} accepted when the statement was planned; a prepared statement's
     * parameters are read from {@code root}, the execution's context.
     */
    static ScanFilter of(List<RexNode> conjuncts, DataContext root, List<Column> columns) {
        Set<String> keys = null;
        String prefix = null;
        String[] equal = new String[columns.size()];
        boolean none = false;
        for (RexNode conjunct : conjuncts) {
            Set<String> named = keysOf(conjunct, root, columns);
            if (named != null) {
                if (keys == null) {
                    keys = named;
                } else {
                    keys.retainAll(named);
                }
                continue;
            }
            String starts = prefixOf(conjunct, columns);
            if (starts != null) {
                if (prefix == null || starts.startsWith(prefix)) {
                    prefix = starts;
                } else if (!prefix.startsWith(starts)) {
                    none = true; // two prefixes neither of which extends the other
                }
                continue;
            }
            Equality equality = equalityOf(conjunct, root, columns);
            if (equality == null) { // never dropped silently: that would return rows the query excludes
                throw new IllegalStateException("a scan was given a filter it does not answer: " + conjunct);
            }
            if (equality.value == null || (equal[equality.column] != null && !equal[equality.column].equals(equality.value))) {
                none = true;
            } else {
                equal[equality.column] = equality.value;
            }
        }
        if (keys != null && prefix != null) {
            String required = prefix;
            keys.removeIf(key -> !key.startsWith(required));
        }
        return new ScanFilter(keys == null ? null : new ArrayList<>(keys), prefix, equal, none);
    }

    /**
     * True when a scan answers {@code conjunct} whatever its parameters' values turn out to be:
     * the planner moves such conjuncts into the scan ({@link FerriteScanRules}).
     */
    static boolean answers(RexNode conjunct, List<Column> columns) {
        return keysOf(conjunct, ANY_VALUES, columns) != null || prefixOf(conjunct, columns) != null
                || equalityOf(conjunct, ANY_VALUES, columns) != null;
    }

    /**
     * About how many rows a scan with {@code conjuncts} hands over, for the planner: a key
     * lookup a handful, each column equality a fraction of a walk.
     */
    static double estimateRows(List<RexNode> conjuncts, List<Column> columns) {
        double rows = WALK_ROWS;
        for (RexNode conjunct : conjuncts) {
            rows *= keysOf(conjunct, ANY_VALUES, columns) != null ? LOOKUP_FRACTION
                    : prefixOf(conjunct, columns) != null ? PREFIX_FRACTION : EQUALITY_FRACTION;
        }
        return Math.max(rows, 1);
    }

    private static final double WALK_ROWS = 1_000_000;
    private static final double LOOKUP_FRACTION = 1e-6;
    private static final double EQUALITY_FRACTION = 0.15;
    private static final double PREFIX_FRACTION = 0.1;

    /** An execution context whose every parameter has a (text) value: for questions of shape. */
    private static final DataContext ANY_VALUES = new DataContext() {
        @Override
        public org.apache.calcite.schema.SchemaPlus getRootSchema() {
            return null;
        }

        @Override
        public org.apache.calcite.adapter.java.JavaTypeFactory getTypeFactory() {
            return null;
        }

        @Override
        public org.apache.calcite.linq4j.QueryProvider getQueryProvider() {
            return null;
        }

        @Override
        public Object get(String name) {
            return name.startsWith("?") ? "" : null;
        }
    };

    /** True when no row can pass. */
    boolean rejectsAll() {
        return none || (keys != null && keys.isEmpty());
    }

    /** The text column {@code column} must equal, or null when any value passes. */
    String required(int column) {
        return equal[column];
    }

    /** {@link #required} as a segment of its UTF-8 bytes (made once per scan), or null. */
    MemorySegment requiredBytes(int column) {
        if (equal[column] == null) {
            return null;
        }
        if (equalBytes[column] == null) {
            equalBytes[column] = MemorySegment.ofArray(equal[column].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return equalBytes[column];
    }

    /** True when some column other than the key must equal a value. */
    boolean checksRows() {
        for (int i = 1; i < equal.length; i++) {
            if (equal[i] != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code projects} with the columns this filter checks added at its end, so that a row read
     * with them can be checked ({@link #passes}) and then cut back to {@code projects.length}.
     */
    int[] withCheckedColumns(int[] projects) {
        int[] read = java.util.Arrays.copyOf(projects, projects.length + equal.length);
        int n = projects.length;
        for (int column = 1; column < equal.length; column++) {
            if (equal[column] != null) {
                read[n++] = column;
            }
        }
        return java.util.Arrays.copyOf(read, n);
    }

    /** True when a row read with {@code read} columns holds the required values. */
    boolean passes(Object[] row, int[] read) {
        for (int i = 0; i < read.length; i++) {
            String required = equal[read[i]];
            if (required != null && !required.equals(row[i])) {
                return false;
            }
        }
        return true;
    }

    private record Equality(int column, String value) {}

    /** {@code $i = 'text'} or {@code $i = ?} on a text column other than the key; null otherwise. */
    private static Equality equalityOf(RexNode node, DataContext root, List<Column> columns) {
        if (!(node instanceof RexCall call) || call.getKind() != SqlKind.EQUALS) {
            return null;
        }
        RexNode left = call.getOperands().get(0);
        RexNode right = call.getOperands().get(1);
        RexInputRef column = left instanceof RexInputRef ref ? ref : right instanceof RexInputRef ref ? ref : null;
        if (column == null || columns.get(column.getIndex()).lookup() || columns.get(column.getIndex()).type() != SqlTypeName.VARCHAR) {
            return null;
        }
        RexNode other = stripCast(column == left ? right : left);
        if (other instanceof RexDynamicParam param) {
            Object value = root.get("?" + param.getIndex());
            // NULL equals nothing; a number compared with a text column is its text, as for the key
            return new Equality(column.getIndex(), value == null ? null : value.toString());
        }
        String value = literal(other);
        return value == null ? null : new Equality(column.getIndex(), value);
    }

    /**
     * The prefix of {@code key LIKE 'text%'} (no other wildcard, no ESCAPE clause), which the walk
     * checks on each key's bytes before reading it; null for any other conjunct.
     */
    private static String prefixOf(RexNode node, List<Column> columns) {
        // exactly LIKE: NOT LIKE, ILIKE and their kin share its kind
        if (!(node instanceof RexCall call) || call.getOperator() != SqlStdOperatorTable.LIKE || call.getOperands().size() != 2
                || !isKey(call.getOperands().get(0), columns) || !textKey(columns)) {
            return null;
        }
        String pattern = literal(call.getOperands().get(1));
        if (pattern == null) {
            return null;
        }
        int end = pattern.length();
        while (end > 0 && pattern.charAt(end - 1) == '%') {
            end--;
        }
        String prefix = pattern.substring(0, end);
        boolean wildcards = prefix.indexOf('%') >= 0 || prefix.indexOf('_') >= 0;
        // without a trailing %, LIKE is an equality: Calcite's own filter keeps it
        return wildcards || end == pattern.length() ? null : prefix;
    }

    private static Set<String> keysOf(RexNode node, DataContext root, List<Column> columns) {
        if (!(node instanceof RexCall call)) {
            return null;
        }
        if (call.getKind() == SqlKind.EQUALS) {
            RexNode left = call.getOperands().get(0);
            RexNode right = call.getOperands().get(1);
            RexNode other = isKey(left, columns) ? right : isKey(right, columns) ? left : null;
            if (other == null) {
                return null;
            }
            if (stripCast(other) instanceof RexDynamicParam param) {
                Object value = root.get("?" + param.getIndex());
                // key = NULL holds for no row; a number compared with the key is the key's text
                return value == null ? new LinkedHashSet<>() : new LinkedHashSet<>(List.of(value.toString()));
            }
            String value = keyLiteral(other, textKey(columns));
            return value == null ? null : new LinkedHashSet<>(List.of(value));
        }
        if (call.getKind() == SqlKind.SEARCH && isKey(call.getOperands().get(0), columns)
                && call.getOperands().get(1) instanceof RexLiteral literal) {
            Sarg<?> sarg = literal.getValueAs(Sarg.class);
            if (sarg == null || !sarg.isPoints() || sarg.nullAs == RexUnknownAs.TRUE) {
                return null;
            }
            Set<String> keys = new LinkedHashSet<>();
            for (var range : sarg.rangeSet.asRanges()) {
                Object point = range.lowerEndpoint();
                String text = textKey(columns) ? (point instanceof NlsString string ? string.getValue() : null) : integral(point);
                if (text == null) {
                    return null;
                }
                keys.add(text);
            }
            return keys;
        }
        if (call.getKind() == SqlKind.OR) {
            Set<String> keys = new LinkedHashSet<>();
            for (RexNode operand : call.getOperands()) {
                Set<String> named = keysOf(operand, root, columns);
                if (named == null) {
                    return null;
                }
                keys.addAll(named);
            }
            return keys;
        }
        return null;
    }

    /** True for the column whose equality names a key ({@link Column#lookup}); a cast of it would change what equals means. */
    private static boolean isKey(RexNode node, List<Column> columns) {
        return node instanceof RexInputRef ref && columns.get(ref.getIndex()).lookup();
    }

    private static int lookupIndex(List<Column> columns) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).lookup()) {
                return i;
            }
        }
        return -1;
    }

    /** True when the lookup column holds text; else it holds integers (a declared table's key column). */
    private static boolean textKey(List<Column> columns) {
        return columns.get(lookupIndex(columns)).type() == SqlTypeName.VARCHAR;
    }

    /** A text literal for a text key; an integer literal, as its digits, for an integer key. */
    private static String keyLiteral(RexNode node, boolean textKey) {
        if (textKey) {
            return literal(node);
        }
        return stripCast(node) instanceof RexLiteral literal && !literal.isNull() ? integral(literal.getValue()) : null;
    }

    /** The digits of an integral number; null for anything else. */
    private static String integral(Object value) {
        if (!(value instanceof java.math.BigDecimal number)) {
            return null;
        }
        try {
            return number.toBigIntegerExact().toString();
        } catch (ArithmeticException fraction) {
            return null;
        }
    }

    private static String literal(RexNode node) {
        return stripCast(node) instanceof RexLiteral literal && !literal.isNull() && literal.getValue() instanceof NlsString
                ? literal.getValueAs(String.class) : null;
    }

    private static RexNode stripCast(RexNode node) {
        while (node instanceof RexCall call && call.getKind() == SqlKind.CAST) {
            node = call.getOperands().get(0);
        }
        return node;
    }
}
