package io.ferrite.core.strings;

import static io.ferrite.core.strings.Vectors.hex;
import static io.ferrite.core.strings.Vectors.latin1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.core.strings.BitOps.Op;
import io.ferrite.core.strings.BitOps.Overflow;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BitOpsTest {

    private static MemorySegment seg(byte[] b) {
        return MemorySegment.ofArray(b);
    }

    private static long bitcount(String v, long start, long end, boolean bit) {
        byte[] b = latin1(v);
        return BitOps.bitcount(seg(b), 0, b.length, start, end, bit);
    }

    private static long bitpos(byte[] b, int bit, long start, long end, boolean endGiven, boolean bitUnit) {
        return BitOps.bitpos(seg(b), 0, b.length, bit, start, end, endGiven, bitUnit);
    }

    @Test
    void bitcountLikeBitopsTcl() {
        byte[] foobar = latin1("foobar");
        assertThat(BitOps.bitcount(seg(foobar), 0, 6)).isEqualTo(26);
        assertThat(bitcount("foobar", 0, 0, false)).isEqualTo(4);
        assertThat(bitcount("foobar", 1, 1, false)).isEqualTo(6);
        assertThat(bitcount("foobar", 1, 1, true)).isEqualTo(1);
        assertThat(bitcount("foobar", 5, 30, true)).isEqualTo(17);
        assertThat(bitcount("foobar", 0, -1, false)).isEqualTo(26);
        assertThat(bitcount("foobar", -2, -1, false)).isEqualTo(7);
        assertThat(bitcount("foobar", -1, -2, false)).isZero();
        assertThat(bitcount("foobar", -10, -20, false)).isZero(); // both negative, start > end
        assertThat(bitcount("foobar", 0, 1000, false)).isEqualTo(26);
        assertThat(bitcount("", 0, -1, false)).isZero();
        assertThat(BitOps.bitcount(null, 0, 0)).isZero();
        assertThat(BitOps.bitcount(null, 0, 0, 0, -1, true)).isZero();
        // "BITCOUNT with start, end": every sub-range counts as many bits as a bit-by-bit count
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            byte[] v = new byte[rnd.nextInt(0, 40)];
            for (int j = 0; j < v.length; j++) {
                v[j] = (byte) rnd.nextInt(256);
            }
            long s = rnd.nextLong(-v.length * 8L - 5, v.length * 8L + 5);
            long e = rnd.nextLong(-v.length * 8L - 5, v.length * 8L + 5);
            assertThat(BitOps.bitcount(seg(v), 0, v.length, s, e, true)).isEqualTo(naiveBitcount(v, s, e));
        }
    }

    private static long naiveBitcount(byte[] v, long s, long e) {
        long tot = v.length * 8L;
        if (s < 0 && e < 0 && s > e) {
            return 0;
        }
        if (s < 0) {
            s = Math.max(0, tot + s);
        }
        if (e < 0) {
            e = Math.max(0, tot + e);
        }
        e = Math.min(e, tot - 1);
        long n = 0;
        for (long i = s; i <= e; i++) {
            n += BitOps.getbit(MemorySegment.ofArray(v), 0, v.length, i);
        }
        return n;
    }

    @Test
    void bitposLikeBitopsTcl() {
        // "BITPOS bit=0 with empty key returns 0" etc.
        assertThat(BitOps.bitpos(null, 0, 0, 0)).isZero();
        assertThat(BitOps.bitpos(null, 0, 0, 1)).isEqualTo(-1);
        assertThat(BitOps.bitpos(null, 0, 0, 0, 5, 10, true, true)).isZero();
        byte[] empty = new byte[0];
        assertThat(BitOps.bitpos(seg(empty), 0, 0, 0)).isEqualTo(-1);
        byte[] ones = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
        // "BITPOS bit=0 fuzzy testing using SETBIT" style: all ones, no end: first bit past the string
        assertThat(BitOps.bitpos(seg(ones), 0, 3, 0)).isEqualTo(24);
        assertThat(bitpos(ones, 0, 0, 0, false, false)).isEqualTo(24);
        assertThat(bitpos(ones, 0, 0, -1, true, false)).isEqualTo(-1); // explicit end: -1
        assertThat(bitpos(ones, 0, 1, 0, false, true)).isEqualTo(24);
        assertThat(bitpos(ones, 0, 1, -1, true, true)).isEqualTo(-1);
        byte[] v = {(byte) 0xff, (byte) 0xf0, 0x00};
        assertThat(BitOps.bitpos(seg(v), 0, 3, 0)).isEqualTo(12);
        assertThat(bitpos(new byte[] {0x00, (byte) 0xff, (byte) 0xf0}, 1, 0, 0, false, false)).isEqualTo(8);
        assertThat(bitpos(new byte[] {0x00, (byte) 0xff, (byte) 0xf0}, 1, 2, -1, true, false)).isEqualTo(16);
        assertThat(bitpos(new byte[] {0x00, (byte) 0xff, (byte) 0xf0}, 1, 7, 15, true, true)).isEqualTo(8);
        assertThat(bitpos(new byte[] {0x00, (byte) 0xff, (byte) 0xf0}, 1, 7, 7, true, true)).isEqualTo(-1);
        assertThat(bitpos(new byte[] {0x00, 0x00, 0x00}, 1, 0, 0, false, false)).isEqualTo(-1);
        assertThat(bitpos(new byte[] {(byte) 0x80}, 0, 0, 0, false, true)).isEqualTo(1);
        assertThat(bitpos(new byte[] {0x12}, 1, 3, 2, true, true)).isEqualTo(-1); // empty range
        // Long runs exercise the word scan.
        byte[] big = new byte[1000];
        Arrays.fill(big, (byte) 0xff);
        big[777] = (byte) 0xfb;
        assertThat(BitOps.bitpos(seg(big), 0, big.length, 0)).isEqualTo(777 * 8 + 5);
        Arrays.fill(big, (byte) 0);
        big[999] = 1;
        assertThat(BitOps.bitpos(seg(big), 0, big.length, 1)).isEqualTo(999 * 8 + 7);
    }

    @Test
    void bitcountAndBitposMatchRedisServer() {
        int n = 0;
        for (String[] row : Vectors.load("bitcount-bitpos")) {
            String[] cmd = row[1].split(" ");
            MemorySegment v = row[0].equals("nil") ? null : seg(hex(row[0]));
            long len = v == null ? 0 : v.byteSize();
            long actual;
            if (cmd[0].equals("BITCOUNT")) {
                if (cmd.length == 2) {
                    actual = BitOps.bitcount(v, 0, len);
                } else {
                    boolean bit = cmd.length == 5 && cmd[4].equalsIgnoreCase("BIT");
                    actual = BitOps.bitcount(v, 0, len, Long.parseLong(cmd[2]), Long.parseLong(cmd[3]), bit);
                }
            } else {
                int bit = Integer.parseInt(cmd[2]);
                long start = cmd.length > 3 ? Long.parseLong(cmd[3]) : 0;
                boolean endGiven = cmd.length > 4;
                long end = endGiven ? Long.parseLong(cmd[4]) : 0;
                boolean bitUnit = cmd.length > 5 && cmd[5].equalsIgnoreCase("BIT");
                actual = BitOps.bitpos(v, 0, len, bit, start, end, endGiven, bitUnit);
            }
            assertThat(actual).as("%s on %s", row[1], row[0]).isEqualTo(Long.parseLong(row[2]));
            n++;
        }
        assertThat(n).isGreaterThan(4000);
    }

    @Test
    void worksOnNativeSegmentsAtAnOffset() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(64);
            s.asSlice(10, 6).copyFrom(MemorySegment.ofArray(latin1("foobar")));
            assertThat(BitOps.bitcount(s, 10, 6)).isEqualTo(26);
            assertThat(BitOps.bitcount(s, 10, 6, 1, 1, false)).isEqualTo(6);
            assertThat(BitOps.bitpos(s, 10, 6, 1)).isEqualTo(1);
            assertThat(BitOps.getbit(s, 10, 6, 1)).isEqualTo(1);
            assertThat(BitOps.setbit(s, 10, 6, 0, 1)).isZero();
            assertThat(s.get(ValueLayout.JAVA_BYTE, 10)).isEqualTo((byte) ('f' | 0x80));
        }
    }

    @Test
    void getbitAndSetbit() {
        byte[] v = new byte[2];
        MemorySegment s = seg(v);
        assertThat(BitOps.setbit(s, 0, 2, 7, 1)).isZero(); // "SETBIT against string-encoded key"
        assertThat(v[0]).isEqualTo((byte) 0x01);
        assertThat(BitOps.setbit(s, 0, 2, 0, 1)).isZero();
        assertThat(v[0]).isEqualTo((byte) 0x81);
        assertThat(BitOps.setbit(s, 0, 2, 0, 1)).isEqualTo(1);
        assertThat(BitOps.setbit(s, 0, 2, 0, 0)).isEqualTo(1);
        assertThat(v[0]).isEqualTo((byte) 0x01);
        assertThat(BitOps.getbit(s, 0, 2, 7)).isEqualTo(1);
        assertThat(BitOps.getbit(s, 0, 2, 8)).isZero();
        assertThat(BitOps.getbit(s, 0, 2, 1000)).isZero(); // beyond the value
        assertThat(BitOps.getbit(null, 0, 0, 3)).isZero();
        assertThat(BitOps.requiredLength(0)).isEqualTo(1);
        assertThat(BitOps.requiredLength(7)).isEqualTo(1);
        assertThat(BitOps.requiredLength(8)).isEqualTo(2);
        assertThatThrownBy(() -> BitOps.setbit(s, 0, 2, 16, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static boolean offset(String arg, boolean hash, int bits, long max, LongParse out) {
        byte[] b = latin1(arg);
        return BitOps.parseBitOffset(seg(b), 0, b.length, hash, bits, max, out);
    }

    @Test
    void parsesBitOffsets() {
        LongParse out = new LongParse();
        long max = 512L * 1024 * 1024;
        assertThat(offset("0", false, 0, max, out)).isTrue();
        assertThat(out.value).isZero();
        assertThat(offset("4294967295", false, 0, max, out)).isTrue(); // 2^32-1 bits: byte 2^29-1
        assertThat(offset("4294967296", false, 0, max, out)).isFalse(); // "SETBIT with out of range bit offset"
        assertThat(offset("-1", false, 0, max, out)).isFalse();
        assertThat(offset("1.5", false, 0, max, out)).isFalse();
        assertThat(offset("#1", false, 8, max, out)).isFalse(); // '#' only for BITFIELD
        assertThat(offset("#1", true, 8, max, out)).isTrue();
        assertThat(out.value).isEqualTo(8);
        assertThat(offset("#3", true, 5, max, out)).isTrue();
        assertThat(out.value).isEqualTo(15);
        assertThat(offset("#-1", true, 8, max, out)).isFalse();
        assertThat(offset("#", true, 8, max, out)).isFalse();
        assertThat(offset("#4294967296", true, 64, max, out)).isFalse();
        // "#N" multiplies with C's wrap-around before the range check
        assertThat(offset("#" + (1L << 57), true, 64, Long.MAX_VALUE, out)).isFalse(); // 2^63 wraps negative
        assertThat(offset("#" + (1L << 58), true, 64, Long.MAX_VALUE, out)).isTrue(); // 2^64 wraps to 0
        assertThat(out.value).isZero();
        assertThat(offset("4294967296", false, 0, Long.MAX_VALUE, out)).isTrue(); // exempt client
    }

    private static int type(String t) {
        byte[] b = latin1(t);
        return BitOps.parseBitfieldType(seg(b), 0, b.length);
    }

    @Test
    void parsesBitfieldTypes() {
        assertThat(BitOps.typeBits(type("i8"))).isEqualTo(8);
        assertThat(BitOps.typeSigned(type("i8"))).isTrue();
        assertThat(BitOps.typeBits(type("u63"))).isEqualTo(63);
        assertThat(BitOps.typeSigned(type("u63"))).isFalse();
        assertThat(BitOps.typeBits(type("i64"))).isEqualTo(64);
        assertThat(BitOps.typeBits(type("u1"))).isEqualTo(1);
        for (String bad : new String[] {"u64", "i65", "i0", "u0", "i", "", "x8", "I8", "U8", "i08", "i-8", "i+8",
            "i8x", " i8", "i100"}) {
            assertThat(type(bad)).as(bad).isEqualTo(-1);
        }
        assertThat(BitOps.typeBits(type("u8\0garbage"))).isEqualTo(8); // C reads up to the NUL
    }

    @Test
    void bitfieldLikeBitopsTcl() {
        BitfieldResult r = new BitfieldResult();
        byte[] v = new byte[8];
        MemorySegment s = seg(v);
        // "BITFIELD signed SET and GET basics"
        assertThat(BitOps.bitfieldSet(s, 0, 8, 0, 8, true, -100, Overflow.WRAP, r)).isTrue();
        assertThat(r.value).isZero();
        assertThat(BitOps.bitfieldSet(s, 0, 8, 0, 8, true, 101, Overflow.WRAP, r)).isTrue();
        assertThat(r.value).isEqualTo(-100);
        assertThat(BitOps.bitfieldGet(s, 0, 8, 0, 8, true)).isEqualTo(101);
        // "BITFIELD unsigned SET and GET basics"
        Arrays.fill(v, (byte) 0);
        BitOps.bitfieldSet(s, 0, 8, 0, 8, false, 255, Overflow.WRAP, r);
        BitOps.bitfieldSet(s, 0, 8, 0, 8, false, 100, Overflow.WRAP, r);
        assertThat(r.value).isEqualTo(255);
        assertThat(BitOps.bitfieldGet(s, 0, 8, 0, 8, false)).isEqualTo(100);
        // "BITFIELD #<idx> form"
        Arrays.fill(v, (byte) 0);
        BitOps.bitfieldSet(s, 0, 8, 0, 8, false, 65, Overflow.WRAP, r);
        BitOps.bitfieldSet(s, 0, 8, 8, 8, false, 66, Overflow.WRAP, r);
        BitOps.bitfieldSet(s, 0, 8, 16, 8, false, 67, Overflow.WRAP, r);
        assertThat(Vectors.str(v, 0, 3)).isEqualTo("ABC");
        // "BITFIELD basic INCRBY form"
        Arrays.fill(v, (byte) 0);
        BitOps.bitfieldSet(s, 0, 8, 0, 8, false, 10, Overflow.WRAP, r);
        BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, false, 10, Overflow.WRAP, r);
        assertThat(r.value).isEqualTo(20);
        BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, false, 10, Overflow.WRAP, r);
        assertThat(r.value).isEqualTo(30);
        // "BITFIELD chaining of multiple commands"
        // "BITFIELD unsigned overflow wrap"
        Arrays.fill(v, (byte) 0);
        BitOps.bitfieldSet(s, 0, 8, 0, 8, false, 100, Overflow.WRAP, r);
        BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, false, 257, Overflow.WRAP, r);
        assertThat(r.value).isEqualTo(101);
        assertThat(r.overflow).isTrue();
        BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, false, 255, Overflow.WRAP, r);
        assertThat(r.value).isEqualTo(100);
        // "BITFIELD unsigned overflow sat"
        BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, false, 257, Overflow.SAT, r);
        assertThat(r.value).isEqualTo(255);
        BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, false, -255, Overflow.SAT, r);
        assertThat(r.value).isZero();
        BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, false, -1, Overflow.SAT, r);
        assertThat(r.value).isZero();
        // "BITFIELD signed overflow wrap"
        BitOps.bitfieldSet(s, 0, 8, 0, 8, true, 100, Overflow.WRAP, r);
        BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, true, 257, Overflow.WRAP, r);
        assertThat(r.value).isEqualTo(101);
        BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, true, 255, Overflow.WRAP, r);
        assertThat(r.value).isEqualTo(100);
        // "BITFIELD signed overflow sat"
        BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, true, 257, Overflow.SAT, r);
        assertThat(r.value).isEqualTo(127);
        BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, true, -255, Overflow.SAT, r);
        assertThat(r.value).isEqualTo(-128);
        // "BITFIELD overflow detection fuzzing": FAIL writes nothing
        BitOps.bitfieldSet(s, 0, 8, 0, 8, true, 120, Overflow.WRAP, r);
        assertThat(BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, true, 10, Overflow.FAIL, r)).isFalse();
        assertThat(r.overflow).isTrue();
        assertThat(BitOps.bitfieldGet(s, 0, 8, 0, 8, true)).isEqualTo(120);
        assertThat(BitOps.bitfieldIncrBy(s, 0, 8, 0, 8, true, 7, Overflow.FAIL, r)).isTrue();
        assertThat(r.value).isEqualTo(127);
        // "BITFIELD overflow wrap fuzzing" style: i64 wrap is plain two's complement
        BitOps.bitfieldSet(s, 0, 8, 0, 64, true, Long.MAX_VALUE, Overflow.WRAP, r);
        BitOps.bitfieldIncrBy(s, 0, 8, 0, 64, true, 1, Overflow.WRAP, r);
        assertThat(r.value).isEqualTo(Long.MIN_VALUE);
        assertThat(r.overflow).isTrue();
        // u8 SET of -1: the unsigned reading of -1 saturates to 255
        BitOps.bitfieldSet(s, 0, 8, 0, 8, false, -1, Overflow.SAT, r);
        assertThat(BitOps.bitfieldGet(s, 0, 8, 0, 8, false)).isEqualTo(255);
        // C's quirk: SET i8 with INT64_MIN under SAT compares with a wrapped maxincr and saturates high
        BitOps.bitfieldSet(s, 0, 8, 0, 8, true, Long.MIN_VALUE, Overflow.SAT, r);
        assertThat(BitOps.bitfieldGet(s, 0, 8, 0, 8, true)).isEqualTo(127);
    }

    @Test
    void bitfieldGetReadsZeroPaddingAndUnalignedFields() {
        byte[] v = {(byte) 0b0000_0001, (byte) 0b0111_0000}; // u5 23 at offset 7, as in bitops.c's comment
        assertThat(BitOps.bitfieldGet(seg(v), 0, 2, 7, 5, false)).isEqualTo(23);
        byte[] w = new byte[2];
        BitOps.bitfieldWrite(seg(w), 0, 2, 7, 5, 23);
        assertThat(w).containsExactly(v);
        assertThat(BitOps.bitfieldGet(seg(v), 0, 2, 12, 64, false)).isZero();
        assertThat(BitOps.bitfieldGet(null, 0, 0, 100, 64, true)).isZero();
        assertThat(BitOps.bitfieldGet(seg(new byte[] {(byte) 0xff}), 0, 1, 4, 8, true)).isEqualTo(-16);
        assertThat(BitOps.bitfieldRequiredLength(7, 5)).isEqualTo(2);
        assertThat(BitOps.bitfieldRequiredLength(0, 64)).isEqualTo(8);
        assertThat(BitOps.bitfieldRequiredLength(1, 64)).isEqualTo(9);
        SplittableRandom rnd = new SplittableRandom(5);
        byte[] buf = new byte[20];
        for (int i = 0; i < 20_000; i++) {
            int bits = rnd.nextInt(1, 65);
            long off = rnd.nextLong(0, 80);
            long value = rnd.nextLong();
            BitOps.bitfieldWrite(seg(buf), 0, buf.length, off, bits, value);
            long mask = bits == 64 ? -1L : (1L << bits) - 1;
            assertThat(BitOps.bitfieldGet(seg(buf), 0, buf.length, off, bits, false)).isEqualTo(value & mask);
        }
    }

    @Test
    void bitfieldMatchesRedisServer() {
        BitfieldResult r = new BitfieldResult();
        LongParse lp = new LongParse();
        int n = 0;
        for (String[] row : Vectors.load("bitfield")) {
            byte[] initial = hex(row[0]);
            String[] args = row[1].split(" ");
            // Pass 1: parse, as Redis does before touching the value.
            Overflow ow = Overflow.WRAP;
            long highest = -1;
            boolean write = false;
            for (int j = 0; j < args.length; j++) {
                if (args[j].equals("OVERFLOW")) {
                    j++;
                    continue;
                }
                int type = type(args[j + 1]);
                assertThat(BitOps.parseBitOffset(seg(latin1(args[j + 2])), 0, args[j + 2].length(), true,
                        BitOps.typeBits(type), 512L << 20, lp)).isTrue();
                if (!args[j].equals("GET")) {
                    write = true;
                    highest = Math.max(highest, lp.value + BitOps.typeBits(type) - 1);
                    j += 3;
                } else {
                    j += 2;
                }
            }
            byte[] value = initial;
            if (write) {
                long need = BitOps.requiredLength(highest);
                if (need > value.length) {
                    value = Arrays.copyOf(value, (int) need);
                }
            }
            MemorySegment s = seg(value);
            StringBuilder replies = new StringBuilder();
            for (int j = 0; j < args.length; j++) {
                if (args[j].equals("OVERFLOW")) {
                    ow = Overflow.valueOf(args[++j]);
                    continue;
                }
                int type = type(args[j + 1]);
                int bits = BitOps.typeBits(type);
                boolean signed = BitOps.typeSigned(type);
                BitOps.parseBitOffset(seg(latin1(args[j + 2])), 0, args[j + 2].length(), true, bits, 512L << 20, lp);
                long off = lp.value;
                String reply;
                if (args[j].equals("GET")) {
                    reply = Long.toString(BitOps.bitfieldGet(initial.length == 0 && !write ? null : s, 0,
                            value.length, off, bits, signed));
                    j += 2;
                } else {
                    long arg = Long.parseLong(args[j + 3]);
                    boolean ok = args[j].equals("SET")
                            ? BitOps.bitfieldSet(s, 0, value.length, off, bits, signed, arg, ow, r)
                            : BitOps.bitfieldIncrBy(s, 0, value.length, off, bits, signed, arg, ow, r);
                    reply = ok ? Long.toString(r.value) : "nil";
                    j += 3;
                }
                if (!replies.isEmpty()) {
                    replies.append(',');
                }
                replies.append(reply);
            }
            assertThat(replies.toString()).as("BITFIELD %s on %s", row[1], row[0]).isEqualTo(row[2]);
            String after = value.length == 0 ? "-" : HexFormat.of().formatHex(value);
            assertThat(after).as("value after BITFIELD %s on %s", row[1], row[0]).isEqualTo(row[3]);
            n++;
        }
        assertThat(n).isGreaterThan(1000);
    }

    @Test
    void bitopLikeBitopsTcl() {
        byte[] a = {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc};
        byte[] b = {0x11, 0x22};
        byte[] dst = new byte[3];
        assertThat(BitOps.bitop(Op.AND, new MemorySegment[] {seg(a), seg(b)}, seg(dst))).isEqualTo(3);
        assertThat(dst).containsExactly((byte) (0xaa & 0x11), (byte) (0xbb & 0x22), 0);
        assertThat(BitOps.bitop(Op.OR, new MemorySegment[] {seg(a), seg(b)}, seg(dst))).isEqualTo(3);
        assertThat(dst).containsExactly((byte) (0xaa | 0x11), (byte) (0xbb | 0x22), (byte) 0xcc);
        assertThat(BitOps.bitop(Op.XOR, new MemorySegment[] {seg(a), null, seg(b)}, seg(dst))).isEqualTo(3);
        assertThat(dst).containsExactly((byte) (0xaa ^ 0x11), (byte) (0xbb ^ 0x22), (byte) 0xcc);
        assertThat(BitOps.bitop(Op.NOT, new MemorySegment[] {seg(a)}, seg(dst))).isEqualTo(3);
        assertThat(dst).containsExactly((byte) 0x55, (byte) 0x44, (byte) 0x33);
        // "BITOP with non string source key" is the caller's; "BITOP with empty string after non empty"
        assertThat(BitOps.bitop(Op.OR, new MemorySegment[] {null, null}, seg(dst))).isZero();
        assertThat(BitOps.bitopLength(new long[] {3, 0, 7}, 3)).isEqualTo(7);
        assertThatThrownBy(() -> BitOps.bitop(Op.NOT, new MemorySegment[] {seg(a), seg(b)}, seg(dst)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(BitOps.ERR_BITOP_NOT);
        // The destination may be one of the sources (BITOP AND k k other).
        byte[] big = new byte[100];
        byte[] other = new byte[100];
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 100; i++) {
            big[i] = (byte) rnd.nextInt(256);
            other[i] = (byte) rnd.nextInt(256);
        }
        byte[] expected = new byte[100];
        for (int i = 0; i < 100; i++) {
            expected[i] = (byte) (big[i] ^ other[i]);
        }
        BitOps.bitop(Op.XOR, new MemorySegment[] {seg(big), seg(other)}, seg(big));
        assertThat(big).containsExactly(expected);
    }

    @Test
    void bitopMatchesRedisServer() {
        int n = 0;
        for (String[] row : Vectors.load("bitop")) {
            Op op = Op.valueOf(row[0]);
            String[] parts = row[1].split(",");
            MemorySegment[] src = new MemorySegment[parts.length];
            long[] offs = new long[parts.length];
            long[] lens = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                if (!parts[i].equals("nil")) {
                    byte[] b = hex(parts[i]);
                    // place the source at an odd offset in a larger buffer
                    byte[] host = new byte[b.length + 3];
                    System.arraycopy(b, 0, host, 3, b.length);
                    src[i] = seg(host);
                    offs[i] = 3;
                    lens[i] = b.length;
                }
            }
            long len = BitOps.bitopLength(lens, parts.length);
            byte[] dst = new byte[(int) len + 1];
            long reply = BitOps.bitop(op, src, offs, lens, parts.length, seg(dst), 1);
            assertThat(reply).isEqualTo(Long.parseLong(row[2])).isEqualTo(len);
            String got = len == 0 ? "nil" : HexFormat.of().formatHex(dst, 1, (int) len + 1);
            assertThat(got).as("BITOP %s %s", row[0], row[1]).isEqualTo(row[3]);
            n++;
        }
        assertThat(n).isGreaterThan(700);
    }
}
