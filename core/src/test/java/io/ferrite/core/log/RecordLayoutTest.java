package io.ferrite.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class RecordLayoutTest {
    @Test
    void paddedVarintsKeepTheirWidth() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(64);
            RecordLayout.writeVarint(page, 0, 100, 2);
            long read = RecordLayout.readVarint(page, 0);
            assertThat(read >>> 4).isEqualTo(100);
            assertThat(read & 0xF).isEqualTo(2);
            RecordLayout.writeVarint(page, 8, 300, 2);
            assertThat(RecordLayout.readVarint(page, 8) >>> 4).isEqualTo(300);
            assertThat(RecordLayout.varintCapacity(1)).isEqualTo(127);
        }
    }

    @Test
    void headerCarriesFlagsKindDbAndPrev() {
        long header = RecordLayout.newHeader(0xABCDEFL, 3, 15, true);
        assertThat(RecordLayout.prev(header)).isEqualTo(0xABCDEFL);
        assertThat(RecordLayout.kind(header)).isEqualTo(3);
        assertThat(RecordLayout.db(header)).isEqualTo(15);
        assertThat(RecordLayout.hasExpirySlot(header)).isTrue();
        assertThat(RecordLayout.isTombstone(header)).isFalse();
    }

    @Test
    void tenByteKeyWithHundredByteValueCostsTenBytes() {
        assertThat(RecordLayout.sizeFor(10, 100, false)).isEqualTo(120);
    }

    @Test
    void sharedAndExclusiveLocksKeepOtherBits() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(64, 8);
            long header = RecordLayout.newHeader(77, 1, 2, false);
            RecordLayout.initHeader(page, 0, header);
            RecordLayout.lockShared(page, 0);
            RecordLayout.lockShared(page, 0);
            RecordLayout.setFlags(page, 0, RecordLayout.TOMBSTONE);
            RecordLayout.unlockShared(page, 0);
            RecordLayout.unlockShared(page, 0);
            RecordLayout.lockExclusive(page, 0);
            RecordLayout.unlockExclusive(page, 0);
            assertThat(RecordLayout.header(page, 0)).isEqualTo(header | RecordLayout.TOMBSTONE);
        }
    }
}
