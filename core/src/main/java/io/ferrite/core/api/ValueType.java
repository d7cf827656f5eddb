package io.ferrite.core.api;

/** The Redis type of a key's value, with the name Redis's TYPE command replies. */
public enum ValueType {
    NONE("none"),
    STRING("string"),
    LIST("list"),
    HASH("hash"),
    SET("set"),
    ZSET("zset"),
    STREAM("stream");

    private static final ValueType[] BY_CODE = values();
    private final String redisName;

    ValueType(String redisName) {
        this.redisName = redisName;
    }

    public String redisName() {
        return redisName;
    }

    /** The code stored in a record header (4 bits). */
    public int code() {
        return ordinal();
    }

    public static ValueType ofCode(int code) {
        return code < BY_CODE.length ? BY_CODE[code] : NONE;
    }
}
