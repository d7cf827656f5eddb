package io.ferrite.core.types;

import static io.ferrite.core.TestBytes.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import io.ferrite.core.api.LookupSink;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hashes through the engine API: both encodings, their conversion, and hashes of many chunks. */
class HashCommandsTest {
    private final FerriteStore store = FerriteStore.open(StoreConfig.builder().shards(2).databases(2).build());
    private final HashCommands hashes = store.hashes();
    private final LongParse n = new LongParse();

    @AfterEach
    void close() {
        store.close();
    }

    private static String text(MemorySegment s, long off, long len) {
        return new String(s.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private long hset(String key, String... pairs) {
        MemorySegment[] args = new MemorySegment[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            args[i] = seg(pairs[i]);
        }
        assertThat(hashes.set(0, seg(key), args, 0, pairs.length / 2, n)).isEqualTo(Status.OK);
        return n.value;
    }

    private String hget(String key, String field) {
        String[] out = {null};
        hashes.get(0, seg(key), seg(field), (s, off, len) -> out[0] = text(s, off, len));
        return out[0];
    }

    private Map<String, String> hgetall(String key) {
        Map<String, String> all = new LinkedHashMap<>();
        hashes.entries(0, seg(key), (f, fo, fl, v, vo, vl) -> all.put(text(f, fo, fl), text(v, vo, vl)), n);
        assertThat(n.value).isEqualTo(all.size());
        return all;
    }

    @Test
    void aWalkOfTheHashesHandsOverOneFieldOfEachSmallOneAndNamesTheLargeOnes() {
        for (int i = 0; i < 500; i++) {
            hset("user:" + i, "name", "n" + i, "city", i % 2 == 0 ? "Paris" : "Lagos");
        }
        hset("nocity", "name", "x");
        store.strings().set(0, seg("plain"), seg("a string"));
        for (int i = 0; i < 2000; i++) { // a chunked hash: its field is not read in the walk
            hset("big", "f" + i, "v" + i);
        }
        hset("big", "city", "Zurich");
        Map<String, String> cities = new HashMap<>();
        java.util.List<String> missing = new java.util.ArrayList<>();
        java.util.List<String> notRead = new java.util.ArrayList<>();
        MemorySegment city = seg("city");
        long cursor = 0;
        do {
            cursor = hashes.scanField(0, cursor, 50, city, (key, source, offset, length) -> {
                String k = text(key, 0, key.byteSize());
                if (length == io.ferrite.core.api.HashFieldVisitor.MISSING) {
                    missing.add(k);
                } else if (length == io.ferrite.core.api.HashFieldVisitor.NOT_READ) {
                    notRead.add(k);
                } else {
                    assertThat(cities.put(k, text(source, offset, length))).isNull(); // each hash once
                }
            });
        } while (cursor != 0);
        assertThat(cities).hasSize(500).containsEntry("user:0", "Paris").containsEntry("user:7", "Lagos");
        assertThat(missing).containsExactly("nocity");
        assertThat(notRead).containsExactly("big");
        assertThat(hget("big", "city")).isEqualTo("Zurich");
    }

    @Test
    void aSmallHashKeepsInsertionOrderAndIsAListpack() {
        assertThat(hset("h", "c", "1", "a", "2", "b", "3")).isEqualTo(3);
        assertThat(hset("h", "a", "9")).isZero();
        MemorySegment[] fields = {seg("c")};
        hashes.delete(0, seg("h"), fields, 0, 1, n);
        assertThat(n.value).isEqualTo(1);
        assertThat(hset("h", "c", "4")).isEqualTo(1);
        assertThat(hgetall("h")).containsExactly(Map.entry("a", "9"), Map.entry("b", "3"), Map.entry("c", "4"));
        assertThat(store.keys().encoding(0, seg("h"))).isEqualTo("listpack");
        assertThat(store.keys().type(0, seg("h"))).isEqualTo(ValueType.HASH);
    }

    @Test
    void duplicateFieldsInOneCallCountOnceAndTheLastValueWins() {
        assertThat(hset("h", "f1", "v1", "f2", "v2", "f1", "v3")).isEqualTo(2);
        assertThat(hget("h", "f1")).isEqualTo("v3");
    }

    @Test
    void aLongValueOrTooManyFieldsConvertToAHashtableForGood() {
        store.encodingLimits().hashMaxListpackValue(8);
        hset("long", "f", "12345678");
        assertThat(store.keys().encoding(0, seg("long"))).isEqualTo("listpack");
        hset("long", "g", "123456789");
        assertThat(store.keys().encoding(0, seg("long"))).isEqualTo("hashtable");
        hashes.delete(0, seg("long"), new MemorySegment[] {seg("g")}, 0, 1, n);
        assertThat(store.keys().encoding(0, seg("long"))).isEqualTo("hashtable");
        assertThat(hgetall("long")).containsExactly(Map.entry("f", "12345678"));

        store.encodingLimits().hashMaxListpackEntries(2);
        hset("many", "a", "1", "b", "2", "a", "3");
        assertThat(store.keys().encoding(0, seg("many"))).isEqualTo("listpack");
        hset("many", "c", "3");
        assertThat(store.keys().encoding(0, seg("many"))).isEqualTo("hashtable");
        assertThat(hgetall("many")).containsOnlyKeys("a", "b", "c");
    }

    @Test
    void aHashOfManyChunksAnswersEveryFieldAndShrinksToNothing() {
        int fields = 20_000;
        Map<String, String> model = new HashMap<>();
        for (int i = 0; i < fields; i++) {
            hset("big", "field:" + i, "value:" + i);
            model.put("field:" + i, "value:" + i);
        }
        hashes.length(0, seg("big"), n);
        assertThat(n.value).isEqualTo(fields);
        assertThat(store.keys().encoding(0, seg("big"))).isEqualTo("hashtable");
        for (int i = 0; i < fields; i += 97) {
            assertThat(hget("big", "field:" + i)).isEqualTo("value:" + i);
        }
        assertThat(hget("big", "missing")).isNull();
        assertThat(hgetall("big")).isEqualTo(model);

        // HMGET answers in the order asked, with missing fields marked.
        List<String> got = new ArrayList<>();
        MemorySegment[] asked = {seg("field:5"), seg("nope"), seg("field:7")};
        hashes.getMany(0, seg("big"), asked, 0, 3, new LookupSink() {
            @Override
            public void found(MemorySegment source, long offset, long length) {
                got.add(text(source, offset, length));
            }

            @Override
            public void missing() {
                got.add(null);
            }
        });
        assertThat(got).containsExactly("value:5", null, "value:7");

        // A full HSCAN returns every field at least once.
        Map<String, String> scanned = new HashMap<>();
        long cursor = 0;
        do {
            hashes.scan(0, seg("big"), cursor, 10, (f, fo, fl, v, vo, vl) -> scanned.put(text(f, fo, fl), text(v, vo, vl)), n);
            cursor = n.value;
        } while (cursor != 0);
        assertThat(scanned).isEqualTo(model);

        for (int i = 0; i < fields; i++) {
            hashes.delete(0, seg("big"), new MemorySegment[] {seg("field:" + i)}, 0, 1, n);
            assertThat(n.value).isEqualTo(1);
        }
        assertThat(store.keys().exists(0, seg("big"))).isFalse();
    }

    @Test
    void hincrbyAndHincrbyfloatFollowRedis() {
        assertThat(hashes.incrBy(0, seg("h"), seg("n"), 5, n)).isEqualTo(Status.OK);
        assertThat(n.value).isEqualTo(5);
        hset("h", "n", "9223372036854775806");
        assertThat(hashes.incrBy(0, seg("h"), seg("n"), 1, n)).isEqualTo(Status.OK);
        assertThat(hashes.incrBy(0, seg("h"), seg("n"), 1, n)).isEqualTo(Status.OVERFLOW);
        hset("h", "s", " 11");
        assertThat(hashes.incrBy(0, seg("h"), seg("s"), 1, n)).isEqualTo(Status.NOT_AN_INTEGER);
        String[] out = {null};
        assertThat(hashes.incrByFloat(0, seg("h"), seg("f"), seg("0.1"), (s, o, l) -> out[0] = text(s, o, l))).isEqualTo(Status.OK);
        assertThat(hashes.incrByFloat(0, seg("h"), seg("f"), seg("0.2"), (s, o, l) -> out[0] = text(s, o, l))).isEqualTo(Status.OK);
        assertThat(out[0]).isEqualTo("0.3");
        assertThat(hget("h", "f")).isEqualTo("0.3");
        assertThat(hashes.incrByFloat(0, seg("h"), seg("s"), seg("1"), (s, o, l) -> { })).isEqualTo(Status.NOT_A_FLOAT);
    }

    @Test
    void wrongTypeIsRefusedAndDelOfABigHashLeavesNothingBehind() {
        store.strings().set(0, seg("str"), seg("x"));
        assertThat(hashes.set(0, seg("str"), new MemorySegment[] {seg("a"), seg("b")}, 0, 1, n)).isEqualTo(Status.WRONG_TYPE);
        assertThat(hashes.get(0, seg("str"), seg("a"), (s, o, l) -> { })).isEqualTo(Status.WRONG_TYPE);
        for (int i = 0; i < 5000; i++) {
            hset("gone", "f" + i, "v" + i);
        }
        assertThat(store.keys().delete(0, seg("gone"))).isEqualTo(Status.OK);
        hset("gone", "only", "1");
        assertThat(hgetall("gone")).containsExactly(Map.entry("only", "1"));
        store.compact(0.0);
        assertThat(hgetall("gone")).containsExactly(Map.entry("only", "1"));
    }

    @Test
    void renameCopyAndMoveOfABigHash() {
        for (int i = 0; i < 3000; i++) {
            hset("src", "f" + i, "v" + i);
        }
        Map<String, String> model = hgetall("src");
        assertThat(store.keys().copy(0, seg("src"), 0, seg("copy"), false)).isEqualTo(Status.OK);
        hset("src", "extra", "1");
        assertThat(hgetall("copy")).isEqualTo(model);
        assertThat(store.keys().rename(0, seg("copy"), seg("renamed"), false)).isEqualTo(Status.OK);
        assertThat(hgetall("renamed")).isEqualTo(model);
        assertThat(store.keys().move(0, seg("renamed"), 1)).isEqualTo(Status.OK);
        assertThat(store.keys().exists(0, seg("renamed"))).isFalse();
        Map<String, String> moved = new HashMap<>();
        hashes.entries(1, seg("renamed"), (f, fo, fl, v, vo, vl) -> moved.put(text(f, fo, fl), text(v, vo, vl)), n);
        assertThat(moved).isEqualTo(model);
        store.keys().flushDb(1);
        assertThat(hgetall("src")).hasSize(3001);
        store.compact(0.0);
        assertThat(hgetall("src")).hasSize(3001);
    }
}
