package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.server.TestServer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Larger-than-memory data through the RESP door, with Jedis and Lettuce: a dataset several
 * times maxmemory is written, read back in order through pipelines while most of it is on
 * disk, updated, deleted, compacted; a corrupt block is reported, not served.
 */
class TieredStorageIntegrationTest {
    private static final int KEYS = 40_000;
    private static final int VALUE = 1000;

    private static TestServer start(String... more) {
        List<String> config = new ArrayList<>(List.of("maxmemory 8mb", "page-size 16kb", "shards 2", "databases 1",
                "mutable-size 1mb", "readonly-size 1mb", "cold-block-size 4kb"));
        config.addAll(List.of(more));
        return TestServer.start(config.toArray(String[]::new));
    }

    /** Compressible, and different for every key and version. */
    static String value(int i, int version) {
        StringBuilder sb = new StringBuilder("v").append(version).append(':').append(i).append(':');
        while (sb.length() < VALUE) {
            sb.append("lorem ipsum dolor sit amet ").append(i % 89).append(' ');
        }
        return sb.substring(0, VALUE);
    }

    private static void load(Jedis jedis, int version) {
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < KEYS; i++) {
            p.set("key:" + i, value(i, version));
            if (i % 1000 == 999) {
                p.sync();
            }
        }
        p.sync();
    }

    private static String info(Jedis jedis, String field) {
        for (String line : jedis.info("memory").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("INFO memory has no " + field);
    }

    @Test
    void pipelinedReadsOfADatasetFiveTimesMaxmemoryComeBackInOrder() {
        // Every cold read through the I/O threads, so that commands really wait and resume.
        try (TestServer server = start("pagecache-reads no"); Jedis jedis = new Jedis(server.host(), server.port())) {
            load(jedis, 0);
            assertThat(jedis.dbSize()).isEqualTo(KEYS);
            assertThat(Long.parseLong(info(jedis, "ferrite_hlog_pages_to_cold"))).isPositive();
            long disk = Long.parseLong(info(jedis, "ferrite_hlog_disk_bytes"));
            long raw = Long.parseLong(info(jedis, "ferrite_hlog_disk_raw_bytes"));
            assertThat(raw).isGreaterThan(3L * 8 * 1024 * 1024);
            assertThat(disk).as("compressed on disk").isLessThan(raw / 2);
            assertThat(info(jedis, "ferrite_shard0")).contains("segments=0:");
            assertThat(Long.parseLong(info(jedis, "ferrite_hlog_cold_directory_bytes"))).isPositive();
            // Every key, in pipelines of 1000: replies must keep their order though most need a disk read.
            for (int from = 0; from < KEYS; from += 1000) {
                Pipeline p = jedis.pipelined();
                List<Response<String>> replies = new ArrayList<>();
                for (int i = from; i < from + 1000; i++) {
                    replies.add(p.get("key:" + i));
                }
                p.sync();
                for (int i = 0; i < 1000; i++) {
                    assertThat(replies.get(i).get()).as("key:" + (from + i)).isEqualTo(value(from + i, 0));
                }
            }
            assertThat(Long.parseLong(info(jedis, "ferrite_hlog_cold_reads"))).isPositive();
            assertThat(info(jedis, "ferrite_hlog_cold_reads_pagecache")).isEqualTo("0");
            assertThat(Long.parseLong(info(jedis, "ferrite_hlog_disk_read_waits"))).as("commands re-run after a read").isPositive();
            assertThat(Long.parseLong(info(jedis, "ferrite_hlog_memory_waits"))).isNotNegative();
            assertThat(Long.parseLong(info(jedis, "used_memory_dataset"))).isLessThan(10L * 1024 * 1024);
            assertThat(jedis.configGet("compaction-dead-percent")).containsEntry("compaction-dead-percent", "50");
        }
    }

    @Test
    void compactionDeadPercentIsCheckedAtStart() {
        assertThatThrownBy(() -> start("compaction-dead-percent 100").close())
                .hasMessageContaining("compaction-dead-percent");
        try (TestServer server = start("compaction-dead-percent 0"); Jedis jedis = new Jedis(server.host(), server.port())) {
            assertThat(jedis.configGet("compaction-dead-percent")).containsEntry("compaction-dead-percent", "0");
        }
    }

    @Test
    void lettuceAsyncMgetAndScanSeeColdKeys() throws Exception {
        try (TestServer server = start(); Jedis jedis = new Jedis(server.host(), server.port())) {
            load(jedis, 0);
            RedisClient client = RedisClient.create(RedisURI.builder().withHost(server.host()).withPort(server.port())
                    .withTimeout(Duration.ofSeconds(30)).build());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisAsyncCommands<String, String> async = connection.async();
                List<RedisFuture<List<KeyValue<String, String>>>> futures = new ArrayList<>();
                for (int from = 0; from < KEYS; from += 500) {
                    String[] keys = new String[50];
                    for (int j = 0; j < 50; j++) {
                        keys[j] = "key:" + (from + j * 10);
                    }
                    futures.add(async.mget(keys));
                }
                for (int f = 0; f < futures.size(); f++) {
                    List<KeyValue<String, String>> values = futures.get(f).get(30, TimeUnit.SECONDS);
                    for (int j = 0; j < 50; j++) {
                        int i = f * 500 + j * 10;
                        assertThat(values.get(j).getValue()).isEqualTo(value(i, 0));
                    }
                }
            } finally {
                client.shutdown();
            }
            Set<String> seen = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(500));
                seen.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            assertThat(seen).hasSize(KEYS);
        }
    }

    @Test
    void updatesAndDeletesOfColdKeysSurviveCompaction() throws Exception {
        try (TestServer server = start(); Jedis jedis = new Jedis(server.host(), server.port())) {
            load(jedis, 0);
            Pipeline p = jedis.pipelined();
            int deleted = 0;
            for (int i = 0; i < KEYS; i += 3) {
                p.set("key:" + i, value(i, 1));
                if (i + 1 < KEYS) {
                    p.del("key:" + (i + 1));
                    deleted++;
                }
            }
            p.sync();
            assertThat(jedis.sendCommand(() -> "FERRITE.COMPACT".getBytes()).toString()).isNotNull();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!info(jedis, "ferrite_compactions").equals("1")) {
                assertThat(System.nanoTime()).as("compaction finished").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(info(jedis, "ferrite_compaction_in_progress")).isEqualTo("0");
            assertThat(Long.parseLong(info(jedis, "ferrite_compaction_reclaimed_bytes"))).isPositive();
            for (int i = 0; i < KEYS; i += 3) {
                assertThat(jedis.get("key:" + i)).isEqualTo(value(i, 1));
                assertThat(jedis.get("key:" + (i + 1))).isNull();
                if (i + 2 < KEYS) {
                    assertThat(jedis.get("key:" + (i + 2))).isEqualTo(value(i + 2, 0));
                }
            }
            assertThat(jedis.dbSize()).isEqualTo(KEYS - deleted);
        }
    }

    @Test
    void compactRefusesASecondRunWhileOneIsInProgress() {
        try (TestServer server = start(); Jedis jedis = new Jedis(server.host(), server.port())) {
            load(jedis, 0);
            load(jedis, 1);
            Object first = jedis.sendCommand(() -> "FERRITE.COMPACT".getBytes());
            assertThat(new String((byte[]) first)).isEqualTo("Background compaction started");
            try {
                jedis.sendCommand(() -> "FERRITE.COMPACT".getBytes());
                // The first run may already have finished on a fast machine.
            } catch (JedisDataException e) {
                assertThat(e.getMessage()).isEqualTo("ERR Background compaction already in progress");
            }
            try {
                jedis.sendCommand(() -> "FERRITE.COMPACT".getBytes(), "extra");
            } catch (JedisDataException e) {
                assertThat(e.getMessage()).isEqualTo("ERR wrong number of arguments for 'ferrite.compact' command");
            }
        }
    }

    @Test
    void aCorruptBlockAnswersAnErrorNamingTheFileAndTheServerKeepsServing() throws IOException {
        try (TestServer server = TestServer.start("maxmemory 8mb", "page-size 16kb", "shards 1", "databases 1",
                "mutable-size 1mb", "readonly-size 1mb", "cold-block-size 4kb",
                "promote-cold-reads no");
             Jedis jedis = new Jedis(server.host(), server.port())) {
            load(jedis, 0);
            Path segment = server.dir().resolve("hybridlog/shard-0/segment-000000.cold");
            flipByteInSecondBlock(segment);
            String error = null;
            for (int i = 0; i < 200 && error == null; i++) {
                try {
                    assertThat(jedis.get("key:" + i)).isEqualTo(value(i, 0));
                } catch (JedisDataException e) {
                    error = e.getMessage();
                }
            }
            assertThat(error).startsWith("ERR corrupt log block in ").contains("segment-000000.cold at offset")
                    .contains("checksum mismatch");
            try (Jedis other = new Jedis(server.host(), server.port())) {
                assertThat(other.ping()).isEqualTo("PONG");
                assertThat(other.get("key:" + (KEYS - 1))).isEqualTo(value(KEYS - 1, 0));
            }
        }
    }

    /** Flips one byte inside the payload of the file's second block. */
    static void flipByteInSecondBlock(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(header, 0);
            long target = 32 + header.getInt(20) + 32 + 5;
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, target);
            one.put(0, (byte) (one.get(0) ^ 0x5A));
            one.rewind();
            channel.write(one, target);
        }
    }
}
