package io.ferrite.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys of a declared table: literal text around {@code {column}} placeholders, as in
 * {@code user:{id}} or {@code order:{customer}:{id}}. A key is the pattern with each placeholder
 * replaced by its column's value as text; reading a key back, each placeholder takes the text up to
 * the first occurrence of the literal that follows it (the last one up to the pattern's end), so a
 * placeholder's value must not contain the literal after it. Two placeholders must be separated by
 * literal text, and there is at least one.
 */
final class KeyPattern {
    /** The literal texts: before the first placeholder, between them, after the last (possibly empty). */
    private final List<String> literals;
    /** The placeholders' column names, in order. */
    final List<String> columns;
    final String text;

    private KeyPattern(String text, List<String> literals, List<String> columns) {
        this.text = text;
        this.literals = literals;
        this.columns = columns;
    }

    /** @throws IllegalArgumentException with what is wrong with {@code text} */
    static KeyPattern parse(String text) {
        List<String> literals = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '}') {
                throw new IllegalArgumentException("'}' without '{' at position " + (i + 1));
            }
            if (c != '{') {
                literal.append(c);
                continue;
            }
            int end = text.indexOf('}', i);
            if (end < 0) {
                throw new IllegalArgumentException("'{' without '}' at position " + (i + 1));
            }
            String column = text.substring(i + 1, end).strip();
            if (column.isEmpty() || column.indexOf('{') >= 0) {
                throw new IllegalArgumentException("'{' at position " + (i + 1) + " does not enclose a column name");
            }
            if (!columns.isEmpty() && literal.isEmpty()) {
                throw new IllegalArgumentException("placeholders {" + columns.getLast() + "} and {" + column
                        + "} need text between them, or a key cannot be read back");
            }
            literals.add(literal.toString());
            literal.setLength(0);
            columns.add(column);
            i = end;
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no {column} placeholder: every row needs a key of its own");
        }
        literals.add(literal.toString());
        return new KeyPattern(text, List.copyOf(literals), List.copyOf(columns));
    }

    /** What every key of the table starts with. */
    String prefix() {
        return literals.getFirst();
    }

    /** The key of the row whose placeholders' values are {@code values}, in the placeholders' order. */
    String format(List<String> values) {
        StringBuilder key = new StringBuilder(literals.getFirst());
        for (int i = 0; i < values.size(); i++) {
            key.append(values.get(i)).append(literals.get(i + 1));
        }
        return key.toString();
    }

    /** The placeholders' values in {@code key}; null when it is not a key of this pattern. */
    String[] match(String key) {
        if (!key.startsWith(literals.getFirst())) {
            return null;
        }
        String[] values = new String[columns.size()];
        int at = literals.getFirst().length();
        for (int i = 0; i < values.length; i++) {
            String next = literals.get(i + 1);
            int end;
            if (i == values.length - 1) {
                end = key.length() - next.length();
                if (end < at || !key.endsWith(next)) {
                    return null;
                }
            } else {
                end = key.indexOf(next, at);
                if (end < 0) {
                    return null;
                }
            }
            values[i] = key.substring(at, end);
            at = end + next.length();
        }
        return values;
    }
}
