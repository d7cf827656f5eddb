package io.ferrite.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecondTouchTest {
    @Test
    void aRecordIsAdmittedOnItsSecondReadOnly() {
        SecondTouch filter = new SecondTouch(1024);
        assertThat(filter.secondRead(4096)).isFalse();
        assertThat(filter.secondRead(8192)).isFalse();
        assertThat(filter.secondRead(4096)).isTrue();
        // Counted once: the next read starts over.
        assertThat(filter.secondRead(4096)).isFalse();
        assertThat(filter.secondRead(8192)).isTrue();
    }

    @Test
    void manyOtherReadsPushARecordOutOfTheWindow() {
        SecondTouch filter = new SecondTouch(64);
        assertThat(filter.secondRead(1L << 20)).isFalse();
        for (long a = 0; a < 10_000; a++) {
            filter.secondRead(a * 64);
        }
        assertThat(filter.secondRead(1L << 20)).isFalse();
        assertThat(filter.bytes()).isEqualTo(64 * Integer.BYTES);
    }
}
