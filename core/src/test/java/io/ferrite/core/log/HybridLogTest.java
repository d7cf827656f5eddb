package io.ferrite.core.log;

import io.ferrite.core.address.LogicalAddress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.core.epoch.LightEpoch;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class HybridLogTest {
    private final LightEpoch epoch = new LightEpoch();

    @Test
    void allocationsFillPagesThenMoveOnAndNeverStraddle() {
        MemoryBudget budget = new MemoryBudget(0);
        try (HybridLog log = new HybridLog(4096, 1 << 20, budget, epoch)) {
            long first = log.allocate(1000, false);
            assertThat(first).isEqualTo(LogicalAddress.FIRST_VALID);
            long second = log.allocate(3000, false);
            assertThat(log.offsetInPage(second, log.page(second))).isEqualTo(1064);
            long third = log.allocate(1000, false); // does not fit in page 0 any more
            assertThat(log.offsetInPage(third, log.page(third))).isZero();
            assertThat(log.nextPageStart(first)).isEqualTo(third);
            log.page(third).set(ValueLayout.JAVA_LONG, log.offsetInPage(third, log.page(third)), 42L);
            assertThat(log.page(third).get(ValueLayout.JAVA_LONG, log.offsetInPage(third, log.page(third)))).isEqualTo(42L);
            assertThat(budget.used()).isEqualTo(2 * 4096);
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void aSparePageMadeAheadIsTheNextPageAWriterGets() {
        MemoryBudget budget = new MemoryBudget(0);
        try (HybridLog log = new HybridLog(4096, 1 << 20, budget, epoch)) {
            log.allocate(4000, false);
            log.keepSparePage();
            log.keepSparePage(); // one spare at a time
            assertThat(log.memoryBytes()).isEqualTo(2 * 4096);
            long next = log.allocate(4000, false); // a new page: the spare, nothing allocated
            assertThat(log.offsetInPage(next, log.page(next))).isZero();
            assertThat(log.memoryBytes()).isEqualTo(2 * 4096);
            assertThat(budget.used()).as("a spare page is not data").isEqualTo(2 * 4096);
        }
    }

    @Test
    void recordsLargerThanAPageGetARunOfPages() {
        try (HybridLog log = new HybridLog(4096, 1 << 20, new MemoryBudget(0), epoch)) {
            log.allocate(64, false);
            long big = log.allocate(10_000, false);
            assertThat(log.offsetInPage(big, log.page(big))).isZero();
            assertThat(log.page(big).byteSize()).isEqualTo(3 * 4096);
            long after = log.allocate(64, false);
            assertThat(after).isGreaterThanOrEqualTo(big + 3 * 4096);
        }
    }

    @Test
    void exhaustedBudgetReturnsNullAndTruncationGivesItBack() {
        MemoryBudget budget = new MemoryBudget(3 * 4096);
        try (HybridLog log = new HybridLog(4096, 1 << 20, budget, epoch)) {
            long first = 0;
            int allocated = 0;
            while (true) {
                long address = log.allocate(1024, false);
                if (address == LogicalAddress.NULL) {
                    break;
                }
                if (first == 0) {
                    first = address;
                }
                allocated++;
            }
            assertThat(allocated).isBetween(10, 12);
            log.truncateTo(log.nextPageStart(first));
            epoch.drainAll();
            assertThat(log.allocate(1024, false)).isNotEqualTo(LogicalAddress.NULL);
            assertThat(log.beginAddress()).isGreaterThan(first);
        }
    }

    @Test
    void invalidGeometryIsRefused() {
        assertThatThrownBy(() -> new HybridLog(3000, 1 << 20, new MemoryBudget(0), epoch))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HybridLog(1 << 21, 1 << 20, new MemoryBudget(0), epoch))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressesPackSegmentOffsetAndFlags() {
        long address = LogicalAddress.of(5, 1234, 3);
        assertThat(LogicalAddress.segment(address)).isEqualTo(5);
        assertThat(LogicalAddress.offset(address)).isEqualTo(1234);
        assertThat(LogicalAddress.flags(address)).isEqualTo(3);
        assertThat(LogicalAddress.position(address)).isEqualTo(LogicalAddress.of(5, 1234, 0));
    }
}
