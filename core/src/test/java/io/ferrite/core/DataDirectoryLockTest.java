package io.ferrite.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.core.api.DirectoryInUseException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One data directory, one open store: a second is refused until the first closes. */
class DataDirectoryLockTest {
    private static StoreConfig on(Path dir) {
        return StoreConfig.builder().dataDir(dir).shards(2).build();
    }

    @Test
    void aSecondStoreOnTheDirectoryIsRefusedUntilTheFirstCloses(@TempDir Path dir) {
        FerriteStore first = FerriteStore.open(on(dir));
        try {
            assertThatThrownBy(() -> FerriteStore.open(on(dir)))
                    .isInstanceOf(DirectoryInUseException.class)
                    .hasMessageContaining("the data directory " + dir + " is in use by another store")
                    .hasMessageContaining("process " + ProcessHandle.current().pid());
            first.strings().set(0, MemorySegment.ofArray("k".getBytes(StandardCharsets.UTF_8)),
                    MemorySegment.ofArray("v".getBytes(StandardCharsets.UTF_8)));
        } finally {
            first.close();
        }
        FerriteStore again = FerriteStore.open(on(dir));
        again.close();
        FerriteStore inMemory = FerriteStore.open(StoreConfig.builder().shards(2).build());
        FerriteStore alsoInMemory = FerriteStore.open(StoreConfig.builder().shards(2).build());
        inMemory.close();
        alsoInMemory.close();
    }
}
