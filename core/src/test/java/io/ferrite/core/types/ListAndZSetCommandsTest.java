package io.ferrite.core.types;

import static io.ferrite.core.TestBytes.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.collection.ListStore;
import io.ferrite.core.collection.ZSetStore;
import io.ferrite.core.strings.LongParse;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The interim packed lists and sorted sets through the engine API, against a list model. */
class ListAndZSetCommandsTest {
    private final FerriteStore store = FerriteStore.open(StoreConfig.builder().shards(2).databases(2).build());
    private final ListCommands lists = store.lists();
    private final ZSetCommands zsets = store.zsets();
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

    private long push(boolean left, String key, String... values) {
        assertThat(lists.push(0, seg(key), segs(values), 0, values.length, left, false, n)).isEqualTo(Status.OK);
        return n.value;
    }

    private List<String> range(String key, long start, long stop) {
        List<String> out = new ArrayList<>();
        assertThat(lists.range(0, seg(key), start, stop, (s, o, l) -> out.add(text(s, o, l)), n)).isEqualTo(Status.OK);
        assertThat(n.value).isEqualTo(out.size());
        return out;
    }

    private List<String> pop(boolean left, String key, long count) {
        List<String> out = new ArrayList<>();
        Status status = lists.pop(0, seg(key), left, count, (s, o, l) -> out.add(text(s, o, l)), n);
        return status == Status.NOT_FOUND ? null : out;
    }

    @Test
    void pushesPopsAndRangesFollowRedisOrder() {
        assertThat(push(true, "l", "a", "b", "c")).isEqualTo(3);
        assertThat(push(false, "l", "x", "y")).isEqualTo(5);
        assertThat(range("l", 0, -1)).containsExactly("c", "b", "a", "x", "y");
        assertThat(range("l", -2, 100)).containsExactly("x", "y");
        assertThat(range("l", 3, 1)).isEmpty();
        assertThat(range("l", 5, 10)).isEmpty();
        assertThat(range("l", -100, 0)).containsExactly("c");
        assertThat(range("missing", 0, -1)).isEmpty();

        String[] at = {null};
        assertThat(lists.index(0, seg("l"), -1, (s, o, l) -> at[0] = text(s, o, l))).isEqualTo(Status.OK);
        assertThat(at[0]).isEqualTo("y");
        assertThat(lists.index(0, seg("l"), 5, (s, o, l) -> { })).isEqualTo(Status.NOT_FOUND);

        assertThat(pop(true, "l", 2)).containsExactly("c", "b");
        assertThat(pop(false, "l", 2)).containsExactly("y", "x");
        assertThat(pop(false, "l", 0)).isEmpty();
        assertThat(pop(false, "l", 10)).containsExactly("a");
        assertThat(store.keys().type(0, seg("l"))).isEqualTo(ValueType.NONE);
        assertThat(pop(true, "l", 1)).isNull();
    }

    @Test
    void pushxNeedsAListAndOtherTypesAreWrongType() {
        assertThat(lists.push(0, seg("l"), segs("a"), 0, 1, true, true, n)).isEqualTo(Status.OK);
        assertThat(n.value).isZero();
        assertThat(store.keys().type(0, seg("l"))).isEqualTo(ValueType.NONE);
        store.strings().set(0, seg("s"), seg("v"));
        assertThat(lists.push(0, seg("s"), segs("a"), 0, 1, true, false, n)).isEqualTo(Status.WRONG_TYPE);
        assertThat(lists.length(0, seg("s"), n)).isEqualTo(Status.WRONG_TYPE);
        assertThat(zsets.cardinality(0, seg("s"), n)).isEqualTo(Status.WRONG_TYPE);
        push(true, "l", "a");
        assertThat(store.keys().type(0, seg("l"))).isEqualTo(ValueType.LIST);
        assertThat(zsets.add(0, seg("l"), new double[] {1}, segs("m"), 0, 1, 0, n, new double[1])).isEqualTo(Status.WRONG_TYPE);
    }

    @Test
    void aListPastTheInterimLimitIsRefusedWhole() {
        MemorySegment big = MemorySegment.ofArray(new byte[1 << 20]);
        MemorySegment[] sixteen = new MemorySegment[16];
        java.util.Arrays.fill(sixteen, big);
        assertThat(lists.push(0, seg("l"), sixteen, 0, 15, false, false, n)).isEqualTo(Status.OK);
        assertThat(lists.push(0, seg("l"), sixteen, 0, 1, false, false, n)).isEqualTo(Status.VALUE_TOO_LARGE);
        assertThat(lists.length(0, seg("l"), n)).isEqualTo(Status.OK);
        assertThat(n.value).isEqualTo(15);
        assertThat(ListStore.MAX_BYTES).isEqualTo(16L << 20);
    }

    private List<String> zrange(String key, long start, long stop, boolean reverse) {
        List<String> out = new ArrayList<>();
        zsets.range(0, seg(key), start, stop, reverse, (m, mo, ml, s, so, sl) ->
                out.add(text(m, mo, ml) + "=" + s.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, so)), n);
        return out;
    }

    private Status zadd(String key, int flags, double score, String member, double[] newScore) {
        return zsets.add(0, seg(key), new double[] {score}, segs(member), 0, 1, flags, n, newScore);
    }

    @Test
    void sortedSetsKeepScoreThenMemberOrderAndZaddFlags() {
        double[] newScore = new double[1];
        assertThat(zsets.add(0, seg("z"), new double[] {2, 1, 2, 3}, segs("b", "x", "a", "c"), 0, 4, 0, n, newScore)).isEqualTo(Status.OK);
        assertThat(n.value).isEqualTo(4);
        assertThat(zrange("z", 0, -1, false)).containsExactly("x=1.0", "a=2.0", "b=2.0", "c=3.0");
        assertThat(zrange("z", 0, 1, true)).containsExactly("c=3.0", "b=2.0");

        assertThat(zadd("z", ZSetStore.NX, 9, "x", newScore)).isEqualTo(Status.OK);
        assertThat(n.value).isZero();
        assertThat(zadd("z", ZSetStore.XX | ZSetStore.CH, 9, "x", newScore)).isEqualTo(Status.OK);
        assertThat(n.value).isEqualTo(1);
        assertThat(zadd("z", ZSetStore.XX, 1, "new", newScore)).isEqualTo(Status.OK);
        assertThat(n.value).isZero();
        assertThat(zadd("z", ZSetStore.GT | ZSetStore.CH, 5, "x", newScore)).isEqualTo(Status.OK);
        assertThat(n.value).isZero();
        assertThat(zadd("z", ZSetStore.LT | ZSetStore.CH, 5, "x", newScore)).isEqualTo(Status.OK);
        assertThat(n.value).isEqualTo(1);

        assertThat(zadd("z", ZSetStore.INCR, 2.5, "x", newScore)).isEqualTo(Status.OK);
        assertThat(newScore[0]).isEqualTo(7.5);
        assertThat(zadd("z", ZSetStore.INCR | ZSetStore.NX, 1, "x", newScore)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(zadd("z", ZSetStore.INCR | ZSetStore.GT, -1, "x", newScore)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(zadd("z", ZSetStore.INCR, Double.POSITIVE_INFINITY, "inf", newScore)).isEqualTo(Status.OK);
        assertThat(zadd("z", ZSetStore.INCR, Double.NEGATIVE_INFINITY, "inf", newScore)).isEqualTo(Status.NAN_OR_INFINITY);

        double[] score = new double[1];
        assertThat(zsets.score(0, seg("z"), seg("x"), score)).isEqualTo(Status.OK);
        assertThat(score[0]).isEqualTo(7.5);
        assertThat(zsets.score(0, seg("z"), seg("nope"), score)).isEqualTo(Status.NOT_FOUND);

        assertThat(zsets.remove(0, seg("z"), segs("a", "b", "zz"), 0, 3, n)).isEqualTo(Status.OK);
        assertThat(n.value).isEqualTo(2);
        assertThat(zsets.cardinality(0, seg("z"), n)).isEqualTo(Status.OK);
        assertThat(n.value).isEqualTo(3);
        assertThat(zsets.remove(0, seg("z"), segs("c", "x", "inf"), 0, 3, n)).isEqualTo(Status.OK);
        assertThat(store.keys().type(0, seg("z"))).isEqualTo(ValueType.NONE);
    }
}
