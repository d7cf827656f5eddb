package io.ferrite.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.ferrite.sql.TestRows.bytes;
import static io.ferrite.sql.TestRows.collect;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a scan answers itself: key lookups and column equalities, also when Calcite hands a
 * prepared statement's filter over as one AND, with the same rows as Calcite's own filtering.
 */
class ScanFilterTest {
    private FerriteStore store;
    private Connection sql;

    @BeforeEach
    void open() throws SQLException {
        store = FerriteStore.open(StoreConfig.builder().build());
        sql = FerriteSql.connect(store);
        TestRows.hash(store, "user:1", "name", "Ada", "city", "Paris");
        TestRows.hash(store, "user:2", "name", "Bob", "city", "Lagos");
        TestRows.hash(store, "user:3", "name", "Cy", "city", "Paris", "pet", "cat");
        store.strings().set(0, bytes("user:4"), bytes("a string, not a hash"));
        TestRows.set(store, "tags:1", "red", "blue");
        TestRows.set(store, "tags:2", "blue");
        TestRows.set(store, "tags:3", "green");
    }

    @AfterEach
    void close() throws SQLException {
        sql.close();
        store.close();
    }

    @Test
    void aPreparedKeyAndFieldIsALookupOfThatField() throws SQLException {
        try (PreparedStatement select = sql.prepareStatement("SELECT value FROM hashes WHERE key = ? AND field = ?")) {
            assertThat(rows(select, "user:1", "name")).containsExactly("Ada");
            assertThat(rows(select, "user:3", "pet")).containsExactly("cat");
            assertThat(rows(select, "user:2", "pet")).isEmpty(); // no such field
            assertThat(rows(select, "user:4", "name")).isEmpty(); // a string
            assertThat(rows(select, "user:1", null)).isEmpty(); // field = NULL holds for no row
            assertThat(rows(select, null, "name")).isEmpty();
        }
        try (PreparedStatement select = sql.prepareStatement("SELECT key, value FROM hashes WHERE key = ? AND field = 'name'")) {
            assertThat(rows(select, "user:2")).containsExactly("user:2|Bob");
        }
    }

    @Test
    void fieldAndValueEqualitiesAreCheckedAsRowsAreRead() throws SQLException {
        assertThat(rows("SELECT key FROM hashes WHERE field = 'city' AND value = 'Paris' ORDER BY key"))
                .containsExactly("user:1", "user:3");
        assertThat(rows("SELECT COUNT(*) FROM hashes WHERE value = 'Paris'")).containsExactly("2");
        assertThat(rows("SELECT key FROM hashes WHERE field = 'city' AND field = 'name'")).isEmpty();
        assertThat(rows("SELECT key FROM hashes WHERE field = 'name' AND field = 'name' AND key IN ('user:2', 'user:9')"))
                .containsExactly("user:2");
        // a conjunct the scan cannot answer is still Calcite's, on the rows the scan hands over
        assertThat(rows("SELECT key FROM hashes WHERE field = 'city' AND value LIKE 'P%' AND key <> 'user:1'"))
                .containsExactly("user:3");
        assertThat(rows("SELECT value, COUNT(*) FROM hashes WHERE field = 'city' GROUP BY value ORDER BY value"))
                .containsExactly("Lagos|1", "Paris|2");
    }

    @Test
    void aWalkAskingForOneFieldReadsItInTheWalkAndAsksLargeHashesAfter() throws SQLException {
        String[] fields = new String[600];
        for (int i = 0; i < 300; i++) {
            fields[2 * i] = "f" + i;
            fields[2 * i + 1] = "v" + i;
        }
        TestRows.hash(store, "user:big", fields); // chunked: its field is an HGET after the walk's step
        TestRows.hash(store, "user:big", "city", "Paris");
        assertThat(rows("SELECT key FROM hashes WHERE field = 'city' AND value = 'Paris' ORDER BY key"))
                .containsExactly("user:1", "user:3", "user:big");
        assertThat(rows("SELECT key, value FROM hashes WHERE field = 'f7' ORDER BY key")).containsExactly("user:big|v7");
        assertThat(rows("SELECT COUNT(*) FROM hashes WHERE field = 'pet' AND key LIKE 'user:%'")).containsExactly("1");
        assertThat(rows("SELECT COUNT(*) FROM hashes WHERE field = 'city' AND key LIKE 'tags:%'")).containsExactly("0");
    }

    @Test
    void postgresqlsCastBindsToTheOperandBeforeIt() throws SQLException {
        TestRows.hash(store, "n:1", "v", "20");
        assertThat(rows("SELECT 1 + value::INTEGER * 2, -value::INTEGER, (field || value)::VARCHAR(3) FROM hashes WHERE key = 'n:1'"))
                .containsExactly("41|-20|v20");
    }

    @Test
    void aMemberEqualityAsksEachSetForThatMember() throws SQLException {
        assertThat(rows("SELECT key FROM sets WHERE member = 'blue' ORDER BY key")).containsExactly("tags:1", "tags:2");
        try (PreparedStatement select = sql.prepareStatement("SELECT key FROM sets WHERE member = ? AND key = ?")) {
            assertThat(rows(select, "red", "tags:1")).containsExactly("tags:1");
            assertThat(rows(select, "red", "tags:2")).isEmpty();
            assertThat(rows(select, "red", "user:1")).isEmpty(); // a hash
        }
    }

    @Test
    void aKeyPrefixIsCheckedOnEachKeyTheWalkMeets() throws SQLException {
        assertThat(rows("SELECT DISTINCT key FROM keys WHERE key LIKE 'user:%' ORDER BY key"))
                .containsExactly("user:1", "user:2", "user:3", "user:4");
        assertThat(rows("SELECT key FROM hashes WHERE key LIKE 'user:%' AND field = 'pet'")).containsExactly("user:3");
        assertThat(rows("SELECT key FROM keys WHERE key LIKE 'user:%' AND key LIKE 'user:3%'")).containsExactly("user:3");
        assertThat(rows("SELECT key FROM keys WHERE key LIKE 'user:%' AND key LIKE 'tags:%'")).isEmpty();
        assertThat(rows("SELECT key FROM keys WHERE key LIKE 'user:%' AND key IN ('user:2', 'tags:1')")).containsExactly("user:2");
        // what is not a plain prefix stays Calcite's: the same rows
        assertThat(rows("SELECT key FROM keys WHERE key LIKE 'tags:_' ORDER BY key")).containsExactly("tags:1", "tags:2", "tags:3");
        assertThat(rows("SELECT key FROM keys WHERE key NOT LIKE 'user:%' ORDER BY key")).containsExactly("tags:1", "tags:2", "tags:3");
        assertThat(rows("SELECT key FROM keys WHERE key LIKE 'tags:1'")).containsExactly("tags:1");
        assertThat(String.join("\n", rows("EXPLAIN PLAN FOR SELECT key FROM keys WHERE key LIKE 'user:%'")))
                .contains("FerriteScan").contains("filters=[[LIKE($0, 'user:%')]]");
    }

    @Test
    void aStringEqualityOnValueIsCheckedOnTheRow() throws SQLException {
        assertThat(rows("SELECT key FROM strings WHERE value = 'a string, not a hash'")).containsExactly("user:4");
        assertThat(rows("SELECT key FROM keys WHERE type = 'set' ORDER BY key")).containsExactly("tags:1", "tags:2", "tags:3");
    }

    @Test
    void thePlannerMovesTheConjunctsAScanAnswersAndEachExecutionReadsThemWithItsParameters() {
        RexBuilder rex = new RexBuilder(new JavaTypeFactoryImpl());
        RelDataType text = rex.getTypeFactory().createSqlType(SqlTypeName.VARCHAR);
        RexNode key = rex.makeInputRef(text, 0);
        RexNode field = rex.makeInputRef(text, 1);
        RexNode keyIsParam = rex.makeCall(SqlStdOperatorTable.EQUALS, key, rex.makeDynamicParam(text, 0));
        RexNode fieldIsName = rex.makeCall(SqlStdOperatorTable.EQUALS, field, rex.makeLiteral("name"));
        RexNode valueLike = rex.makeCall(SqlStdOperatorTable.LIKE, rex.makeInputRef(text, 2), rex.makeLiteral("A%"));
        List<Column> columns = List.of(Column.key("key"), Column.varchar("field"), Column.varchar("value"));

        assertThat(ScanFilter.answers(keyIsParam, columns)).isTrue();
        assertThat(ScanFilter.answers(fieldIsName, columns)).isTrue();
        assertThat(ScanFilter.answers(valueLike, columns)).isFalse(); // Calcite's, above the scan

        ScanFilter filter = ScanFilter.of(List.of(keyIsParam, fieldIsName), context(Map.of("?0", "user:1")), columns);
        assertThat(filter.keys).containsExactly("user:1");
        assertThat(filter.required(1)).isEqualTo("name");
        java.util.Map<String, Object> unset = new java.util.HashMap<>();
        unset.put("?0", null);
        assertThat(ScanFilter.of(List.of(keyIsParam), context(unset), columns).rejectsAll()).isTrue(); // key = NULL

        // a conjunct the scan does not answer is never dropped silently
        assertThatThrownBy(() -> ScanFilter.of(List.of(valueLike), context(Map.of()), columns))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("LIKE");
    }

    private static DataContext context(Map<String, Object> values) {
        return new DataContext() {
            @Override
            public SchemaPlus getRootSchema() {
                return null;
            }

            @Override
            public JavaTypeFactory getTypeFactory() {
                return new JavaTypeFactoryImpl();
            }

            @Override
            public QueryProvider getQueryProvider() {
                return null;
            }

            @Override
            public Object get(String name) {
                return values.get(name);
            }
        };
    }

    private List<String> rows(String query) throws SQLException {
        try (Statement statement = sql.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            return collect(rs);
        }
    }

    private static List<String> rows(PreparedStatement select, String... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            select.setString(i + 1, parameters[i]);
        }
        try (ResultSet rs = select.executeQuery()) {
            return collect(rs);
        }
    }
}
