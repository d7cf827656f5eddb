package io.ferrite.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.core.address.LogicalAddress;
import io.ferrite.core.epoch.LightEpoch;
import org.junit.jupiter.api.Test;

/** The rules under which a superseded chunk's room is handed out again. */
class FreeRecordsTest {
    private static final long SIZE = 1024;
    private static final FreeRecords.SizeOf FIXED = address -> SIZE;

    private static void retireBatch(FreeRecords free, long from) {
        for (int i = 0; i < 64; i++) {
            free.retire(from + i * SIZE, SIZE);
        }
    }

    /** 64 retired slots from {@code base} on, past their epoch: ready for reuse. */
    private static FreeRecords reusableBatch(long base) {
        LightEpoch epoch = new LightEpoch();
        FreeRecords free = new FreeRecords(epoch);
        retireBatch(free, base);
        epoch.tryDrain();
        return free;
    }

    @Test
    void aRetiredRecordIsReusedOnlyOnceTheReadersThatMightHoldItAreGone() {
        LightEpoch epoch = new LightEpoch();
        FreeRecords free = new FreeRecords(epoch);
        int reader = epoch.protect(); // a lock-free reader that may hold an address
        retireBatch(free, 1 << 20);
        assertThat(free.take(SIZE, 0, 0, FIXED)).isEqualTo(LogicalAddress.NULL);
        epoch.unprotect(reader);
        epoch.tryDrain();
        assertThat(free.take(SIZE, 0, 0, FIXED)).isNotEqualTo(LogicalAddress.NULL);
        assertThat(free.reused()).isEqualTo(1);
    }

    @Test
    void aSlotIsReusedOnlyInTheMutableRegionAboveTheChainsPredecessorAndWhenBigEnough() {
        long base = 1 << 20;
        FreeRecords free = reusableBatch(base);
        long newest = base + 63 * SIZE;
        // Chain order: the predecessor must be lower than the slot.
        assertThat(free.take(SIZE, newest, 0, FIXED)).isEqualTo(LogicalAddress.NULL);
        // Bigger than any slot.
        assertThat(free.take(SIZE + 200, 0, 0, FIXED)).isEqualTo(LogicalAddress.NULL);
        // The mutable region moved past every slot: all are dropped.
        assertThat(free.take(SIZE, 0, newest + SIZE, FIXED)).isEqualTo(LogicalAddress.NULL);
        assertThat(free.take(SIZE, 0, 0, FIXED)).isEqualTo(LogicalAddress.NULL);
    }

    @Test
    void theNewestFittingSlotComesFirst() {
        long base = 1 << 20;
        FreeRecords free = reusableBatch(base);
        assertThat(free.take(SIZE - 40, base, base, FIXED)).isEqualTo(base + 63 * SIZE);
        assertThat(free.take(SIZE, base, base, FIXED)).isEqualTo(base + 62 * SIZE);
    }
}
