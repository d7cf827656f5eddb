package io.ferrite.core.tier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoWaitReadsTest {
    @Test
    void readsCachedBytesAndRefusesWhatItCannotReadWholly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data");
        byte[] data = new byte[3 * 4096];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Files.write(file, data); // just written: in the page cache
        int fd = NoWaitReads.open(file);
        try {
            if (!NoWaitReads.AVAILABLE) {
                assertThat(fd).isEqualTo(-1);
                assertThat(NoWaitReads.readIfCached(fd, 0, 16)).isNull();
                return;
            }
            assertThat(fd).isGreaterThanOrEqualTo(0);
            // The bytes come in the thread's reused array, from index 0.
            assertThat(java.util.Arrays.copyOf(NoWaitReads.readIfCached(fd, 100, 5000), 5000))
                    .containsExactly(java.util.Arrays.copyOfRange(data, 100, 5100));
            assertThat(NoWaitReads.readIfCached(fd, data.length - 10, 20)).as("past the end").isNull();
            assertThat(NoWaitReads.readIfCached(fd, 0, NoWaitReads.MAX_LENGTH + 1)).as("too large").isNull();
        } finally {
            NoWaitReads.close(fd);
        }
        assertThat(NoWaitReads.readIfCached(-1, 0, 16)).isNull();
        assertThat(NoWaitReads.open(dir.resolve("missing"))).isEqualTo(-1);
    }
}
