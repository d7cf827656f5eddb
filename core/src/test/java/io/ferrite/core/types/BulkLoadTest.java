package io.ferrite.core.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BulkLoadTest {
    private final FerriteStore store = FerriteStore.open(StoreConfig.builder().shards(2).databases(2).build());

    @AfterEach
    void close() {
        store.close();
    }

    private static MemorySegment bytes(String text) {
        return MemorySegment.ofArray(text.getBytes(StandardCharsets.UTF_8));
    }

    private String get(String key) {
        String[] value = {null};
        store.strings().get(0, bytes(key), (src, off, len) ->
                value[0] = new String(src.asSlice(off, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
        return value[0];
    }

    @Test
    void everyKeyIsWrittenAndEachKeysWritesKeepTheirOrder() throws Exception {
        try (BulkLoad load = store.keys().bulkLoad()) {
            for (int i = 0; i < 20_000; i++) {
                MemorySegment key = bytes("k" + i);
                MemorySegment first = bytes("first" + i);
                MemorySegment second = bytes("second" + i);
                load.submit(key, () -> store.keys().restore(0, key, first, 0, true));
                load.submit(key, () -> store.keys().restore(0, key, second, 0, true));
            }
            load.finish();
        }
        assertThat(store.keys().dbSize(0)).isEqualTo(20_000);
        assertThat(get("k0")).isEqualTo("second0");
        assertThat(get("k19999")).isEqualTo("second19999");
    }

    @Test
    void theFirstFailureStopsTheLoadAndIsThrown() {
        assertThatThrownBy(() -> {
            try (BulkLoad load = store.keys().bulkLoad()) {
                for (int i = 0; i < 100_000; i++) {
                    int n = i;
                    load.submit(bytes("k" + i), () -> {
                        if (n == 500) {
                            throw new IllegalStateException("bad key 500");
                        }
                    });
                }
                load.finish();
            }
        }).hasMessage("bad key 500");
    }
}
