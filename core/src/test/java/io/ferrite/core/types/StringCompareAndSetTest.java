package io.ferrite.core.types;

import static io.ferrite.core.TestBytes.seg;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import io.ferrite.core.api.ExpireMode;
import io.ferrite.core.api.Status;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link StringCommands#compareAndSet}: the write doors use to read, compute outside a lock and write back. */
class StringCompareAndSetTest {
    private final FerriteStore store = FerriteStore.open(StoreConfig.builder().shards(2).databases(1).build());
    private final StringCommands strings = store.strings();

    @AfterEach
    void close() {
        store.close();
    }

    private String get(String key) {
        String[] out = new String[1];
        strings.get(0, seg(key), (s, o, l) -> out[0] = new String(s.asSlice(o, l).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
        return out[0];
    }

    @Test
    void createsOnlyWhenAbsentAndReplacesOnlyWhatWasRead() {
        assertThat(strings.compareAndSet(0, seg("k"), null, seg("v1"), ExpireMode.CLEAR, 0)).isEqualTo(Status.OK);
        assertThat(strings.compareAndSet(0, seg("k"), null, seg("v2"), ExpireMode.CLEAR, 0)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(strings.compareAndSet(0, seg("k"), seg("other"), seg("v2"), ExpireMode.CLEAR, 0)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(strings.compareAndSet(0, seg("k"), seg("v1x"), seg("v2"), ExpireMode.CLEAR, 0)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(get("k")).isEqualTo("v1");

        assertThat(strings.compareAndSet(0, seg("k"), seg("v1"), seg("v2"), ExpireMode.CLEAR, 0)).isEqualTo(Status.OK);
        assertThat(get("k")).isEqualTo("v2");
    }

    @Test
    void deletesWhenTheValueIsNullAndKeepsOrSetsTheTtl() {
        long at = System.currentTimeMillis() + 60_000;
        strings.compareAndSet(0, seg("k"), null, seg("v"), ExpireMode.SET, at);
        assertThat(store.keys().expireAt(0, seg("k"))).isEqualTo(at);
        strings.compareAndSet(0, seg("k"), seg("v"), seg("w"), ExpireMode.KEEP, 0);
        assertThat(store.keys().expireAt(0, seg("k"))).isEqualTo(at);

        assertThat(strings.compareAndSet(0, seg("k"), seg("v"), null, ExpireMode.KEEP, 0)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(strings.compareAndSet(0, seg("k"), seg("w"), null, ExpireMode.KEEP, 0)).isEqualTo(Status.OK);
        assertThat(store.keys().exists(0, seg("k"))).isFalse();
        assertThat(strings.compareAndSet(0, seg("k"), null, null, ExpireMode.KEEP, 0)).isEqualTo(Status.OK);
    }

    @Test
    void anotherTypeIsWrongTypeAndBadArgumentsAreRefused() {
        store.sets().add(0, seg("s"), new MemorySegment[] {seg("m")}, 0, 1, new io.ferrite.core.strings.LongParse());
        assertThat(strings.compareAndSet(0, seg("s"), seg("m"), seg("v"), ExpireMode.CLEAR, 0)).isEqualTo(Status.WRONG_TYPE);
        assertThat(strings.compareAndSet(0, seg("s"), null, seg("v"), ExpireMode.CLEAR, 0)).isEqualTo(Status.NOT_PERFORMED);
        assertThat(strings.compareAndSet(0, seg("k"), null, seg("v"), ExpireMode.SET, 0)).isEqualTo(Status.OUT_OF_RANGE);
    }
}
