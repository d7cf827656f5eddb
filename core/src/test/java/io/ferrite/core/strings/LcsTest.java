package io.ferrite.core.strings;

import static io.ferrite.core.strings.Vectors.latin1;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LcsTest {
    private static Lcs.Result lcs(String a, String b, boolean string, boolean matches, long min) {
        return Lcs.compute(latin1(a), latin1(b), string, matches, min);
    }

    private static String matches(Lcs.Result r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.matchCount(); i++) {
            out.add(r.aStart(i) + "-" + r.aEnd(i) + "/" + r.bStart(i) + "-" + r.bEnd(i) + "/" + r.matchLen(i));
        }
        return String.join(";", out);
    }

    @Test
    void lcsLikeTheRedisDocumentation() {
        // LCS key1 key2 / LEN / IDX / IDX MINMATCHLEN 4 WITHMATCHLEN on "ohmytext" and "mynewtext"
        Lcs.Result r = lcs("ohmytext", "mynewtext", true, true, 0);
        assertThat(new String(r.string(), java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("mytext");
        assertThat(r.length()).isEqualTo(6);
        assertThat(matches(r)).isEqualTo("4-7/5-8/4;2-3/0-1/2");
        assertThat(matches(lcs("ohmytext", "mynewtext", false, true, 4))).isEqualTo("4-7/5-8/4");
        Lcs.Result lenOnly = lcs("ohmytext", "mynewtext", false, false, 0);
        assertThat(lenOnly.length()).isEqualTo(6);
        assertThat(lenOnly.string()).isNull();
        assertThat(lenOnly.matchCount()).isZero();
    }

    @Test
    void lcsEdgeCases() {
        assertThat(matches(lcs("xxABCDEyy", "ABCDE", false, true, 0))).isEqualTo("2-6/0-4/5");
        assertThat(matches(lcs("ABCDE", "xxABCDEyy", false, true, 0))).isEqualTo("0-4/2-6/5");
        assertThat(lcs("", "abc", true, true, 0).length()).isZero();
        assertThat(lcs("", "abc", true, true, 0).matchCount()).isZero();
        assertThat(lcs("", "abc", true, true, 0).string()).isEmpty();
        assertThat(lcs("abc", "", false, false, 0).length()).isZero();
        assertThat(lcs("abc", "xyz", true, true, 0).matchCount()).isZero();
        assertThat(lcs("abc", "abc", false, true, -5).matchCount()).isEqualTo(1); // negative MINMATCHLEN = 0
        assertThat(lcs("abc", "abc", false, true, 4).matchCount()).isZero();
        assertThat(lcs("abc", "abc", false, true, 3).matchCount()).isEqualTo(1);
        // single-character matches at the very start of one string are still reported
        assertThat(matches(lcs("ba", "ab", false, true, 0))).isEqualTo("1-1/0-0/1");
    }

    @Test
    void lcsMatchesRedisServer() {
        int n = 0;
        for (String[] row : Vectors.load("lcs")) {
            String a = row[0].equals("-") ? "" : row[0];
            String b = row[1].equals("-") ? "" : row[1];
            long mml = Long.parseLong(row[2]);
            Lcs.Result plain = lcs(a, b, true, false, 0);
            String s = new String(plain.string(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(s.isEmpty() ? "-" : s).as("LCS %s %s", a, b).isEqualTo(row[3]);
            assertThat(lcs(a, b, false, false, 0).length()).isEqualTo(Long.parseLong(row[4]));
            Lcs.Result idx = lcs(a, b, false, true, mml);
            String m = matches(idx);
            assertThat(m.isEmpty() ? "-" : m).as("LCS %s %s IDX MINMATCHLEN %d", a, b, mml).isEqualTo(row[5]);
            assertThat(idx.length()).isEqualTo(Long.parseLong(row[6]));
            n++;
        }
        assertThat(n).isGreaterThan(1000);
    }

    @Test
    void lengthOnlyAgreesWithTheFullTable() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        for (int i = 0; i < 500; i++) {
            byte[] a = new byte[rnd.nextInt(0, 60)];
            byte[] b = new byte[rnd.nextInt(0, 60)];
            for (int j = 0; j < a.length; j++) {
                a[j] = (byte) rnd.nextInt(3);
            }
            for (int j = 0; j < b.length; j++) {
                b[j] = (byte) rnd.nextInt(3);
            }
            assertThat(Lcs.compute(a, b, false, false, 0).length())
                    .isEqualTo(Lcs.compute(a, b, true, false, 0).length())
                    .isEqualTo(Lcs.compute(b, a, true, false, 0).length());
        }
    }

    @Test
    void worksOnNativeSegments() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(16);
            MemorySegment b = arena.allocate(16);
            a.asSlice(2, 8).copyFrom(MemorySegment.ofArray(latin1("ohmytext")));
            b.asSlice(5, 9).copyFrom(MemorySegment.ofArray(latin1("mynewtext")));
            Lcs.Result r = Lcs.compute(a, 2, 8, b, 5, 9, true, true, 0);
            assertThat(r.length()).isEqualTo(6);
            assertThat(r.matchCount()).isEqualTo(2);
        }
    }

    @Test
    void limits() {
        long max = 512L * 1024 * 1024;
        assertThat(Lcs.checkLimits(100, 100, max)).isNull();
        assertThat(Lcs.tableBytes(100, 100)).isEqualTo(101L * 101 * 4);
        // 11585 x 11585 still fits 512MB of uint32, 11586 x 11586 does not.
        assertThat(Lcs.checkLimits(11584, 11584, max)).isNull();
        assertThat(Lcs.checkLimits(11586, 11586, max)).isEqualTo(Lcs.ERR_TABLE_TOO_BIG);
        assertThat(Lcs.checkLimits(0xFFFF_FFFEL, 1, Long.MAX_VALUE)).isEqualTo(Lcs.ERR_TOO_LONG);
        assertThat(Lcs.checkLimits(1, 0xFFFF_FFFDL, Long.MAX_VALUE)).isNull();
        assertThat(Lcs.checkLimits(0xFFFF_FFFDL, 0xFFFF_FFFDL, Long.MAX_VALUE)).isEqualTo(Lcs.ERR_ALLOC_FAILED);
        assertThat(Lcs.checkLimits(0, 0, 0)).isEqualTo(Lcs.ERR_TABLE_TOO_BIG); // 4 bytes > 0
    }
}
