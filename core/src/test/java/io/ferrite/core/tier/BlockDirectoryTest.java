package io.ferrite.core.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BlockDirectoryTest {
    /** Appends, trims and lookups against a sorted map of the same blocks. */
    @Test
    void agreesWithASortedMapThroughAppendsTrimsAndSegmentChanges() {
        Random random = new Random(42);
        BlockDirectory directory = new BlockDirectory();
        TreeMap<Long, BlockDirectory.Block> model = new TreeMap<>();
        long address = 64;
        long segment = 0;
        long fileOffset = 0;
        for (int step = 0; step < 30_000; step++) {
            int op = random.nextInt(100);
            if (op < 80) {
                int raw = 1 + random.nextInt(random.nextInt(50) == 0 ? 100_000 : 4096);
                int stored = 1 + random.nextInt(raw + 32);
                if (random.nextInt(500) == 0) {
                    segment++;
                    fileOffset = 0;
                }
                if (random.nextInt(50) == 0) {
                    address += random.nextInt(2000); // a page tail left empty
                }
                if (random.nextInt(3000) == 0) {
                    address += 5L << 30; // farther than a 32-bit offset
                }
                long location = BlockDirectory.location(segment, fileOffset);
                directory.append(address, raw, location, stored);
                model.put(address, new BlockDirectory.Block(address, raw, location, stored));
                address += raw;
                fileOffset += 32 + stored + (random.nextInt(20) == 0 ? 500 : 0);
            } else if (op < 82 && !model.isEmpty()) {
                long below = model.firstKey() + (long) (random.nextDouble() * (address - model.firstKey()) / 20);
                long expected = 0;
                while (!model.isEmpty() && model.firstEntry().getValue().end() <= below) {
                    expected += model.pollFirstEntry().getValue().rawLength();
                }
                assertThat(directory.trimBelow(below)).isEqualTo(expected);
            } else if (!model.isEmpty()) {
                long probe = model.firstKey() - 10 + (long) (random.nextDouble() * (address - model.firstKey() + 20));
                Map.Entry<Long, BlockDirectory.Block> floor = model.floorEntry(probe);
                BlockDirectory.Block expected = floor != null && probe < floor.getValue().end() ? floor.getValue() : null;
                assertThat(directory.find(probe)).as("find %d", probe).isEqualTo(expected);
                BlockDirectory.Block above = null;
                for (BlockDirectory.Block b : model.tailMap(floor == null ? Long.MIN_VALUE : floor.getKey()).values()) {
                    if (b.end() > probe) {
                        above = b;
                        break;
                    }
                }
                assertThat(directory.firstAtOrAbove(probe)).as("firstAtOrAbove %d", probe).isEqualTo(above);
            }
            assertThat(directory.size()).isEqualTo(model.size());
        }
        assertThat(directory.memoryBytes()).isLessThanOrEqualTo(16L * (model.size() + 4096 * 3) + 1024);
    }

    @Test
    void findsEveryBlockWhenBlockSizesMakeTheInterpolatedGuessFarOff() {
        // Full chunks of ~2 KiB blocks with a few huge ones (a big record is a block of its own)
        // and gaps (page tails): the guess can be thousands of blocks off; galloping must still
        // land on the right block, at its first byte, its last byte and in the gaps around it.
        Random random = new Random(7);
        BlockDirectory directory = new BlockDirectory();
        java.util.List<BlockDirectory.Block> blocks = new java.util.ArrayList<>();
        long address = 64;
        for (int i = 0; i < 20_000; i++) {
            int raw = random.nextInt(400) == 0 ? 1 << 20 : 1800 + random.nextInt(500);
            if (random.nextInt(100) == 0) {
                address += 8 + random.nextInt(4000);
            }
            long location = BlockDirectory.location(0, 48L * i);
            directory.append(address, raw, location, 40);
            blocks.add(new BlockDirectory.Block(address, raw, location, 40));
            address += raw;
        }
        for (int i = 0; i < blocks.size(); i++) {
            BlockDirectory.Block b = blocks.get(i);
            assertThat(directory.find(b.address())).isEqualTo(b);
            assertThat(directory.find(b.end() - 1)).isEqualTo(b);
            assertThat(directory.find(b.address() + b.rawLength() / 2)).isEqualTo(b);
            boolean gapBefore = i > 0 && blocks.get(i - 1).end() < b.address();
            if (gapBefore) {
                assertThat(directory.find(b.address() - 1)).isNull();
            }
        }
        assertThat(directory.find(63)).isNull();
        assertThat(directory.find(address)).isNull();
    }

    @Test
    void memoryGrowsAChunkAtATimeAndIsGivenBackWhenTrimmed() {
        BlockDirectory directory = new BlockDirectory();
        assertThat(directory.memoryBytes()).isZero();
        directory.append(64, 4000, BlockDirectory.location(0, 0), 2000);
        assertThat(directory.memoryBytes()).isEqualTo(64 * 16);
        long address = 4064;
        for (int i = 1; i < 100_000; i++) {
            directory.append(address, 4000, BlockDirectory.location(0, 2032L * i), 2000);
            address += 4000;
        }
        // 16 bytes a block, plus at most one partly filled chunk.
        assertThat(directory.memoryBytes()).isBetween(100_000L * 16, 100_000L * 16 + 4096 * 16);
        directory.trimBelow(address - 4000);
        assertThat(directory.size()).isEqualTo(1);
        assertThat(directory.memoryBytes()).isLessThanOrEqualTo(4096 * 16);
        directory.clear();
        assertThat(directory.memoryBytes()).isZero();
        assertThat(directory.find(address - 10)).isNull();
    }

    @Test
    void overlappingBlocksAreRefused() {
        BlockDirectory directory = new BlockDirectory();
        directory.append(64, 100, BlockDirectory.location(0, 0), 50);
        assertThatThrownBy(() -> directory.append(100, 10, BlockDirectory.location(0, 82), 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
