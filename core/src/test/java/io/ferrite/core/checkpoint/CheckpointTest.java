package io.ferrite.core.checkpoint;

import static io.ferrite.core.TestBytes.seg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import io.ferrite.core.TestBytes;
import io.ferrite.core.api.LogCorruptedException;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.StorageException;
import io.ferrite.core.strings.LongParse;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints of the log through the store's API: everything frozen comes back after a restart
 * (strings in every tier, small and large collections, expiries, several databases), nothing
 * written after the freeze does, the restored store keeps working (writes, compaction, a
 * second checkpoint), and every kind of damage stops the start with a message naming the file.
 */
class CheckpointTest {
    private static final int KEYS = 3000;

    @TempDir
    Path dir;

    private StoreConfig config(int shards) {
        return StoreConfig.builder().shards(shards).databases(2).pageSize(16 * 1024).segmentSize(1 << 20)
                .maxMemory(4L << 20).maxValueSize(1 << 19).indexBuckets(64).dataDir(dir).mutableSize(512 * 1024)
                .readOnlySize(256 * 1024).coldBlockSize(4096).coldCacheSize(128 * 1024).checkpoints(true).build();
    }

    private FerriteStore open() {
        return FerriteStore.open(config(2));
    }

    private static String value(int i, int version) {
        StringBuilder sb = new StringBuilder("v" + version + ":" + i + ":");
        while (sb.length() < 1000) {
            sb.append("lorem ipsum ").append(i % 89).append(' ');
        }
        return sb.substring(0, 1000);
    }

    private static String get(FerriteStore store, int db, String key) {
        TestBytes.Capture c = new TestBytes.Capture();
        Status s = store.strings().get(db, seg(key), c);
        return s == Status.OK ? c.value : null;
    }

    private static String hget(FerriteStore store, String key, String field) {
        TestBytes.Capture c = new TestBytes.Capture();
        return store.hashes().get(0, seg(key), seg(field), c) == Status.OK ? c.value : null;
    }

    private static long hlen(FerriteStore store, String key) {
        LongParse n = new LongParse();
        store.hashes().length(0, seg(key), n);
        return n.value;
    }

    private static long scard(FerriteStore store, String key) {
        LongParse n = new LongParse();
        store.sets().size(0, seg(key), n);
        return n.value;
    }

    private static boolean sismember(FerriteStore store, String key, String member) {
        LongParse n = new LongParse();
        store.sets().contains(0, seg(key), seg(member), n);
        return n.value == 1;
    }

    private static void hset(FerriteStore store, String key, String field, String value) {
        LongParse added = new LongParse();
        assertThat(store.hashes().set(0, seg(key), new MemorySegment[] {seg(field), seg(value)}, 0, 1, added)).isEqualTo(Status.OK);
    }

    private static void sadd(FerriteStore store, String key, String member) {
        LongParse added = new LongParse();
        assertThat(store.sets().add(0, seg(key), new MemorySegment[] {seg(member)}, 0, 1, added)).isEqualTo(Status.OK);
    }

    /** The dataset the tests checkpoint: far more than the 4 MB budget, so most of it is cold. */
    private static void fill(FerriteStore store) {
        for (int i = 0; i < KEYS; i++) {
            assertThat(store.strings().set(0, seg("key:" + i), seg(value(i, 0)))).isEqualTo(Status.OK);
        }
        for (int i = 0; i < KEYS; i += 10) {
            store.keys().delete(0, seg("key:" + i));
        }
        store.keys().expire(0, seg("key:1"), System.currentTimeMillis() + 3_600_000, io.ferrite.core.api.ExpireCondition.ALWAYS);
        store.strings().set(1, seg("other"), seg("db one"));
        hset(store, "h:small", "a", "1");
        hset(store, "h:small", "b", "2");
        for (int i = 0; i < 2000; i++) {
            hset(store, "h:big", "field:" + i, "value:" + i);
            sadd(store, "s:big", "member:" + i);
        }
        for (int i = 0; i < 50; i++) {
            sadd(store, "s:int", Integer.toString(i * 7));
        }
        awaitColdData(store);
    }

    /** Waits until the page mover has put part of every shard's log on disk (it runs on its own). */
    private static void awaitColdData(FerriteStore store) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (store.logStats().stream().anyMatch(s -> s.head() < 256 * 1024)) {
            assertThat(System.currentTimeMillis()).as("the mover moves pages to disk").isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void verify(FerriteStore store) {
        for (int i = 0; i < KEYS; i++) {
            assertThat(get(store, 0, "key:" + i)).as("key:" + i).isEqualTo(i % 10 == 0 ? null : value(i, 0));
        }
        assertThat(store.keys().expireAt(0, seg("key:1"))).isGreaterThan(System.currentTimeMillis());
        assertThat(store.keys().expireAt(0, seg("key:2"))).isEqualTo(io.ferrite.core.types.KeyCommands.NO_EXPIRY);
        assertThat(get(store, 1, "other")).isEqualTo("db one");
        assertThat(store.keys().dbSize(0)).isEqualTo(KEYS - KEYS / 10 + 4);
        assertThat(store.keys().dbSize(1)).isEqualTo(1);
        assertThat(store.keys().expiresCount(0)).isEqualTo(1);
        assertThat(hget(store, "h:small", "b")).isEqualTo("2");
        assertThat(hlen(store, "h:big")).isEqualTo(2000);
        assertThat(scard(store, "s:big")).isEqualTo(2000);
        for (int i = 0; i < 2000; i += 97) {
            assertThat(hget(store, "h:big", "field:" + i)).isEqualTo("value:" + i);
            assertThat(sismember(store, "s:big", "member:" + i)).isTrue();
        }
        assertThat(scard(store, "s:int")).isEqualTo(50);
        assertThat(store.keys().encoding(0, seg("s:int"))).isEqualTo("intset");
        assertThat(store.keys().encoding(0, seg("h:big"))).isEqualTo("hashtable");
    }

    private static CheckpointInfo checkpoint(FerriteStore store, String tag) throws IOException {
        Checkpoints.Frozen frozen = store.checkpoints().freeze();
        assertThat(frozen).isNotNull();
        return store.checkpoints().write(frozen, tag);
    }

    @Test
    void aRestartRestoresTheCheckpointAndNothingWrittenAfterIt() throws Exception {
        CheckpointInfo written;
        try (FerriteStore store = open()) {
            fill(store);
            assertThat(store.logStats().get(0).head()).as("part of the data is cold").isGreaterThan(64);
            written = checkpoint(store, "first");
            assertThat(written.keys()).isEqualTo(KEYS - KEYS / 10 + 5);
            // Changes after the checkpoint are not in it (the AOF after it would bring them back).
            store.strings().set(0, seg("key:2"), seg("changed"));
            store.keys().delete(0, seg("key:3"));
            hset(store, "h:big", "field:0", "changed");
            store.strings().set(0, seg("after"), seg("x"));
            verifyAfterwards(store);
        }
        try (FerriteStore store = open()) {
            assertThat(store.checkpoints().recovered()).isEqualTo(written);
            assertThat(store.checkpoints().recovered().tag()).isEqualTo("first");
            verify(store);
            assertThat(get(store, 0, "after")).isNull();
            // The restored store works on: writes, deletes, compaction, a second checkpoint.
            for (int i = 0; i < KEYS; i += 2) {
                store.strings().set(0, seg("key:" + i), seg(value(i, 1)));
            }
            store.compact(0.0);
            checkpoint(store, "second");
        }
        try (FerriteStore store = open()) {
            assertThat(store.checkpoints().recovered().tag()).isEqualTo("second");
            for (int i = 0; i < KEYS; i++) {
                String expected = i % 2 == 0 ? value(i, 1) : i % 10 == 0 ? null : value(i, 0);
                assertThat(get(store, 0, "key:" + i)).as("key:" + i).isEqualTo(expected);
            }
            assertThat(hlen(store, "h:big")).isEqualTo(2000);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".ckpt")).count())
                    .as("only the current checkpoint's files are kept").isEqualTo(2);
        }
    }

    private static void verifyAfterwards(FerriteStore store) {
        assertThat(get(store, 0, "key:2")).isEqualTo("changed");
        assertThat(get(store, 0, "key:3")).isNull();
    }

    @Test
    void withoutACheckpointTheStoreStartsEmptyAndRemovesOldFiles() {
        try (FerriteStore store = open()) {
            fill(store);
        }
        try (FerriteStore store = open()) {
            assertThat(store.checkpoints().recovered()).isNull();
            assertThat(store.keys().dbSize(0)).isZero();
        }
    }

    @Test
    void writesDuringTheCheckpointDoNotLeakIntoIt() throws Exception {
        try (FerriteStore store = open()) {
            fill(store);
            Checkpoints.Frozen frozen = store.checkpoints().freeze();
            assertThat(store.checkpoints().freeze()).as("one at a time").isNull();
            for (int i = 0; i < KEYS; i++) {
                store.strings().set(0, seg("key:" + i), seg("new " + i));
            }
            store.keys().delete(0, seg("h:big"));
            store.checkpoints().write(frozen, "during");
        }
        try (FerriteStore store = open()) {
            verify(store);
        }
    }

    /** Collects what an export hands over: per db and key, its value as text and its expiry. */
    private static final class Exported implements Checkpoints.KeySink {
        final java.util.Map<String, String> values = new java.util.TreeMap<>();
        final java.util.Map<String, Long> expiries = new java.util.TreeMap<>();
        private String name;
        private StringBuilder text;

        @Override
        public io.ferrite.core.api.ValueExport begin(int db, MemorySegment key) {
            name = db + ":" + new String(key.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8);
            text = new StringBuilder();
            return new io.ferrite.core.api.ValueExport() {
                @Override
                public void string(MemorySegment source, long offset, long length) {
                    text.append(str(source, offset, length));
                }

                @Override
                public void collection(io.ferrite.core.api.ValueType type, String encoding, long count, int intsetWidth) {
                    text.append(type).append(' ').append(encoding).append(' ').append(count);
                }

                @Override
                public void member(MemorySegment source, long offset, long length) { }

                @Override
                public void entry(MemorySegment f, long fo, long fl, MemorySegment v, long vo, long vl) { }
            };
        }

        @Override
        public void end(long expireAt) {
            values.put(name, text.toString());
            expiries.put(name, expireAt);
        }

        private static String str(MemorySegment source, long offset, long length) {
            return new String(source.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * An export of a checkpoint frozen for reading hands over every key as it was at the freeze,
     * cold ones included, while writes change and delete them meanwhile; it releases the
     * checkpoint, so the next one can be frozen.
     */
    @Test
    void anExportHandsOverTheDataAsFrozenWhileWritesGoOn() throws Exception {
        try (FerriteStore store = open()) {
            fill(store);
            Checkpoints.Frozen frozen = store.checkpoints().freeze(true);
            for (int i = 0; i < KEYS; i++) {
                store.strings().set(0, seg("key:" + i), seg("new " + i));
            }
            store.keys().delete(0, seg("h:big"));
            store.strings().set(0, seg("created later"), seg("x"));
            store.checkpoints().write(frozen, "written first");
            Exported seen = new Exported();
            assertThat(store.checkpoints().export(frozen, seen, () -> false)).isTrue();
            assertThat(seen.values).hasSize(KEYS - KEYS / 10 + 4 + 1);
            for (int i = 1; i < KEYS; i += 7) {
                assertThat(seen.values.get("0:key:" + i)).as("key:" + i).isEqualTo(i % 10 == 0 ? null : value(i, 0));
            }
            assertThat(seen.values).containsEntry("1:other", "db one").containsEntry("0:h:big", "HASH hashtable 2000")
                    .containsEntry("0:s:int", "SET intset 50").doesNotContainKey("0:created later");
            assertThat(seen.expiries.get("0:key:1")).isGreaterThan(System.currentTimeMillis());
            assertThat(seen.expiries.get("0:key:2")).isZero();
            Checkpoints.Frozen next = store.checkpoints().freeze(true);
            assertThat(next).as("released by the export").isNotNull();
            store.checkpoints().drop(next);
        }
    }

    /** A FLUSHALL during an export ends it (what it froze is gone); one not frozen for reading is refused. */
    @Test
    void anExportEndsAtAFlushallAndNeedsACheckpointFrozenForReading() throws Exception {
        try (FerriteStore store = open()) {
            fill(store);
            Checkpoints.Frozen frozen = store.checkpoints().freeze(true);
            store.keys().flushAll();
            assertThat(store.checkpoints().export(frozen, new Exported(), () -> false)).isFalse();
            Checkpoints.Frozen plain = store.checkpoints().freeze();
            assertThat(plain).as("released by the export").isNotNull();
            assertThatThrownBy(() -> store.checkpoints().export(plain, new Exported(), () -> false))
                    .isInstanceOf(IllegalArgumentException.class);
            store.checkpoints().abandon(plain);
            Checkpoints.Frozen cancelled = store.checkpoints().freeze(true);
            store.strings().set(0, seg("k"), seg("v"));
            assertThat(store.checkpoints().export(cancelled, new Exported(), () -> true)).isFalse();
            assertThat(store.checkpoints().freeze()).as("released after a cancelled export").isNotNull();
        }
    }

    @Test
    void aFlushWhileTheCheckpointIsWrittenAbandonsIt() throws Exception {
        try (FerriteStore store = open()) {
            fill(store);
            checkpoint(store, "kept");
            Checkpoints.Frozen frozen = store.checkpoints().freeze();
            store.keys().flushAll();
            assertThatThrownBy(() -> store.checkpoints().write(frozen, "flushed")).isInstanceOf(CheckpointAbandonedException.class);
            assertThat(store.checkpoints().latest().tag()).isEqualTo("kept");
            store.strings().set(0, seg("new"), seg("x"));
        }
        try (FerriteStore store = open()) {
            assertThat(store.checkpoints().recovered().tag()).isEqualTo("kept");
            verify(store);
        }
    }

    @Test
    void aDiscardedCheckpointIsGoneAndItsFilesWithIt() throws Exception {
        try (FerriteStore store = open()) {
            fill(store);
            checkpoint(store, "to forget");
            store.checkpoints().discard();
            assertThat(store.checkpoints().latest()).isNull();
            assertThat(Files.exists(dir.resolve("hybridlog").resolve("CHECKPOINT"))).isFalse();
        }
        assertThat(Files.exists(dir.resolve("hybridlog"))).as("nothing to keep at close").isFalse();
        try (FerriteStore store = open()) {
            assertThat(store.checkpoints().recovered()).isNull();
            assertThat(store.keys().dbSize(0)).isZero();
        }
    }

    // ---- damage ----

    private Path shardFile(int shard) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("hybridlog").resolve("shard-" + shard))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ckpt")).findFirst().orElseThrow();
        }
    }

    private void checkpointed() throws IOException {
        try (FerriteStore store = open()) {
            fill(store);
            checkpoint(store, "damaged later");
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x40));
            b.rewind();
            ch.write(b, offset);
        }
    }

    @Test
    void aFlippedByteInAShardFileStopsTheStartAndKeepsTheFiles() throws Exception {
        checkpointed();
        Path file = shardFile(1);
        for (long offset : List.of(20L, Files.size(file) / 2, Files.size(file) - 3)) {
            flipByte(file, offset);
            assertThatThrownBy(this::open).isInstanceOf(LogCorruptedException.class)
                    .hasMessageContaining("corrupt checkpoint file " + file).hasMessageContaining("at offset");
            flipByte(file, offset);
        }
        try (FerriteStore store = open()) {
            verify(store);
        }
    }

    @Test
    void aCutShardFileOrPointerStopsTheStart() throws Exception {
        checkpointed();
        Path file = shardFile(0);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 100));
        assertThatThrownBy(this::open).isInstanceOf(LogCorruptedException.class).hasMessageContaining(file.toString());
        Files.write(file, whole);

        Path pointer = dir.resolve("hybridlog").resolve("CHECKPOINT");
        byte[] pointerBytes = Files.readAllBytes(pointer);
        flipByte(pointer, pointerBytes.length - 5);
        assertThatThrownBy(this::open).isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining("corrupt checkpoint file " + pointer);
        Files.write(pointer, java.util.Arrays.copyOf(pointerBytes, 10));
        assertThatThrownBy(this::open).isInstanceOf(LogCorruptedException.class).hasMessageContaining(pointer.toString());
        Files.write(pointer, pointerBytes);
        try (FerriteStore store = open()) {
            verify(store);
        }
    }

    @Test
    void aMissingOrCutSegmentFileStopsTheStart() throws Exception {
        checkpointed();
        Path segment = dir.resolve("hybridlog").resolve("shard-0").resolve("segment-000000.cold");
        byte[] whole = Files.readAllBytes(segment);
        Files.write(segment, java.util.Arrays.copyOf(whole, 100));
        assertThatThrownBy(this::open).isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining(segment.toString()).hasMessageContaining("the file was cut");
        Files.delete(segment);
        assertThatThrownBy(this::open).isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining(segment.toString()).hasMessageContaining("missing");
        Files.write(segment, whole);
        try (FerriteStore store = open()) {
            verify(store);
        }
    }

    @Test
    void aStoreOfAnotherGeometryRefusesTheCheckpoint() throws Exception {
        checkpointed();
        assertThatThrownBy(() -> FerriteStore.open(config(3))).isInstanceOf(StorageException.class)
                .hasMessageContaining("written with 2 shards").hasMessageContaining("start it with the same settings");
        try (FerriteStore store = open()) {
            verify(store);
        }
    }

    @Test
    void aMissingShardFileStopsTheStart() throws Exception {
        checkpointed();
        Path file = shardFile(1);
        Files.delete(file);
        assertThatThrownBy(this::open).isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("missing");
    }

}
