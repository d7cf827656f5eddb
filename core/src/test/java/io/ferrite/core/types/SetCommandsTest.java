package io.ferrite.core.types;

import static io.ferrite.core.TestBytes.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import io.ferrite.core.api.Status;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sets through the engine API: intsets, packed and table sets, SPOP, random members and set algebra. */
class SetCommandsTest {
    private final FerriteStore store = FerriteStore.open(StoreConfig.builder().shards(2).databases(1).build());
    private final SetCommands sets = store.sets();
    private final LongParse n = new LongParse();

    @AfterEach
    void close() {
        store.close();
    }

    private static String text(MemorySegment s, long off, long len) {
        return new String(s.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static MemorySegment[] segs(String... values) {
        MemorySegment[] out = new MemorySegment[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = seg(values[i]);
        }
        return out;
    }

    private long sadd(String key, String... members) {
        assertThat(sets.add(0, seg(key), segs(members), 0, members.length, n)).isEqualTo(Status.OK);
        return n.value;
    }

    private List<String> members(String key) {
        List<String> out = new ArrayList<>();
        sets.members(0, seg(key), (s, o, l) -> out.add(text(s, o, l)), n);
        return out;
    }

    private String encoding(String key) {
        return store.keys().encoding(0, seg(key));
    }

    @Test
    void integersMakeASortedIntsetAndAStringMakesItAHashtable() {
        assertThat(sadd("s", "5", "-3", "100", "0", "7", "5")).isEqualTo(5);
        assertThat(encoding("s")).isEqualTo("intset");
        assertThat(members("s")).containsExactly("-3", "0", "5", "7", "100");
        assertThat(sadd("s", "9223372036854775807", "-9223372036854775808")).isEqualTo(2);
        assertThat(encoding("s")).isEqualTo("intset");
        sets.contains(0, seg("s"), seg("-3"), n);
        assertThat(n.value).isEqualTo(1);
        sets.contains(0, seg("s"), seg("03"), n);
        assertThat(n.value).isZero();
        assertThat(sadd("s", "-0")).isEqualTo(1);
        assertThat(encoding("s")).isEqualTo("hashtable");
        assertThat(members("s")).contains("-0", "-3", "100");
        sets.remove(0, seg("s"), segs("-0"), 0, 1, n);
        assertThat(encoding("s")).isEqualTo("hashtable");
    }

    @Test
    void theIntsetLimitIsInclusive() {
        store.encodingLimits().setMaxIntsetEntries(3);
        sadd("i", "1", "2", "3");
        assertThat(encoding("i")).isEqualTo("intset");
        sadd("i", "4");
        assertThat(encoding("i")).isEqualTo("hashtable");
        assertThat(new HashSet<>(members("i"))).containsExactlyInAnyOrder("1", "2", "3", "4");
    }

    @Test
    void aLargeSetIsCompleteAndItsMembersAreFound() {
        Set<String> model = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            sadd("big", "m:" + i);
            model.add("m:" + i);
        }
        sets.size(0, seg("big"), n);
        assertThat(n.value).isEqualTo(20_000);
        assertThat(new HashSet<>(members("big"))).isEqualTo(model);
        for (int i = 0; i < 20_000; i += 101) {
            sets.contains(0, seg("big"), seg("m:" + i), n);
            assertThat(n.value).isEqualTo(1);
        }
        boolean[] flags = new boolean[2];
        sets.containsMany(0, seg("big"), segs("m:1", "nope"), 0, 2, flags);
        assertThat(flags).containsExactly(true, false);
    }

    @Test
    void spopTakesDistinctMembersWithEachOfRedisStrategies() {
        for (int size : new int[] {20, 200, 2000}) {
            for (long count : new long[] {1, 3, size / 2, size - 2, size, size + 5}) {
                store.keys().delete(0, seg("p"));
                Set<String> all = new HashSet<>();
                for (int i = 0; i < size; i++) {
                    sadd("p", size > 100 ? "m" + i : String.valueOf(i));
                    all.add(size > 100 ? "m" + i : String.valueOf(i));
                }
                List<String> popped = new ArrayList<>();
                assertThat(sets.pop(0, seg("p"), count, (s, o, l) -> popped.add(text(s, o, l)), n)).isEqualTo(Status.OK);
                assertThat(popped).hasSize((int) Math.min(count, size)).doesNotHaveDuplicates();
                assertThat(all).containsAll(popped);
                Set<String> left = new HashSet<>(members("p"));
                assertThat(left).hasSize(size - popped.size()).doesNotContainAnyElementsOf(popped);
            }
        }
    }

    @Test
    void srandmemberWithACountIsDistinctAndNegativeCountsRepeat() {
        for (int i = 0; i < 300; i++) {
            sadd("r", "e" + i);
        }
        for (long count : new long[] {1, 10, 150, 299, 300, 1000}) {
            List<String> got = new ArrayList<>();
            sets.random(0, seg("r"), count, (s, o, l) -> got.add(text(s, o, l)), n);
            assertThat(got).hasSize((int) Math.min(count, 300)).doesNotHaveDuplicates();
        }
        List<String> repeated = new ArrayList<>();
        sets.random(0, seg("r"), -1000, (s, o, l) -> repeated.add(text(s, o, l)), n);
        assertThat(repeated).hasSize(1000);
    }

    @Test
    void setAlgebraAndItsStoreFormsFollowRedis() {
        sadd("a", "1", "2", "3", "4");
        sadd("b", "3", "4", "5", "x");
        for (int i = 0; i < 3000; i++) {
            sadd("big", "m" + i);
        }
        sadd("big", "3");
        List<String> out = new ArrayList<>();
        sets.intersection(0, segs("a", "b"), 0, 2, (s, o, l) -> out.add(text(s, o, l)), n);
        assertThat(out).containsExactly("3", "4");
        out.clear();
        sets.union(0, segs("a", "b", "missing"), 0, 3, (s, o, l) -> out.add(text(s, o, l)), n);
        assertThat(out).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "x");
        out.clear();
        sets.difference(0, segs("a", "b"), 0, 2, (s, o, l) -> out.add(text(s, o, l)), n);
        assertThat(out).containsExactly("1", "2");
        sets.intersectionSize(0, segs("a", "big"), 0, 2, 0, n);
        assertThat(n.value).isEqualTo(1);

        store.strings().set(0, seg("dst"), seg("a string"));
        sets.intersectionStore(0, seg("dst"), segs("a", "b"), 0, 2, n);
        assertThat(n.value).isEqualTo(2);
        assertThat(encoding("dst")).isEqualTo("intset");
        sets.unionStore(0, seg("dst"), segs("dst", "big"), 0, 2, n);
        assertThat(n.value).isEqualTo(3002);
        assertThat(encoding("dst")).isEqualTo("hashtable");
        sets.differenceStore(0, seg("dst"), segs("missing", "a"), 0, 2, n);
        assertThat(n.value).isZero();
        assertThat(store.keys().exists(0, seg("dst"))).isFalse();
        out.clear();
        assertThat(sets.union(0, segs("a", "dst"), 0, 2, (s, o, l) -> out.add(text(s, o, l)), n)).isEqualTo(Status.OK);
        store.strings().set(0, seg("str"), seg("x"));
        assertThat(sets.union(0, segs("missing", "str"), 0, 2, (s, o, l) -> { }, n)).isEqualTo(Status.WRONG_TYPE);
    }

    @Test
    void smoveMovesOneMemberAndCreatesAnIntsetDestination() {
        sadd("src", "a", "1");
        assertThat(sets.move(0, seg("src"), seg("dst"), seg("1"), n)).isEqualTo(Status.OK);
        assertThat(n.value).isEqualTo(1);
        assertThat(encoding("dst")).isEqualTo("intset");
        assertThat(members("src")).containsExactly("a");
        assertThat(sets.move(0, seg("src"), seg("dst"), seg("zz"), n)).isEqualTo(Status.OK);
        assertThat(n.value).isZero();
        assertThat(sets.move(0, seg("src"), seg("src"), seg("a"), n)).isEqualTo(Status.OK);
        assertThat(n.value).isEqualTo(1);
        sets.move(0, seg("src"), seg("dst"), seg("a"), n);
        assertThat(store.keys().exists(0, seg("src"))).isFalse();
        assertThat(encoding("dst")).isEqualTo("hashtable");
    }
}
