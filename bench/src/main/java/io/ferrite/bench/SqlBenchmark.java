package io.ferrite.bench;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import io.ferrite.core.strings.LongParse;
import io.ferrite.sql.FerriteSql;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SQL door against H2 in memory and Hazelcast's SQL (an embedded member, {@link HazelcastRows}),
 * one run, each engine in a JVM of its own: 1M hash rows (333,334 hashes {@code user:<i>} with
 * fields name, age, city) as Ferrite's {@code hashes} table, as an H2 table
 * {@code hashes(key, field, value)} with primary key (key, field), and as an IMap entry per field. A prepared point select
 * by key (Ferrite: the key pushed into the scan as a lookup; H2: its primary key), a filtered
 * scan and a GROUP BY over every row. H2 would hand back the result of an identical query on
 * unchanged tables without running it again: that is switched off, so both engines do the work.
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// the --add-* flags are the ones Hazelcast asks for to run at its best (harmless to the others)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g", "-XX:+UseParallelGC",
    "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"})
public class SqlBenchmark {
    static final int HASHES = 333_334;
    static final String[] CITIES = {"London", "Paris", "Zurich", "Austin", "Lagos", "Osaka"};

    @State(Scope.Benchmark)
    public static class Database {
        @Param({"ferrite", "h2", "hazelcast"})
        public String engine;

        FerriteStore store;
        Connection connection;
        HazelcastRows hazelcast;

        @Setup(Level.Trial)
        public void setUp() throws SQLException {
            if (engine.equals("ferrite")) {
                store = FerriteStore.open(StoreConfig.builder().build());
                loadFerrite(store);
                connection = FerriteSql.connect(store);
            } else if (engine.equals("h2")) {
                connection = DriverManager.getConnection("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1;OPTIMIZE_REUSE_RESULTS=FALSE");
                loadH2(connection);
            } else {
                hazelcast = new HazelcastRows();
                hazelcast.load();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            if (connection != null) {
                connection.close();
            }
            if (hazelcast != null) {
                hazelcast.close();
            }
            if (store != null) {
                store.close();
            }
        }

    }

    /** The prepared point select, by key, of both engines. */
    static final String POINT_SELECT = "SELECT \"value\" FROM hashes WHERE \"key\" = ? AND field = 'name'";

    /** The benchmark's hashes, written into database 0 of {@code store}. */
    static void loadFerrite(FerriteStore store) {
        LongParse added = new LongParse();
        for (int i = 0; i < HASHES; i++) {
            MemorySegment[] fields = {
                bytes("name"), bytes("user " + i), bytes("age"), bytes(Integer.toString(18 + i % 60)),
                bytes("city"), bytes(CITIES[i % CITIES.length])};
            store.hashes().set(0, bytes("user:" + i), fields, 0, 3, added);
        }
    }

    /** The same rows as an H2 table {@code hashes(key, field, value)} with primary key (key, field). */
    static void loadH2(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE hashes (\"key\" VARCHAR, field VARCHAR, \"value\" VARCHAR, PRIMARY KEY (\"key\", field))");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO hashes VALUES (?, ?, ?)")) {
            for (int i = 0; i < HASHES; i++) {
                String[][] rows = {{"name", "user " + i}, {"age", Integer.toString(18 + i % 60)}, {"city", CITIES[i % CITIES.length]}};
                for (String[] row : rows) {
                    insert.setString(1, "user:" + i);
                    insert.setString(2, row[0]);
                    insert.setString(3, row[1]);
                    insert.addBatch();
                }
                if (i % 10_000 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }

    private static MemorySegment bytes(String text) {
        return MemorySegment.ofArray(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Each thread's prepared point select. */
    @State(Scope.Thread)
    public static class PointSelect {
        PreparedStatement select;

        @Setup(Level.Trial)
        public void prepare(Database db) throws SQLException {
            select = db.connection == null ? null : db.connection.prepareStatement(POINT_SELECT);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            if (select != null) {
                select.close();
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public String pointSelect(Database db, PointSelect statement) throws SQLException {
        String key = "user:" + ThreadLocalRandom.current().nextInt(HASHES);
        if (db.hazelcast != null) {
            return db.hazelcast.pointSelect(key, "name");
        }
        statement.select.setString(1, key);
        try (ResultSet rs = statement.select.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long filteredScan(Database db) throws SQLException {
        if (db.hazelcast != null) {
            return db.hazelcast.count("SELECT COUNT(*) FROM hashes WHERE field = 'city' AND \"value\" = 'Paris'", false);
        }
        try (Statement s = db.connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM hashes WHERE field = 'city' AND \"value\" = 'Paris'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long groupBy(Database db) throws SQLException {
        if (db.hazelcast != null) {
            return db.hazelcast.count("SELECT \"value\", COUNT(*) FROM hashes WHERE field = 'city' GROUP BY \"value\"", true);
        }
        long total = 0;
        try (Statement s = db.connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"value\", COUNT(*) FROM hashes WHERE field = 'city' GROUP BY \"value\"")) {
            while (rs.next()) {
                total += rs.getLong(2);
            }
        }
        return total;
    }
}
