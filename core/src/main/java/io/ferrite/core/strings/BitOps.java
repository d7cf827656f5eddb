package io.ferrite.core.strings;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Bitmap algorithms of Redis's bit commands (GETBIT, SETBIT, BITCOUNT, BITPOS, BITOP,
 * BITFIELD) over a string value held in a {@link MemorySegment} at an offset with a length.
 * Bit 0 is the most significant bit of byte 0, as in Redis. Index normalisation, edge masks,
 * overflow handling and the odd corners follow Redis 7's {@code bitops.c} exactly. The string
 * is never resized here: callers grow it first (see {@link #requiredLength} and
 * {@link #bitfieldRequiredLength}). Nothing allocates.
 *
 * <p>A {@code null} value segment stands for a missing key where that differs from an empty
 * string (BITPOS).
 */
public final class BitOps {
    /** BITOP operations. */
    public enum Op {
        AND, OR, XOR, NOT
    }

    /** BITFIELD OVERFLOW behaviours. */
    public enum Overflow {
        /** Wrap around (modular arithmetic), the default. */
        WRAP,
        /** Saturate at the minimum or maximum value of the field. */
        SAT,
        /** Refuse the operation: nothing is written and the reply is null. */
        FAIL
    }

    /** Redis's reply text for a bad GETBIT/SETBIT/BITFIELD offset (without "ERR "). */
    public static final String ERR_BIT_OFFSET = "bit offset is not an integer or out of range";
    /** Redis's reply text for a bad BITFIELD type (without "ERR "). */
    public static final String ERR_BITFIELD_TYPE =
            "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    /** Redis's reply text for BITOP NOT with several sources (without "ERR "). */
    public static final String ERR_BITOP_NOT = "BITOP NOT must be called with a single source key.";

    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_NATIVE = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final int SIGNED_FLAG = 0x100;

    private BitOps() {
    }

    private static int byteAt(MemorySegment v, long off, long i) {
        return v.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF;
    }

    // ------------------------------------------------------------------------------------
    // GETBIT / SETBIT
    // ------------------------------------------------------------------------------------

    /**
     * Parses a bit offset argument as Redis's {@code getBitOffsetFromArgument}: a strict
     * integer, or with {@code hashAllowed} and {@code bits > 0} the BITFIELD form {@code #N}
     * meaning {@code N * bits} (multiplied with 64-bit wrap-around, as in C). It must be
     * non-negative and address a byte below {@code maxBulkLen} (proto-max-bulk-len; pass
     * {@link Long#MAX_VALUE} for clients exempt from the limit). Returns whether it is valid
     * (else reply {@link #ERR_BIT_OFFSET}); on success the offset is in {@code out.value}.
     */
    public static boolean parseBitOffset(MemorySegment arg, long off, long len, boolean hashAllowed, int bits,
            long maxBulkLen, LongParse out) {
        int skip = len > 0 && byteAt(arg, off, 0) == '#' && hashAllowed && bits > 0 ? 1 : 0;
        if (!RedisNumbers.tryParseLong(arg, off + skip, len - skip, out)) {
            return false;
        }
        long v = out.value;
        if (skip == 1) {
            v *= bits;
        }
        if (v < 0 || (v >> 3) >= maxBulkLen) {
            return false;
        }
        out.value = v;
        return true;
    }

    /** The string length needed to address {@code bitOffset}: {@code bitOffset / 8 + 1}. */
    public static long requiredLength(long bitOffset) {
        return (bitOffset >>> 3) + 1;
    }

    /** GETBIT: the bit at {@code bitOffset}, 0 beyond the end of the value. */
    public static int getbit(MemorySegment v, long off, long len, long bitOffset) {
        long b = bitOffset >>> 3;
        if (v == null || b >= len) {
            return 0;
        }
        return (byteAt(v, off, b) >>> (7 - (int) (bitOffset & 7))) & 1;
    }

    /**
     * SETBIT: sets the bit at {@code bitOffset} to {@code bit} (0 or 1) and returns its previous
     * value. The value must already be at least {@link #requiredLength} bytes long.
     */
    public static int setbit(MemorySegment v, long off, long len, long bitOffset, int bit) {
        long b = bitOffset >>> 3;
        if (b >= len) {
            throw new IndexOutOfBoundsException("bit offset " + bitOffset + " beyond value of length " + len);
        }
        int shift = 7 - (int) (bitOffset & 7);
        int old = byteAt(v, off, b);
        int updated = (old & ~(1 << shift)) | ((bit & 1) << shift);
        v.set(ValueLayout.JAVA_BYTE, off + b, (byte) updated);
        return (old >>> shift) & 1;
    }

    // ------------------------------------------------------------------------------------
    // BITCOUNT
    // ------------------------------------------------------------------------------------

    /** BITCOUNT over the whole value: the number of set bits (0 for a missing key). */
    public static long bitcount(MemorySegment v, long off, long len) {
        return v == null ? 0 : popcount(v, off, len);
    }

    /**
     * BITCOUNT with a range: {@code start} and {@code end} are inclusive byte indexes, or bit
     * indexes when {@code bitUnit}; negative ones count from the end; the range is clamped to
     * the value and an empty range counts 0.
     */
    public static long bitcount(MemorySegment v, long off, long len, long start, long end, boolean bitUnit) {
        if (v == null) {
            return 0;
        }
        if (start < 0 && end < 0 && start > end) {
            return 0;
        }
        long totlen = len;
        int firstMask = 0;
        int lastMask = 0;
        if (bitUnit) {
            totlen <<= 3;
        }
        if (start < 0) {
            start = totlen + start;
        }
        if (end < 0) {
            end = totlen + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= totlen) {
            end = totlen - 1;
        }
        if (bitUnit && start <= end) {
            firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xFF;
            lastMask = (1 << (7 - (int) (end & 7))) - 1;
            start >>= 3;
            end >>= 3;
        }
        if (start > end) {
            return 0;
        }
        long count = popcount(v, off + start, end - start + 1);
        if (firstMask != 0) {
            count -= Integer.bitCount(byteAt(v, off, start) & firstMask);
        }
        if (lastMask != 0) {
            count -= Integer.bitCount(byteAt(v, off, end) & lastMask);
        }
        return count;
    }

    private static long popcount(MemorySegment v, long at, long count) {
        long bits = 0;
        long i = 0;
        for (; i + 8 <= count; i += 8) {
            bits += Long.bitCount(v.get(LONG_NATIVE, at + i));
        }
        for (; i < count; i++) {
            bits += Integer.bitCount(v.get(ValueLayout.JAVA_BYTE, at + i) & 0xFF);
        }
        return bits;
    }

    // ------------------------------------------------------------------------------------
    // BITPOS
    // ------------------------------------------------------------------------------------

    /** BITPOS without a range ({@code BITPOS key bit}). */
    public static long bitpos(MemorySegment v, long off, long len, int bit) {
        return bitpos(v, off, len, bit, 0, 0, false, false);
    }

    /**
     * BITPOS: the position of the first bit equal to {@code bit} (0 or 1) in the range, or -1.
     * {@code start} is always given (pass 0 when the command had none); {@code end} only counts
     * when {@code endGiven}. A missing key ({@code v == null}) is an infinite run of zeros: 0
     * for bit 0, -1 for bit 1. Looking for 0 without an explicit end treats the value as
     * zero-padded on the right, so an all-ones value answers the first bit past its end; with an
     * explicit end the answer is -1 instead. An empty range answers -1.
     */
    public static long bitpos(MemorySegment v, long off, long len, int bit, long start, long end, boolean endGiven,
            boolean bitUnit) {
        if (v == null) {
            return bit != 0 ? -1 : 0;
        }
        long totlen = len;
        int firstMask = 0;
        int lastMask = 0;
        if (!endGiven) {
            end = bitUnit ? (totlen << 3) + 7 : totlen - 1;
        }
        if (bitUnit) {
            totlen <<= 3;
        }
        if (start < 0) {
            start = totlen + start;
        }
        if (end < 0) {
            end = totlen + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= totlen) {
            end = totlen - 1;
        }
        if (bitUnit && start <= end) {
            firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xFF;
            lastMask = (1 << (7 - (int) (end & 7))) - 1;
            start >>= 3;
            end >>= 3;
        }
        if (start > end) {
            return -1;
        }
        long bytes = end - start + 1;
        long pos;
        found:
        {
            if (firstMask != 0) {
                int tmp = bit != 0 ? byteAt(v, off, start) & ~firstMask : byteAt(v, off, start) | firstMask;
                if (lastMask != 0 && bytes == 1) {
                    tmp = bit != 0 ? tmp & ~lastMask : tmp | lastMask;
                }
                pos = bitposByte(tmp & 0xFF, bit);
                if (bytes == 1 || (pos != -1 && pos != 8)) {
                    break found;
                }
                start++;
                bytes--;
            }
            long curbytes = bytes - (lastMask != 0 ? 1 : 0);
            if (curbytes > 0) {
                pos = scanBitpos(v, off + start, curbytes, bit);
                if (bytes == curbytes || (pos != -1 && pos != curbytes << 3)) {
                    break found;
                }
                start += curbytes;
                bytes -= curbytes;
            }
            int tmp = bit != 0 ? byteAt(v, off, end) & ~lastMask : byteAt(v, off, end) | lastMask;
            pos = bitposByte(tmp & 0xFF, bit);
        }
        if (endGiven && bit == 0 && pos == bytes << 3) {
            return -1;
        }
        if (pos != -1) {
            pos += start << 3;
        }
        return pos;
    }

    /** redisBitpos on one byte. */
    private static long bitposByte(int b, int bit) {
        if (bit != 0) {
            return b == 0 ? -1 : Integer.numberOfLeadingZeros(b) - 24;
        }
        int inv = ~b & 0xFF;
        return inv == 0 ? 8 : Integer.numberOfLeadingZeros(inv) - 24;
    }

    /**
     * redisBitpos: first bit equal to {@code bit} in {@code count} bytes; when none, -1 for
     * bit 1 and {@code count * 8} for bit 0 (the string is taken as zero-padded).
     */
    private static long scanBitpos(MemorySegment v, long at, long count, int bit) {
        long skip = bit != 0 ? 0 : -1L;
        long i = 0;
        for (; i + 8 <= count; i += 8) {
            long w = v.get(LONG_BE, at + i);
            if (w != skip) {
                long x = bit != 0 ? w : ~w;
                return (i << 3) + Long.numberOfLeadingZeros(x);
            }
        }
        for (; i < count; i++) {
            int b = v.get(ValueLayout.JAVA_BYTE, at + i) & 0xFF;
            long p = bitposByte(b, bit);
            if (p != -1 && p != 8) {
                return (i << 3) + p;
            }
        }
        return bit != 0 ? -1 : count << 3;
    }

    // ------------------------------------------------------------------------------------
    // BITOP
    // ------------------------------------------------------------------------------------

    /**
     * The length of a BITOP result: the longest source ({@code 0} means Redis deletes the
     * destination). Sources are {@code lens[0..count)}; a missing key has length 0.
     */
    public static long bitopLength(long[] lens, int count) {
        long max = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, lens[i]);
        }
        return max;
    }

    /**
     * BITOP: combines {@code count} sources ({@code src[i]} at {@code srcOff[i]} with
     * {@code srcLen[i]} bytes; a {@code null} segment or length 0 is a missing key) into
     * {@code dst} at {@code dstOff}, which must have room for {@link #bitopLength} bytes.
     * Shorter sources are zero-padded; NOT takes exactly one source. {@code dst} may be one of
     * the sources at the same address, but must not otherwise overlap them. Returns the result
     * length.
     *
     * @throws IllegalArgumentException for NOT with other than one source ({@link #ERR_BITOP_NOT})
     */
    public static long bitop(Op op, MemorySegment[] src, long[] srcOff, long[] srcLen, int count, MemorySegment dst,
            long dstOff) {
        if (op == Op.NOT && count != 1) {
            throw new IllegalArgumentException(ERR_BITOP_NOT);
        }
        if (count < 1) {
            throw new IllegalArgumentException("BITOP needs at least one source");
        }
        long maxlen = 0;
        long minlen = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            long l = src[i] == null ? 0 : srcLen[i];
            maxlen = Math.max(maxlen, l);
            minlen = Math.min(minlen, l);
        }
        long j = 0;
        // Whole words while every source has data.
        for (; j + 8 <= minlen; j += 8) {
            long out = src[0].get(LONG_NATIVE, srcOff[0] + j);
            switch (op) {
                case NOT -> out = ~out;
                case AND -> {
                    for (int i = 1; i < count; i++) {
                        out &= src[i].get(LONG_NATIVE, srcOff[i] + j);
                    }
                }
                case OR -> {
                    for (int i = 1; i < count; i++) {
                        out |= src[i].get(LONG_NATIVE, srcOff[i] + j);
                    }
                }
                case XOR -> {
                    for (int i = 1; i < count; i++) {
                        out ^= src[i].get(LONG_NATIVE, srcOff[i] + j);
                    }
                }
            }
            dst.set(LONG_NATIVE, dstOff + j, out);
        }
        for (; j < maxlen; j++) {
            int out = byteOrZero(src[0], srcOff[0], srcLen[0], j);
            if (op == Op.NOT) {
                out = ~out;
            }
            for (int i = 1; i < count; i++) {
                int b = byteOrZero(src[i], srcOff[i], srcLen[i], j);
                switch (op) {
                    case AND -> out &= b;
                    case OR -> out |= b;
                    case XOR -> out ^= b;
                    case NOT -> {
                    }
                }
            }
            dst.set(ValueLayout.JAVA_BYTE, dstOff + j, (byte) out);
        }
        return maxlen;
    }

    /**
     * BITOP over whole segments ({@code null} for a missing key) into {@code dst} from offset
     * 0; see {@link #bitop(Op, MemorySegment[], long[], long[], int, MemorySegment, long)}.
     * Allocates the offset and length arrays: convenient rather than fast.
     */
    public static long bitop(Op op, MemorySegment[] src, MemorySegment dst) {
        long[] offs = new long[src.length];
        long[] lens = new long[src.length];
        for (int i = 0; i < src.length; i++) {
            lens[i] = src[i] == null ? 0 : src[i].byteSize();
        }
        return bitop(op, src, offs, lens, src.length, dst, 0);
    }

    private static int byteOrZero(MemorySegment s, long off, long len, long j) {
        return s == null || j >= len ? 0 : s.get(ValueLayout.JAVA_BYTE, off + j) & 0xFF;
    }

    // ------------------------------------------------------------------------------------
    // BITFIELD
    // ------------------------------------------------------------------------------------

    /**
     * Parses a BITFIELD type: {@code i1}..{@code i64} or {@code u1}..{@code u63} (Redis
     * cannot reply unsigned values above INT64_MAX, hence no {@code u64}). The digits are read
     * up to the first NUL byte, as Redis's {@code strlen} does. Returns an encoded type for
     * {@link #typeBits} and {@link #typeSigned}, or -1 (reply {@link #ERR_BITFIELD_TYPE}).
     */
    public static int parseBitfieldType(MemorySegment arg, long off, long len) {
        if (len < 1) {
            return -1;
        }
        int c = byteAt(arg, off, 0);
        boolean signed;
        if (c == 'i') {
            signed = true;
        } else if (c == 'u') {
            signed = false;
        } else {
            return -1;
        }
        long rest = 0;
        while (1 + rest < len && byteAt(arg, off, 1 + rest) != 0) {
            rest++;
        }
        // string2ll of the rest must give 1..64 (1..63 unsigned): canonical, so one or two digits.
        if (rest < 1 || rest > 2) {
            return -1;
        }
        int d0 = byteAt(arg, off, 1);
        if (d0 < '1' || d0 > '9') {
            return -1;
        }
        int bits = d0 - '0';
        if (rest == 2) {
            int d1 = byteAt(arg, off, 2);
            if (d1 < '0' || d1 > '9') {
                return -1;
            }
            bits = bits * 10 + (d1 - '0');
        }
        if (bits > (signed ? 64 : 63)) {
            return -1;
        }
        return signed ? SIGNED_FLAG | bits : bits;
    }

    /** The width in bits of a type from {@link #parseBitfieldType}. */
    public static int typeBits(int type) {
        return type & 0xFF;
    }

    /** Whether a type from {@link #parseBitfieldType} is signed. */
    public static boolean typeSigned(int type) {
        return (type & SIGNED_FLAG) != 0;
    }

    /** The string length a BITFIELD write of {@code bits} at {@code bitOffset} needs. */
    public static long bitfieldRequiredLength(long bitOffset, int bits) {
        return ((bitOffset + bits - 1) >>> 3) + 1;
    }

    /**
     * BITFIELD GET: reads a {@code bits}-wide (1..64) integer at {@code bitOffset}, most
     * significant bit first; bits beyond the value read as 0 (a missing key is {@code null}).
     * Signed fields are sign-extended.
     */
    public static long bitfieldGet(MemorySegment v, long off, long len, long bitOffset, int bits, boolean signed) {
        long value = 0;
        long pos = bitOffset;
        int remaining = bits;
        while (remaining > 0) {
            long byteIdx = pos >>> 3;
            int avail = 8 - (int) (pos & 7);
            int take = Math.min(avail, remaining);
            int b = v != null && byteIdx < len ? byteAt(v, off, byteIdx) : 0;
            int chunk = (b >>> (avail - take)) & ((1 << take) - 1);
            value = (value << take) | chunk;
            pos += take;
            remaining -= take;
        }
        if (signed && bits < 64 && (value & (1L << (bits - 1))) != 0) {
            value |= -1L << bits;
        }
        return value;
    }

    /**
     * Writes the low {@code bits} bits of {@code value} at {@code bitOffset} (Redis's
     * {@code setUnsignedBitfield}); the value must be {@link #bitfieldRequiredLength} long.
     */
    public static void bitfieldWrite(MemorySegment v, long off, long len, long bitOffset, int bits, long value) {
        if (bitfieldRequiredLength(bitOffset, bits) > len) {
            throw new IndexOutOfBoundsException("bitfield at " + bitOffset + " beyond value of length " + len);
        }
        long pos = bitOffset;
        int remaining = bits;
        while (remaining > 0) {
            long byteIdx = pos >>> 3;
            int avail = 8 - (int) (pos & 7);
            int take = Math.min(avail, remaining);
            int shift = avail - take;
            int mask = ((1 << take) - 1) << shift;
            int chunk = (int) ((value >>> (remaining - take)) & ((1 << take) - 1)) << shift;
            int b = byteAt(v, off, byteIdx);
            v.set(ValueLayout.JAVA_BYTE, off + byteIdx, (byte) ((b & ~mask) | chunk));
            pos += take;
            remaining -= take;
        }
    }

    /**
     * BITFIELD SET: stores {@code value} in the field, applying {@code overflow} when it does
     * not fit (WRAP keeps the low bits, SAT clamps, FAIL refuses). On success fills
     * {@code out} ({@code value} = the previous field value, which Redis replies) and returns
     * {@code true}; with FAIL on overflow writes nothing and returns {@code false} (reply null).
     * For unsigned fields a negative {@code value} is taken as its 64-bit unsigned reading, as
     * in Redis ({@code SET u8 0 -1} with SAT stores 255).
     */
    public static boolean bitfieldSet(MemorySegment v, long off, long len, long bitOffset, int bits, boolean signed,
            long value, Overflow overflow, BitfieldResult out) {
        long oldval = bitfieldGet(v, off, len, bitOffset, bits, signed);
        long newval = value;
        int ov = signed ? checkSignedOverflow(newval, 0, bits, overflow, out)
                : checkUnsignedOverflow(newval, 0, bits, overflow, out);
        if (ov != 0) {
            newval = out.newValue;
        }
        return finish(v, off, len, bitOffset, bits, overflow, out, oldval, newval, oldval, ov != 0);
    }

    /**
     * BITFIELD INCRBY: adds {@code incr} to the field, applying {@code overflow} when the sum
     * does not fit. On success fills {@code out} ({@code value} = the new field value, which
     * Redis replies) and returns {@code true}; with FAIL on overflow writes nothing and returns
     * {@code false} (reply null).
     */
    public static boolean bitfieldIncrBy(MemorySegment v, long off, long len, long bitOffset, int bits,
            boolean signed, long incr, Overflow overflow, BitfieldResult out) {
        long oldval = bitfieldGet(v, off, len, bitOffset, bits, signed);
        long newval = oldval + incr;
        int ov = signed ? checkSignedOverflow(oldval, incr, bits, overflow, out)
                : checkUnsignedOverflow(oldval, incr, bits, overflow, out);
        if (ov != 0) {
            newval = out.newValue;
        }
        return finish(v, off, len, bitOffset, bits, overflow, out, oldval, newval, newval, ov != 0);
    }

    private static boolean finish(MemorySegment v, long off, long len, long bitOffset, int bits, Overflow overflow,
            BitfieldResult out, long oldval, long newval, long retval, boolean overflowed) {
        out.overflow = overflowed;
        if (overflowed && overflow == Overflow.FAIL) {
            out.newValue = oldval;
            out.changed = false;
            return false;
        }
        bitfieldWrite(v, off, len, bitOffset, bits, newval);
        out.value = retval;
        out.newValue = newval;
        out.changed = oldval != newval;
        return true;
    }

    /**
     * Redis's {@code checkUnsignedBitfieldOverflow}, with {@code value} read as unsigned: 0 when
     * {@code value + incr} fits, 1 on overflow, -1 on underflow (1 whenever WRAP applies). For
     * WRAP and SAT the value to store goes to {@code out.newValue}.
     */
    static int checkUnsignedOverflow(long value, long incr, int bits, Overflow owtype, BitfieldResult out) {
        long max = bits == 64 ? -1L : (1L << bits) - 1;
        long maxincr = max - value;
        long minincr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxincr)) {
            if (owtype == Overflow.WRAP) {
                return wrapUnsigned(value, incr, bits, out);
            } else if (owtype == Overflow.SAT) {
                out.newValue = max;
            }
            return 1;
        } else if (incr < 0 && incr < minincr) {
            if (owtype == Overflow.WRAP) {
                return wrapUnsigned(value, incr, bits, out);
            } else if (owtype == Overflow.SAT) {
                out.newValue = 0;
            }
            return -1;
        }
        return 0;
    }

    private static int wrapUnsigned(long value, long incr, int bits, BitfieldResult out) {
        long mask = bits == 64 ? 0 : -1L << bits;
        out.newValue = (value + incr) & ~mask;
        return 1;
    }

    /**
     * Redis's {@code checkSignedBitfieldOverflow}: 0 when {@code value + incr} fits a signed
     * {@code bits}-wide field, 1 on overflow, -1 on underflow (1 whenever WRAP applies). For
     * WRAP and SAT the value to store goes to {@code out.newValue}. The comparisons keep C's
     * 64-bit wrap-around, quirks included.
     */
    static int checkSignedOverflow(long value, long incr, int bits, Overflow owtype, BitfieldResult out) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxincr = max - value;
        long minincr = min - value;
        if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) {
            if (owtype == Overflow.WRAP) {
                return wrapSigned(value, incr, bits, out);
            } else if (owtype == Overflow.SAT) {
                out.newValue = max;
            }
            return 1;
        } else if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) {
            if (owtype == Overflow.WRAP) {
                return wrapSigned(value, incr, bits, out);
            } else if (owtype == Overflow.SAT) {
                out.newValue = min;
            }
            return -1;
        }
        return 0;
    }

    private static int wrapSigned(long value, long incr, int bits, BitfieldResult out) {
        long msb = 1L << (bits - 1);
        long c = value + incr;
        if (bits < 64) {
            long mask = -1L << bits;
            if ((c & msb) != 0) {
                c |= mask;
            } else {
                c &= ~mask;
            }
        }
        out.newValue = c;
        return 1;
    }
}
