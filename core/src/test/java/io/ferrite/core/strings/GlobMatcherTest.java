package io.ferrite.core.strings;

import static io.ferrite.core.strings.Vectors.latin1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GlobMatcherTest {

    private static boolean m(String pattern, String subject) {
        return GlobMatcher.matches(latin1(pattern), latin1(subject), false);
    }

    private static boolean mi(String pattern, String subject) {
        return GlobMatcher.matches(latin1(pattern), latin1(subject), true);
    }

    @Test
    void basics() {
        assertThat(m("h?llo", "hello")).isTrue();
        assertThat(m("h?llo", "hllo")).isFalse();
        assertThat(m("h*llo", "hllo")).isTrue();
        assertThat(m("h*llo", "heeeello")).isTrue();
        assertThat(m("h[ae]llo", "hallo")).isTrue();
        assertThat(m("h[ae]llo", "hillo")).isFalse();
        assertThat(m("h[^e]llo", "hallo")).isTrue();
        assertThat(m("h[^e]llo", "hello")).isFalse();
        assertThat(m("h[a-b]llo", "hbllo")).isTrue();
        assertThat(m("h[a-b]llo", "hcllo")).isFalse();
        assertThat(m("h[b-a]llo", "hallo")).isTrue(); // reversed range
        assertThat(m("h\\*llo", "h*llo")).isTrue();
        assertThat(m("h\\*llo", "hello")).isFalse();
        assertThat(m("foo*", "foo")).isTrue();
        assertThat(m("*foo*", "xfooy")).isTrue();
        assertThat(m("", "")).isTrue();
        assertThat(m("", "a")).isFalse();
        assertThat(m("a", "")).isFalse();
        assertThat(m("?", "")).isFalse();
    }

    @Test
    void redisCornerCases() {
        // "*" (and "**") does not match the empty string: KEYS/SCAN special-case the bare "*".
        assertThat(m("*", "")).isFalse();
        assertThat(m("**", "")).isFalse();
        assertThat(m("*", "anything")).isTrue();
        assertThat(GlobMatcher.isMatchAll(MemorySegment.ofArray(latin1("*")), 0, 1)).isTrue();
        assertThat(GlobMatcher.isMatchAll(MemorySegment.ofArray(latin1("**")), 0, 2)).isFalse();
        // unterminated class: matches the listed characters; "[" alone matches nothing
        assertThat(m("[ab", "a")).isTrue();
        assertThat(m("[ab", "c")).isFalse();
        assertThat(m("[", "[")).isFalse();
        assertThat(m("[^", "x")).isTrue();
        assertThat(m("[]]", "]")).isFalse(); // "[]" is an empty class, then a literal ']'
        assertThat(m("[]]", "")).isFalse();
        assertThat(m("[a-]", "-")).isFalse(); // "a-]" is read as the range ']'..'a', class unterminated
        assertThat(m("[a-]", "]")).isTrue();
        assertThat(m("[a-]", "_")).isTrue();
        assertThat(m("[a-]x", "bx")).isFalse();
        // trailing backslash matches a backslash; escapes inside classes
        assertThat(m("\\", "\\")).isTrue();
        assertThat(m("a\\", "a\\")).isTrue();
        assertThat(m("[\\]]", "]")).isTrue();
        assertThat(m("[\\^]", "^")).isTrue();
        // bytes above 0x7f are signed in ranges: [\u0001-\u00ff] is the range -1..1
        assertThat(m("[\u0001-\u00ff]", "\u0080")).isFalse();
        assertThat(m("[\u0001-\u00ff]", "\u00ff")).isTrue();
        assertThat(m("[\u0001-\u00ff]", "\u0000")).isTrue();
    }

    @Test
    void nocase() {
        assertThat(mi("HeLLo", "hello")).isTrue();
        assertThat(mi("h[A-C]llo", "hbllo")).isTrue();
        assertThat(mi("h[a-c]llo", "hBllo")).isTrue();
        assertThat(mi("h[^E]llo", "hello")).isFalse();
        assertThat(mi("[\\A]", "a")).isFalse(); // escaped class members compare case-sensitively
        assertThat(m("HeLLo", "hello")).isFalse();
    }

    @Test
    void matchesRedisServer() {
        int n = 0;
        for (String[] row : Vectors.load("glob")) {
            byte[] p = Vectors.hex(row[0]);
            byte[] s = Vectors.hex(row[1]);
            assertThat(GlobMatcher.matches(p, s, false)).as("'%s' ~ '%s'", Vectors.str(p, 0, p.length),
                    Vectors.str(s, 0, s.length)).isEqualTo(row[2].equals("1"));
            n++;
        }
        for (String[] row : Vectors.load("glob-nocase")) {
            byte[] p = Vectors.hex(row[0]);
            byte[] s = Vectors.hex(row[1]);
            assertThat(GlobMatcher.matches(p, s, true)).as("nocase '%s' ~ '%s'", Vectors.str(p, 0, p.length),
                    Vectors.str(s, 0, s.length)).isEqualTo(row[2].equals("1"));
            n++;
        }
        assertThat(n).isGreaterThan(15_000);
    }

    @Test
    void exponentialPatternsFinishQuickly() {
        // "Regression for pattern matching very long nested loops" (keyspace.tcl)
        String subject = "a".repeat(50000);
        String pattern = "*a".repeat(50000) + "b";
        assertThatCode(() -> assertThat(m(pattern, subject)).isFalse()).doesNotThrowAnyException();
        long t0 = System.nanoTime();
        assertThat(m("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(200))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        // nesting beyond the limit is no match, even when it would match
        String deep = "*a".repeat(GlobMatcher.MAX_NESTING + 5);
        assertThat(m(deep, "a".repeat(GlobMatcher.MAX_NESTING + 5))).isFalse();
        String shallow = "*a".repeat(10);
        assertThat(m(shallow, "a".repeat(10))).isTrue();
    }

    @Test
    void literalPatterns() {
        MemorySegment p = MemorySegment.ofArray(latin1("user:1000"));
        assertThat(GlobMatcher.isLiteral(p, 0, 9)).isTrue();
        assertThat(GlobMatcher.literalLength(p, 0, 9)).isEqualTo(9);
        for (String s : new String[] {"a*", "a?", "a[b]", "a\\*"}) {
            assertThat(GlobMatcher.isLiteral(MemorySegment.ofArray(latin1(s)), 0, s.length())).as(s).isFalse();
        }
        MemorySegment escaped = MemorySegment.ofArray(latin1("x\\*y\\"));
        assertThat(GlobMatcher.literalLength(escaped, 0, 5)).isEqualTo(4);
        byte[] out = new byte[8];
        assertThat(GlobMatcher.unescapeLiteral(escaped, 0, 5, out, 1)).isEqualTo(4);
        assertThat(Vectors.str(out, 1, 4)).isEqualTo("x*y\\");
        assertThat(m("x\\*y\\", "x*y\\")).isTrue();
        assertThat(GlobMatcher.literalLength(MemorySegment.ofArray(latin1("a*")), 0, 2)).isEqualTo(-1);
        assertThat(GlobMatcher.unescapeLiteral(MemorySegment.ofArray(latin1("a?")), 0, 2, out, 0)).isEqualTo(-1);
    }

    @Test
    void worksOnNativeSegmentsAtOffsets() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(16);
            MemorySegment s = arena.allocate(16);
            p.asSlice(3, 7).copyFrom(MemorySegment.ofArray(latin1("k[0-9]*")));
            s.asSlice(1, 4).copyFrom(MemorySegment.ofArray(latin1("k42x")));
            assertThat(GlobMatcher.matches(p, 3, 7, s, 1, 4, false)).isTrue();
            assertThat(GlobMatcher.matches(p, 3, 7, s, 2, 3, false)).isFalse();
        }
    }
}
