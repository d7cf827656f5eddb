package io.ferrite.sql;

import org.apache.calcite.rel.type.RelDataTypeSystemImpl;

/**
 * Calcite's type system, but text literals of different lengths that meet (the branches of a
 * CASE, the values of a UNION or an IN list) become VARCHAR, as in PostgreSQL and MySQL, instead
 * of a CHAR padded with spaces to the longest ({@code 'scored '}).
 */
public final class FerriteTypeSystem extends RelDataTypeSystemImpl {
    public static final FerriteTypeSystem INSTANCE = new FerriteTypeSystem();

    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying() {
        return true;
    }
}
