package io.ferrite.sql;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * One column of a table: its name, SQL type (with precision and scale where the type has them,
 * else -1), and whether an equality on it names a key ({@code lookup}: a system table's
 * {@code key}, a declared table's key column), which a scan then reads directly. Every column may
 * be NULL.
 */
record Column(String name, SqlTypeName type, int precision, int scale, boolean lookup) {
    static Column varchar(String name) {
        return new Column(name, SqlTypeName.VARCHAR, -1, -1, false);
    }

    static Column bigint(String name) {
        return new Column(name, SqlTypeName.BIGINT, -1, -1, false);
    }

    static Column doubles(String name) {
        return new Column(name, SqlTypeName.DOUBLE, -1, -1, false);
    }

    /** A system table's {@code key}. */
    static Column key(String name) {
        return new Column(name, SqlTypeName.VARCHAR, -1, -1, true);
    }

    Column asLookup() {
        return new Column(name, type, precision, scale, true);
    }

    RelDataType type(RelDataTypeFactory types) {
        RelDataType sql = precision < 0 || !type.allowsPrec() ? types.createSqlType(type)
                : scale < 0 || !type.allowsScale() ? types.createSqlType(type, precision)
                : types.createSqlType(type, precision, scale);
        return types.createTypeWithNullability(sql, true);
    }
}
