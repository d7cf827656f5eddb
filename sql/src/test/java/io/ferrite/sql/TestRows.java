package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The module's tests' helpers: rows as {@code a|b} text, and keys written straight into a store's database 0. */
final class TestRows {
    private TestRows() {}

    /** Each row of {@code rs} as its columns' text joined by {@code |}; closes it. */
    static List<String> collect(ResultSet rs) throws SQLException {
        List<String> rows = new ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int c = 1; c <= columns; c++) {
                row.append(c > 1 ? "|" : "").append(rs.getString(c));
            }
            rows.add(row.toString());
        }
        rs.close();
        return rows;
    }

    static void hash(FerriteStore store, String key, String... fieldsAndValues) {
        store.hashes().set(0, bytes(key), segments(fieldsAndValues), 0, fieldsAndValues.length / 2, new LongParse());
    }

    static void set(FerriteStore store, String key, String... members) {
        store.sets().add(0, bytes(key), segments(members), 0, members.length, new LongParse());
    }

    static MemorySegment[] segments(String... texts) {
        MemorySegment[] segments = new MemorySegment[texts.length];
        for (int i = 0; i < texts.length; i++) {
            segments[i] = bytes(texts[i]);
        }
        return segments;
    }

    static MemorySegment bytes(String text) {
        return MemorySegment.ofArray(text.getBytes(StandardCharsets.UTF_8));
    }
}
