package io.ferrite.core;

import io.ferrite.core.api.ExpireCondition;
import io.ferrite.core.types.KeyCommands;
import static io.ferrite.core.TestBytes.seg;
import static io.ferrite.core.TestBytes.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.core.api.ChangeKind;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.LongParse;
import io.ferrite.core.types.StringCommands;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FerriteStoreTest {
    private FerriteStore store;
    private StringCommands strings;

    @BeforeEach
    void open() {
        store = FerriteStore.open(StoreConfig.builder().shards(4).pageSize(64 * 1024).indexBuckets(16).build());
        strings = store.strings();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String get(int db, String key) {
        TestBytes.Capture capture = new TestBytes.Capture();
        Status status = strings.get(db, seg(key), capture);
        return status == Status.OK ? capture.value : null;
    }

    @Test
    void setThenGetReturnsTheValue() {
        assertThat(strings.set(0, seg("k"), seg("v"))).isEqualTo(Status.OK);
        assertThat(get(0, "k")).isEqualTo("v");
        assertThat(get(1, "k")).isNull();
        assertThat(store.keys().dbSize(0)).isEqualTo(1);
    }

    @Test
    void overwriteInPlaceAndByAppendingKeepOneKey() {
        strings.set(0, seg("k"), seg("short"));
        strings.set(0, seg("k"), seg("tiny"));
        assertThat(get(0, "k")).isEqualTo("tiny");
        strings.set(0, seg("k"), seg("a much longer value that cannot fit in place"));
        assertThat(get(0, "k")).isEqualTo("a much longer value that cannot fit in place");
        strings.set(0, seg("k"), seg(""));
        assertThat(get(0, "k")).isEmpty();
        assertThat(store.keys().dbSize(0)).isEqualTo(1);
    }

    @Test
    void deleteRemovesAndReportsMissingKeys() {
        strings.set(0, seg("k"), seg("v"));
        assertThat(store.keys().delete(0, seg("k"))).isEqualTo(Status.OK);
        assertThat(store.keys().delete(0, seg("k"))).isEqualTo(Status.NOT_FOUND);
        assertThat(get(0, "k")).isNull();
        assertThat(store.keys().dbSize(0)).isZero();
        strings.set(0, seg("k"), seg("again"));
        assertThat(get(0, "k")).isEqualTo("again");
    }

    @Test
    void setOptionsFollowRedis() {
        assertThat(strings.set(0, seg("k"), seg("1"), StringCommands.XX, 0, null)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(strings.set(0, seg("k"), seg("1"), StringCommands.NX, 0, null)).isEqualTo(Status.OK);
        assertThat(strings.set(0, seg("k"), seg("2"), StringCommands.NX, 0, null)).isEqualTo(Status.NOT_PERFORMED);
        TestBytes.Capture old = new TestBytes.Capture();
        assertThat(strings.set(0, seg("k"), seg("3"), StringCommands.GET, 0, old)).isEqualTo(Status.OK);
        assertThat(old.value).isEqualTo("1");
        assertThat(get(0, "k")).isEqualTo("3");
        assertThatThrownBy(() -> strings.set(0, seg("k"), seg("3"), StringCommands.NX | StringCommands.XX, 0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ttlIsKeptOrClearedAsRedisDoes() {
        long later = System.currentTimeMillis() + 100_000;
        strings.set(0, seg("k"), seg("v"), 0, later, null);
        assertThat(store.keys().expireAt(0, seg("k"))).isEqualTo(later);
        strings.set(0, seg("k"), seg("w"), StringCommands.KEEPTTL, 0, null);
        assertThat(store.keys().expireAt(0, seg("k"))).isEqualTo(later);
        LongParse length = new LongParse();
        strings.append(0, seg("k"), seg("xyz"), length);
        assertThat(store.keys().expireAt(0, seg("k"))).isEqualTo(later);
        strings.set(0, seg("k"), seg("plain"));
        assertThat(store.keys().expireAt(0, seg("k"))).isEqualTo(KeyCommands.NO_EXPIRY);
        assertThat(store.keys().expireAt(0, seg("missing"))).isEqualTo(KeyCommands.NO_KEY);
    }

    @Test
    void expiredKeysVanishLazily() throws InterruptedException {
        strings.set(0, seg("k"), seg("v"), 0, System.currentTimeMillis() + 30, null);
        assertThat(get(0, "k")).isEqualTo("v");
        Thread.sleep(60);
        assertThat(get(0, "k")).isNull();
        assertThat(store.keys().exists(0, seg("k"))).isFalse();
        assertThat(strings.set(0, seg("k"), seg("new"), StringCommands.NX, 0, null)).isEqualTo(Status.OK);
    }

    @Test
    void activeExpiryReclaimsUntouchedKeys() throws InterruptedException {
        for (int i = 0; i < 2000; i++) {
            strings.set(0, seg("temp:" + i), seg("v"), 0, System.currentTimeMillis() + 400, null);
        }
        strings.set(0, seg("stays"), seg("v"));
        assertThat(store.keys().dbSize(0)).isEqualTo(2001);
        long deadline = System.currentTimeMillis() + 5000;
        while (store.keys().dbSize(0) > 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.keys().dbSize(0)).isEqualTo(1);
        assertThat(store.keys().expiresCount(0)).isZero();
    }

    @Test
    void expireXxWithLtNeedsATtl() {
        strings.set(0, seg("k"), seg("v"));
        long t1 = System.currentTimeMillis() + 100_000;
        // LT alone treats no TTL as infinite; with XX (EXPIRE k t XX LT) the key must have a TTL.
        assertThat(store.keys().expire(0, seg("k"), t1, ExpireCondition.XX_LT)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(store.keys().expireAt(0, seg("k"))).isEqualTo(KeyCommands.NO_EXPIRY);
        assertThat(store.keys().expire(0, seg("k"), t1, ExpireCondition.ALWAYS)).isEqualTo(Status.OK);
        assertThat(store.keys().expire(0, seg("k"), t1 + 1, ExpireCondition.XX_LT)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(store.keys().expire(0, seg("k"), t1 - 1, ExpireCondition.XX_LT)).isEqualTo(Status.OK);
        assertThat(store.keys().expireAt(0, seg("k"))).isEqualTo(t1 - 1);
    }

    @Test
    void expireConditionsAndPersist() {
        strings.set(0, seg("k"), seg("v"));
        long t1 = System.currentTimeMillis() + 100_000;
        assertThat(store.keys().expire(0, seg("k"), t1, ExpireCondition.XX)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(store.keys().expire(0, seg("k"), t1, ExpireCondition.GT)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(store.keys().expire(0, seg("k"), t1, ExpireCondition.NX)).isEqualTo(Status.OK);
        assertThat(store.keys().expire(0, seg("k"), t1 + 1, ExpireCondition.LT)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(store.keys().expire(0, seg("k"), t1 + 1, ExpireCondition.GT)).isEqualTo(Status.OK);
        assertThat(store.keys().expireAt(0, seg("k"))).isEqualTo(t1 + 1);
        assertThat(store.keys().persist(0, seg("k"))).isEqualTo(Status.OK);
        assertThat(store.keys().persist(0, seg("k"))).isEqualTo(Status.NOT_PERFORMED);
        assertThat(store.keys().expire(0, seg("missing"), t1, ExpireCondition.ALWAYS)).isEqualTo(Status.NOT_FOUND);
        assertThat(store.keys().expire(0, seg("k"), System.currentTimeMillis() - 1, ExpireCondition.ALWAYS)).isEqualTo(Status.OK);
        assertThat(store.keys().exists(0, seg("k"))).isFalse();
    }

    @Test
    void renameCopyMoveCarryValueAndTtl() {
        long later = System.currentTimeMillis() + 100_000;
        strings.set(0, seg("a"), seg("va"), 0, later, null);
        assertThat(store.keys().rename(0, seg("a"), seg("b"), false)).isEqualTo(Status.OK);
        assertThat(get(0, "a")).isNull();
        assertThat(get(0, "b")).isEqualTo("va");
        assertThat(store.keys().expireAt(0, seg("b"))).isEqualTo(later);
        assertThat(store.keys().rename(0, seg("a"), seg("b"), false)).isEqualTo(Status.NOT_FOUND);
        strings.set(0, seg("c"), seg("vc"));
        assertThat(store.keys().rename(0, seg("b"), seg("c"), true)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(store.keys().copy(0, seg("b"), 0, seg("c"), false)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(store.keys().copy(0, seg("b"), 0, seg("c"), true)).isEqualTo(Status.OK);
        assertThat(get(0, "c")).isEqualTo("va");
        assertThat(store.keys().copy(0, seg("b"), 3, seg("b"), false)).isEqualTo(Status.OK);
        assertThat(get(3, "b")).isEqualTo("va");
        assertThat(store.keys().copy(0, seg("b"), 0, seg("b"), false)).isEqualTo(Status.SAME_KEY);
        assertThat(store.keys().move(0, seg("c"), 3)).isEqualTo(Status.OK);
        assertThat(get(0, "c")).isNull();
        assertThat(get(3, "c")).isEqualTo("va");
        assertThat(store.keys().move(0, seg("b"), 3)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(store.keys().rename(0, seg("b"), seg("b"), false)).isEqualTo(Status.OK);
        assertThat(store.keys().dbSize(0)).isEqualTo(1);
        assertThat(store.keys().dbSize(3)).isEqualTo(2);
    }

    @Test
    void scanVisitsEveryKeyOnceWhileTheIndexGrows() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            strings.set(0, seg("key:" + i), seg("v"));
            expected.add("key:" + i);
        }
        Set<String> seen = new HashSet<>();
        List<String> repeated = new ArrayList<>();
        long cursor = 0;
        int added = 0;
        do {
            cursor = store.keys().scan(0, cursor, 10, null, (key, type) -> {
                if (!seen.add(str(key))) {
                    repeated.add(str(key));
                }
            });
            // Grow the index mid-scan (to 20x): keys present throughout must still all be seen, and none twice
            for (int j = 0; j < 500 && added < 100_000; j++) {
                strings.set(0, seg("extra:" + added++), seg("v"));
            }
        } while (cursor != 0);
        assertThat(added).isEqualTo(100_000);
        assertThat(seen).containsAll(expected);
        assertThat(repeated).isEmpty();
    }

    @Test
    void scanFiltersByType() {
        strings.set(0, seg("s"), seg("v"));
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = store.keys().scan(0, cursor, 100, ValueType.HASH, (key, type) -> seen.add(str(key)));
        } while (cursor != 0);
        assertThat(seen).isEmpty();
    }

    @Test
    void randomKeyFindsAKey() {
        assertThat(store.keys().randomKey(0, (k, t) -> { })).isFalse();
        strings.set(0, seg("only"), seg("v"));
        List<String> seen = new ArrayList<>();
        assertThat(store.keys().randomKey(0, (key, type) -> seen.add(str(key)))).isTrue();
        assertThat(seen).containsExactly("only");
    }

    @Test
    void flushDbAndFlushAll() {
        strings.set(0, seg("a"), seg("1"));
        strings.set(1, seg("b"), seg("2"));
        store.keys().flushDb(0);
        assertThat(get(0, "a")).isNull();
        assertThat(get(1, "b")).isEqualTo("2");
        store.keys().flushAll();
        assertThat(get(1, "b")).isNull();
        strings.set(1, seg("b"), seg("3"));
        assertThat(get(1, "b")).isEqualTo("3");
    }

    @Test
    void changeEventsArriveInOrder() {
        List<String> events = new ArrayList<>();
        store.subscribe((db, key, kind) -> events.add(db + ":" + str(key) + ":" + kind.eventName()));
        strings.set(0, seg("k"), seg("v"));
        store.keys().rename(0, seg("k"), seg("j"), false);
        store.keys().delete(0, seg("j"));
        // A key that did not exist raises "new" first, as Redis's dbAdd does.
        assertThat(events).containsExactly("0:k:new", "0:k:set", "0:j:new", "0:k:rename_from", "0:j:rename_to", "0:j:del");
        assertThat(ChangeKind.EXPIRED.eventName()).isEqualTo("expired");
    }

    @Test
    void changeEventsCarryTheShardSequenceAndOnRequestTheValues() {
        List<String> withValues = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        java.util.Map<Integer, Long> lastSequence = new java.util.HashMap<>();
        io.ferrite.core.api.ChangeEventListener valued = e -> {
            Long last = lastSequence.put(e.shard(), e.sequence());
            assertThat(e.sequence()).isGreaterThan(last == null ? 0 : last); // in order, per shard
            withValues.add(e.kind().eventName() + " " + str(e.key()) + " " + text(e.oldValue()) + "->" + text(e.newValue()));
        };
        io.ferrite.core.api.ChangeEventListener bare = e -> plain.add(e.kind().eventName() + " " + text(e.oldValue()));
        store.subscribe(valued, true);
        store.subscribe(bare, false);
        strings.set(0, seg("k"), seg("one"));
        strings.set(0, seg("k"), seg("two")); // in place: the old value is copied before it is overwritten
        strings.append(0, seg("k"), seg(" and a longer tail that moves the record"), new io.ferrite.core.strings.LongParse());
        store.hashes().set(0, seg("h"), new java.lang.foreign.MemorySegment[] {seg("f"), seg("v")}, 0, 1,
                new io.ferrite.core.strings.LongParse());
        store.keys().delete(0, seg("k"));
        assertThat(withValues).containsExactly("new k null->null", "set k null->one", "set k one->two",
                "append k two->two and a longer tail that moves the record", "new h null->null", "hset h null->null",
                "del k two and a longer tail that moves the record->null");
        assertThat(plain).hasSize(withValues.size()).allMatch(line -> line.endsWith(" null"));
        assertThat(lastSequence.keySet()).allMatch(shard -> shard >= 0 && shard < 4);

        store.unsubscribe(valued);
        store.unsubscribe(bare);
        strings.set(0, seg("k"), seg("unseen"));
        assertThat(withValues).hasSize(7);
    }

    /** Listens in both forms, as a door that wants values only for a while does. */
    private static final class Switching implements io.ferrite.core.api.ChangeListener, io.ferrite.core.api.ChangeEventListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onChange(int db, java.lang.foreign.MemorySegment key, ChangeKind kind) {
            seen.add("plain " + kind.eventName() + " " + str(key));
        }

        @Override
        public void onChange(io.ferrite.core.api.ChangeEvent e) {
            seen.add("valued " + e.kind().eventName() + " " + str(e.key()) + " " + text(e.oldValue()));
        }
    }

    @Test
    void aSubscriberSwitchesToValuesAndBackWithoutLosingOrDoublingEvents() {
        Switching listener = new Switching();
        store.subscribe((io.ferrite.core.api.ChangeListener) listener);
        strings.set(0, seg("k"), seg("one"));
        store.switchValues(listener, true);
        strings.set(0, seg("k"), seg("two"));
        store.switchValues(listener, true); // already so: no second subscription
        strings.set(0, seg("k"), seg("three"));
        store.switchValues(listener, false);
        strings.set(0, seg("k"), seg("four"));
        assertThat(listener.seen).containsExactly("plain new k", "plain set k", "valued set k one", "valued set k two",
                "plain set k");
        store.unsubscribe((io.ferrite.core.api.ChangeListener) listener);
        strings.set(0, seg("k"), seg("five"));
        assertThat(listener.seen).hasSize(5);
    }

    private static String text(java.lang.foreign.MemorySegment value) {
        return value == null ? "null" : str(value);
    }

    @Test
    void badInputGetsTypedErrors() {
        assertThatThrownBy(() -> strings.get(16, seg("k"), (s, o, l) -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> strings.get(-1, seg("k"), (s, o, l) -> { })).isInstanceOf(IllegalArgumentException.class);
        try (FerriteStore small = FerriteStore.open(StoreConfig.builder().shards(1).maxKeySize(4).maxValueSize(8)
                .pageSize(4096).segmentSize(1 << 20).build())) {
            assertThat(small.strings().set(0, seg("long-key"), seg("v"))).isEqualTo(Status.KEY_TOO_LARGE);
            assertThat(small.strings().set(0, seg("k"), seg("123456789"))).isEqualTo(Status.VALUE_TOO_LARGE);
            LongParse length = new LongParse();
            small.strings().set(0, seg("k"), seg("12345"));
            assertThat(small.strings().append(0, seg("k"), seg("6789"), length)).isEqualTo(Status.VALUE_TOO_LARGE);
            assertThat(small.strings().setRange(0, seg("k"), -1, seg("x"), length)).isEqualTo(Status.OUT_OF_RANGE);
            assertThat(small.strings().setRange(0, seg("k"), 8, seg("x"), length)).isEqualTo(Status.VALUE_TOO_LARGE);
        }
        assertThatThrownBy(() -> StoreConfig.builder().databases(17).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> strings.set(0, null, seg("v"))).isInstanceOf(NullPointerException.class).hasMessage("key");
        assertThatThrownBy(() -> strings.set(0, seg("k"), null)).isInstanceOf(NullPointerException.class).hasMessage("value");
        assertThatThrownBy(() -> store.keys().delete(0, null)).isInstanceOf(NullPointerException.class).hasMessage("key");
        assertThat(strings.set(0, seg("k"), seg("v"), 0, -5, null)).isEqualTo(Status.OUT_OF_RANGE);
        assertThat(store.keys().exists(0, seg("k"))).isFalse();
        LongParse result = new LongParse();
        strings.set(0, seg("n"), seg(Long.toString(Long.MAX_VALUE)));
        assertThat(strings.incrBy(0, seg("n"), 1, result)).isEqualTo(Status.OVERFLOW);
        strings.set(0, seg("n"), seg("12a"));
        assertThat(strings.incrBy(0, seg("n"), 1, result)).isEqualTo(Status.NOT_AN_INTEGER);
        assertThat(strings.incrByFloat(0, seg("n"), seg("1"), (s, o, l) -> { })).isEqualTo(Status.NOT_A_FLOAT);
        assertThat(strings.incrByFloat(0, seg("f"), seg("inf"), (s, o, l) -> { })).isEqualTo(Status.NAN_OR_INFINITY);
        assertThat(get(0, "n")).isEqualTo("12a");
    }

    @Test
    void closedStoreRefusesWork() {
        store.close();
        assertThatThrownBy(() -> strings.set(0, seg("k"), seg("v"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void valuesLargerThanAPageLiveInRunsOfPages() {
        String big = "x".repeat(200_000);
        strings.set(0, seg("big"), seg(big));
        strings.set(0, seg("small"), seg("s"));
        assertThat(get(0, "big")).isEqualTo(big);
        assertThat(get(0, "small")).isEqualTo("s");
        LongParse length = new LongParse();
        strings.append(0, seg("big"), seg("y"), length);
        assertThat(length.value).isEqualTo(200_001);
        assertThat(get(0, "big")).isEqualTo(big + "y");
    }

    @Test
    void closeWaitsForWritesInFlightAndLaterOnesAreRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // The race is timing-dependent (it hung about one round in three before the fix): rounds.
        for (int round = 0; round < 6; round++) {
            closeUnderWriters(dir.resolve("round" + round));
        }
    }

    private static void closeUnderWriters(java.nio.file.Path dir) throws Exception {
        // Tiers and a tiny budget: pages move all the time, so epoch drains are always pending
        // when close comes, and some writer is waiting for a lock while it holds a protection.
        FerriteStore busy = FerriteStore.open(StoreConfig.builder().shards(2).pageSize(16 * 1024).segmentSize(1 << 20).maxValueSize(1 << 19)
                .maxMemory(2L << 20).dataDir(dir).mutableSize(96 * 1024).readOnlySize(96 * 1024).build());
        List<Thread> writers = new ArrayList<>();
        List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int id = t;
            writers.add(Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int i = 0; ; i++) {
                        // single-key writes and a multi-shard one, so some wait for locks while protected
                        busy.strings().set(0, seg("w" + id + ":" + (i % 500)), seg("v".repeat(200) + i));
                        busy.keys().rename(0, seg("w" + id + ":" + (i % 500)), seg("r" + id + ":" + (i % 7)), false);
                    }
                } catch (IllegalStateException closed) {
                    // the store closed under this writer: what every later call gets
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }));
        }
        Thread.sleep(150);
        // close used to wait forever for a writer that was protected and waiting for a lock close held
        Thread closer = Thread.ofPlatform().daemon().start(busy::close);
        closer.join(20_000);
        assertThat(closer.isAlive()).as("close finished").isFalse();
        for (Thread writer : writers) {
            writer.join(10_000);
            assertThat(writer.isAlive()).isFalse();
        }
        assertThat(unexpected).isEmpty();
        assertThatThrownBy(() -> busy.strings().set(0, seg("k"), seg("v"))).isInstanceOf(IllegalStateException.class);
    }
}
