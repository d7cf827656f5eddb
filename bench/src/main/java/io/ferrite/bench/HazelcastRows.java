package io.ferrite.bench;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.nio.serialization.genericrecord.GenericRecord;
import com.hazelcast.nio.serialization.genericrecord.GenericRecordBuilder;
import com.hazelcast.map.IMap;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import com.hazelcast.sql.SqlService;
import java.util.HashMap;
import java.util.Map;

/**
 * The SQL benchmark's rows in Hazelcast: an embedded member (no network peers) whose IMap
 * {@code hashes} holds one entry per hash field, keyed {@code <key>/<field>} with a compact value
 * {@code (field, value)}, queried through Hazelcast's SQL over a mapping of that IMap, as
 * Hazelcast's documentation shows it. The point select is an equality on the entry's key, which
 * Hazelcast plans as a lookup.
 */
final class HazelcastRows implements AutoCloseable {
    private final HazelcastInstance member;
    private final SqlService sql;

    HazelcastRows() {
        Config config = new Config().setClusterName("ferrite-bench-" + ProcessHandle.current().pid());
        config.getJetConfig().setEnabled(true); // Hazelcast's SQL runs on its Jet engine
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        member = Hazelcast.newHazelcastInstance(config);
        sql = member.getSql();
        sql.execute("CREATE MAPPING hashes (__key VARCHAR, field VARCHAR, \"value\" VARCHAR) TYPE IMap OPTIONS ("
                + "'keyFormat' = 'varchar', 'valueFormat' = 'compact', 'valueCompactTypeName' = 'row')").close();
    }

    /** The benchmark's hashes ({@link SqlBenchmark#HASHES}), field by field. */
    void load() {
        IMap<String, GenericRecord> map = member.getMap("hashes");
        Map<String, GenericRecord> batch = new HashMap<>();
        for (int i = 0; i < SqlBenchmark.HASHES; i++) {
            String[][] fields = {{"name", "user " + i}, {"age", Integer.toString(18 + i % 60)},
                {"city", SqlBenchmark.CITIES[i % SqlBenchmark.CITIES.length]}};
            for (String[] field : fields) {
                batch.put("user:" + i + "/" + field[0], GenericRecordBuilder.compact("row")
                        .setString("field", field[0]).setString("value", field[1]).build());
            }
            if (batch.size() >= 30_000) {
                map.putAll(batch);
                batch.clear();
            }
        }
        map.putAll(batch);
    }

    /** The value of {@code field} of hash {@code key}, or null. */
    String pointSelect(String key, String field) {
        try (SqlResult result = sql.execute("SELECT \"value\" FROM hashes WHERE __key = ?", key + "/" + field)) {
            for (SqlRow row : result) {
                return row.getObject(0);
            }
            return null;
        }
    }

    /** The first column of the first row of {@code query} as a number, or the sum of the second columns with {@code sumSecond}. */
    long count(String query, boolean sumSecond) {
        long total = 0;
        try (SqlResult result = sql.execute(query)) {
            for (SqlRow row : result) {
                if (!sumSecond) {
                    return ((Number) row.getObject(0)).longValue();
                }
                total += ((Number) row.getObject(1)).longValue();
            }
        }
        return total;
    }

    @Override
    public void close() {
        member.shutdown();
    }
}
