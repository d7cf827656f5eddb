package io.ferrite.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class ReadRetentionTest {
    @Test
    void keepsBlocksPerOwnerAndAddressUpToItsCapThenForgetsOnClear() {
        ReadRetention retention = new ReadRetention();
        Object logA = new Object();
        Object logB = new Object();
        MemorySegment block = MemorySegment.ofArray(new byte[4096]);
        retention.add(logA, 64, block);
        assertThat(retention.find(logA, 64)).isSameAs(block);
        assertThat(retention.find(logB, 64)).as("another log's block at the same address").isNull();
        assertThat(retention.find(logA, 4160)).isNull();
        MemorySegment huge = MemorySegment.ofArray(new byte[(int) ReadRetention.MAX_BYTES]);
        retention.add(logA, 8192, huge);
        assertThat(retention.find(logA, 8192)).as("past the cap: left to the shared cache").isNull();
        retention.clear();
        assertThat(retention.find(logA, 64)).isNull();
        retention.add(logA, 8192, huge);
        assertThat(retention.find(logA, 8192)).isSameAs(huge);
    }
}
