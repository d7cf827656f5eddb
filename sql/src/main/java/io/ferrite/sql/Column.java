package io.ferrite.sql;

import org.apache.calcite.sql.type.SqlTypeName;

/** One column of a system table: its name and SQL type (every column may be NULL). */
record Column(String name, SqlTypeName type) {
    static Column varchar(String name) {
        return new Column(name, SqlTypeName.VARCHAR);
    }

    static Column bigint(String name) {
        return new Column(name, SqlTypeName.BIGINT);
    }
}
