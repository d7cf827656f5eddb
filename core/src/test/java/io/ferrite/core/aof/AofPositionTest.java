package io.ferrite.core.aof;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The AOF position a checkpoint's tag carries, written and read back. */
class AofPositionTest {
    @Test
    void formatsAndParsesBack() {
        AofPosition at = new AofPosition("appendonly.aof.12.incr.aof", 28_800_082L, 3);
        assertThat(at.format()).isEqualTo("appendonly.aof.12.incr.aof 28800082 3");
        assertThat(AofPosition.parse(at.format())).isEqualTo(at);
        assertThat(AofPosition.parse("my aof.1.incr.aof 5 -1")).isEqualTo(new AofPosition("my aof.1.incr.aof", 5, -1));
    }

    @Test
    void somethingElseIsNoPosition() {
        assertThat(AofPosition.parse("")).isNull();
        assertThat(AofPosition.parse("file 12")).isNull();
        assertThat(AofPosition.parse("file twelve 0")).isNull();
        assertThat(AofPosition.parse("file 12 zero")).isNull();
    }
}
