package io.ferrite.sql;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The text a key or field holds, read as a declared column's SQL type and written back, in
 * Calcite's internal forms (DATE as days since 1970, TIME as milliseconds of the day, TIMESTAMP as
 * milliseconds since 1970 read as UTC). Numbers are written as plain decimal text, booleans as
 * {@code true} / {@code false} (reading also takes {@code 1} / {@code 0}), dates and times as
 * ISO text ({@code 2026-12-04}, {@code 10:15:30}, {@code 2026-12-04 10:15:30.5}).
 */
final class TypedText {
    /** The types a declared column may have. */
    static final Set<SqlTypeName> SUPPORTED = EnumSet.of(SqlTypeName.VARCHAR, SqlTypeName.CHAR, SqlTypeName.BOOLEAN,
            SqlTypeName.TINYINT, SqlTypeName.SMALLINT, SqlTypeName.INTEGER, SqlTypeName.BIGINT, SqlTypeName.DECIMAL,
            SqlTypeName.REAL, SqlTypeName.FLOAT, SqlTypeName.DOUBLE, SqlTypeName.DATE, SqlTypeName.TIME, SqlTypeName.TIMESTAMP);

    /** Integer types, whose values may name keys in lookups. */
    static final Set<SqlTypeName> INTEGERS = EnumSet.of(SqlTypeName.TINYINT, SqlTypeName.SMALLINT, SqlTypeName.INTEGER,
            SqlTypeName.BIGINT);

    private static final DateTimeFormatter TIMESTAMP_TEXT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd().append(DateTimeFormatter.ISO_LOCAL_TIME).toFormatter(Locale.ROOT);
    private static final DateTimeFormatter TIMESTAMP_OUT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.MILLI_OF_SECOND, 0, 3, true).toFormatter(Locale.ROOT);

    private TypedText() {}

    /** {@code text} as a value of {@code type}; null when it does not parse as one. */
    static Object read(String text, SqlTypeName type) {
        try {
            return switch (type) {
                case VARCHAR, CHAR -> text;
                case BOOLEAN -> switch (text.strip().toLowerCase(Locale.ROOT)) {
                    case "true", "1" -> Boolean.TRUE;
                    case "false", "0" -> Boolean.FALSE;
                    default -> null;
                };
                case TINYINT -> Byte.parseByte(text.strip());
                case SMALLINT -> Short.parseShort(text.strip());
                case INTEGER -> Integer.parseInt(text.strip());
                case BIGINT -> Long.parseLong(text.strip());
                case DECIMAL -> new BigDecimal(text.strip());
                case REAL -> (float) number(text);
                case FLOAT, DOUBLE -> number(text);
                case DATE -> (int) LocalDate.parse(text.strip()).toEpochDay();
                case TIME -> (int) (LocalTime.parse(text.strip()).toNanoOfDay() / 1_000_000);
                case TIMESTAMP -> LocalDateTime.parse(text.strip(), TIMESTAMP_TEXT).toInstant(ZoneOffset.UTC).toEpochMilli();
                default -> throw new IllegalStateException("not a declarable type: " + type);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }

    /** A number as Redis writes one ({@code inf} and {@code -inf} included). */
    private static double number(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (t.equals("nan") || t.endsWith("d") || t.endsWith("f")) { // Java's suffixes are not numbers here
                    throw new NumberFormatException(text);
                }
                yield Double.parseDouble(t);
            }
        };
    }

    /** {@code value} (of {@code type}, in Calcite's internal form) as the text a key or field holds. */
    static String write(Object value, SqlTypeName type) {
        return switch (type) {
            case DATE -> LocalDate.ofEpochDay(((Number) value).longValue()).toString();
            case TIME -> LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000).toString();
            case TIMESTAMP -> LocalDateTime.ofEpochSecond(Math.floorDiv(((Number) value).longValue(), 1000),
                    (int) Math.floorMod(((Number) value).longValue(), 1000) * 1_000_000, ZoneOffset.UTC).format(TIMESTAMP_OUT);
            case DECIMAL -> value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
            case REAL, FLOAT, DOUBLE -> floating(((Number) value).doubleValue());
            default -> value.toString();
        };
    }

    private static String floating(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e17) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).toPlainString();
    }
}
