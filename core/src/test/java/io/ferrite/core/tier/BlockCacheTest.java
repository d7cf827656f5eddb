package io.ferrite.core.tier;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BlockCacheTest {
    private static final int BLOCK = 4096;

    private static MemorySegment block(int size) {
        return MemorySegment.ofArray(new byte[size]);
    }

    @Test
    void blocksComeBackUntilReplacedAndTheBytesStayWithinCapacity() {
        AtomicLong accounted = new AtomicLong();
        BlockCache cache = new BlockCache(64 * BLOCK, BLOCK, accounted::addAndGet);
        MemorySegment first = block(BLOCK);
        assertThat(cache.put(0, first)).isSameAs(first);
        assertThat(cache.get(0)).isSameAs(first);
        assertThat(cache.get(BLOCK)).isNull();
        // A second copy of a cached block is not kept: the first one read wins.
        assertThat(cache.put(0, block(BLOCK))).isSameAs(first);
        for (long a = 1; a < 10_000; a++) {
            cache.put(a * BLOCK, block(BLOCK));
            assertThat(cache.bytes()).isLessThanOrEqualTo(64 * BLOCK);
        }
        assertThat(cache.bytes()).isEqualTo(accounted.get()).isGreaterThan(32 * BLOCK);
    }

    @Test
    void aBlockReadSinceTheLastReplacementGetsASecondChance() {
        BlockCache cache = new BlockCache(2 * BLOCK, BLOCK, delta -> {}); // one set of two slots
        MemorySegment hot = block(BLOCK);
        cache.put(0, hot);
        cache.put(BLOCK, block(BLOCK));
        for (long a = 2; a < 50; a++) {
            assertThat(cache.get(0)).as("read before each insert").isSameAs(hot);
            cache.put(a * BLOCK, block(BLOCK));
        }
        assertThat(cache.get(0)).isSameAs(hot);
    }

    @Test
    void oversizedBlocksPushOthersOutAndTruncationDropsOldBlocks() {
        AtomicLong accounted = new AtomicLong();
        BlockCache cache = new BlockCache(16 * BLOCK, BLOCK, accounted::addAndGet);
        for (long a = 0; a < 16; a++) {
            cache.put(a * BLOCK, block(BLOCK));
        }
        cache.put(100L * BLOCK, block(12 * BLOCK));
        assertThat(cache.bytes()).isLessThanOrEqualTo(16 * BLOCK).isEqualTo(accounted.get());
        assertThat(cache.get(100L * BLOCK)).isNotNull();
        cache.dropBelow(100L * BLOCK);
        assertThat(cache.bytes()).isEqualTo(12 * BLOCK);
        cache.clear();
        assertThat(cache.bytes()).isZero();
        assertThat(accounted.get()).isZero();
    }

    @Test
    void aCacheTooSmallForTwoBlocksKeepsNothing() {
        BlockCache cache = new BlockCache(BLOCK, BLOCK, delta -> {});
        MemorySegment b = block(BLOCK);
        assertThat(cache.put(0, b)).isSameAs(b);
        assertThat(cache.get(0)).isNull();
        assertThat(cache.bytes()).isZero();
    }
}
