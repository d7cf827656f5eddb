package io.ferrite.sql;

import java.util.ArrayList;
import java.util.Iterator;
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
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;

/**
 * Finds the filters on {@code key} (column 0) that name exact keys: {@code key = 'k'}, {@code key = ?},
 * {@code key IN ('a', 'b')} (Calcite's SEARCH over points) and ORs of those. They are answered
 * by looking the keys up instead of walking the keyspace, so they are taken out of the list
 * Calcite would otherwise apply itself; several such filters intersect.
 */
final class KeyLookups {
    private KeyLookups() {}

    /**
     * The keys the filters allow, in order, removing the filters that say so; null when no filter
     * names keys. A prepared statement's parameters ({@code key = ?}) are read from {@code root},
     * the statement's execution context.
     */
    static List<String> take(List<RexNode> filters, DataContext root) {
        Set<String> keys = null;
        for (Iterator<RexNode> it = filters.iterator(); it.hasNext(); ) {
            Set<String> named = keysOf(it.next(), root);
            if (named != null) {
                if (keys == null) {
                    keys = named;
                } else {
                    keys.retainAll(named);
                }
                it.remove();
            }
        }
        return keys == null ? null : new ArrayList<>(keys);
    }

    private static Set<String> keysOf(RexNode node, DataContext root) {
        if (!(node instanceof RexCall call)) {
            return null;
        }
        if (call.getKind() == SqlKind.EQUALS) {
            RexNode left = call.getOperands().get(0);
            RexNode right = call.getOperands().get(1);
            RexNode other = isKey(left) ? right : isKey(right) ? left : null;
            if (other == null) {
                return null;
            }
            if (stripCast(other) instanceof RexDynamicParam param) {
                if (root == null) {
                    return null; // no values to read: Calcite applies the filter itself
                }
                Object value = root.get("?" + param.getIndex());
                // key = NULL holds for no row; a number compared with the key is the key's text
                return value == null ? new LinkedHashSet<>() : new LinkedHashSet<>(List.of(value.toString()));
            }
            String value = literal(other);
            return value == null ? null : new LinkedHashSet<>(List.of(value));
        }
        if (call.getKind() == SqlKind.SEARCH && isKey(call.getOperands().get(0))
                && call.getOperands().get(1) instanceof RexLiteral literal) {
            Sarg<?> sarg = literal.getValueAs(Sarg.class);
            if (sarg == null || !sarg.isPoints() || sarg.nullAs == RexUnknownAs.TRUE) {
                return null;
            }
            Set<String> keys = new LinkedHashSet<>();
            for (var range : sarg.rangeSet.asRanges()) {
                Object point = range.lowerEndpoint();
                if (!(point instanceof NlsString text)) {
                    return null;
                }
                keys.add(text.getValue());
            }
            return keys;
        }
        if (call.getKind() == SqlKind.OR) {
            Set<String> keys = new LinkedHashSet<>();
            for (RexNode operand : call.getOperands()) {
                Set<String> named = keysOf(operand, root);
                if (named == null) {
                    return null;
                }
                keys.addAll(named);
            }
            return keys;
        }
        return null;
    }

    private static boolean isKey(RexNode node) {
        return node instanceof RexInputRef ref && ref.getIndex() == 0; // a cast of the key would change what equals means
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
