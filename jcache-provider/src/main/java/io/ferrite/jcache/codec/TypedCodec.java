package io.ferrite.jcache.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * The stored form of a cache's keys or values, chosen by the type the cache declares, so that
 * what a Redis client sees is readable where it can be:
 * <ul>
 *   <li>String, the boxed numbers, BigInteger, BigDecimal, Boolean, Character and UUID: their
 *       text ({@code toString()}), UTF-8;</li>
 *   <li>{@code byte[]}: the bytes themselves;</li>
 *   <li>any other declared type, and {@code Object}: a String as its UTF-8 text, anything else
 *       as the byte {@code 0xFF} followed by the {@link Serializer}'s bytes ({@code 0xFF} never
 *       occurs in UTF-8, so the two cannot be confused).</li>
 * </ul>
 * Thread-safe.
 */
public final class TypedCodec {
    /** First byte of the serialized form. */
    public static final byte BINARY_MARK = (byte) 0xFF;

    private enum Form { STRING, LONG, INTEGER, SHORT, BYTE, DOUBLE, FLOAT, BIG_INTEGER, BIG_DECIMAL, BOOLEAN, CHARACTER, UUID, BYTES, ANY }

    private final Class<?> type;
    private final Form form;
    private final Serializer serializer;
    private final ClassLoader loader;

    public TypedCodec(Class<?> type, Serializer serializer, ClassLoader loader) {
        this.type = type;
        this.form = formOf(type);
        this.serializer = serializer;
        this.loader = loader;
    }

    private static Form formOf(Class<?> type) {
        if (type == String.class) return Form.STRING;
        if (type == Long.class) return Form.LONG;
        if (type == Integer.class) return Form.INTEGER;
        if (type == Short.class) return Form.SHORT;
        if (type == Byte.class) return Form.BYTE;
        if (type == Double.class) return Form.DOUBLE;
        if (type == Float.class) return Form.FLOAT;
        if (type == BigInteger.class) return Form.BIG_INTEGER;
        if (type == BigDecimal.class) return Form.BIG_DECIMAL;
        if (type == Boolean.class) return Form.BOOLEAN;
        if (type == Character.class) return Form.CHARACTER;
        if (type == UUID.class) return Form.UUID;
        if (type == byte[].class) return Form.BYTES;
        return Form.ANY;
    }
    public byte[] encode(Object value) {
        return switch (form) {
            case BYTES -> ((byte[]) value).clone();
            case ANY -> value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : binary(value);
            default -> value.toString().getBytes(StandardCharsets.UTF_8);
        };
    }

    private byte[] binary(Object value) {
        byte[] body = serializer.serialize(value);
        byte[] out = new byte[body.length + 1];
        out[0] = BINARY_MARK;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /**
     * @throws IllegalArgumentException when the bytes are not of this form (another door
     *         wrote something the declared type cannot hold)
     */
    public Object decode(byte[] bytes) {
        if (form == Form.BYTES) {
            return bytes;
        }
        if (form == Form.ANY) {
            if (bytes.length > 0 && bytes[0] == BINARY_MARK) {
                Object value = serializer.deserialize(Arrays.copyOfRange(bytes, 1, bytes.length), loader);
                if (type != Object.class && !type.isInstance(value)) {
                    throw new IllegalArgumentException("holds a " + value.getClass().getName() + ", not a " + type.getName());
                }
                return value;
            }
            if (type != Object.class && type != CharSequence.class) {
                throw new IllegalArgumentException("holds text, not a serialized " + type.getName());
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            return switch (form) {
                case STRING -> text;
                case LONG -> Long.valueOf(text);
                case INTEGER -> Integer.valueOf(text);
                case SHORT -> Short.valueOf(text);
                case BYTE -> Byte.valueOf(text);
                case DOUBLE -> Double.valueOf(text);
                case FLOAT -> Float.valueOf(text);
                case BIG_INTEGER -> new BigInteger(text);
                case BIG_DECIMAL -> new BigDecimal(text);
                case BOOLEAN -> parseBoolean(text);
                case CHARACTER -> parseCharacter(text);
                case UUID -> java.util.UUID.fromString(text);
                default -> throw new AssertionError(form);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("holds '" + text + "', not a " + type.getSimpleName(), e);
        }
    }

    private static Boolean parseBoolean(String text) {
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("holds '" + text + "', not a Boolean");
        };
    }

    private static Character parseCharacter(String text) {
        if (text.length() != 1) {
            throw new IllegalArgumentException("holds '" + text + "', not a Character");
        }
        return text.charAt(0);
    }
}
