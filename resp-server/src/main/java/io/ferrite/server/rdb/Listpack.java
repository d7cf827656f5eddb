package io.ferrite.server.rdb;

import java.util.Arrays;
import java.util.List;

/**
 * Redis 7.0's listpack (listpack.c), the blob inside a HASH_LISTPACK payload: a 6-byte header
 * (total bytes u32 LE, element count u16 LE), the entries, and a {@code 0xFF} terminator. An
 * entry is an encoding byte with its data, then a "backlen" that spells the entry's length
 * backwards. {@link Builder} writes exactly the bytes Redis writes; {@link #decode} accepts
 * exactly what Redis's deep validation ({@code lpValidateIntegrity}, {@code lpValidateNext})
 * accepts.
 *
 * <p>It also owns the canonical-integer rule ({@code lpStringToInt64}, the same as
 * {@code string2ll}), which decides both integer entries here and intset admission.
 */
final class Listpack {
    static final int HEADER = 6;
    private static final int EOF = 0xFF;
    /** An element count of 65535 means "too many to say: count them" (LP_HDR_NUMELE_UNKNOWN). */
    private static final int UNKNOWN_COUNT = 65535;
    /** The longest encoding header (0xF0 + u32 length) plus the longest backlen. */
    private static final int MAX_OVERHEAD = 5 + 5;

    private Listpack() {}

    /** The listpack of {@code elements}, in order. */
    static byte[] encode(List<byte[]> elements) {
        Builder builder = new Builder();
        for (byte[] element : elements) {
            builder.append(element, 0, element.length);
        }
        return builder.toByteArray();
    }

    /** Appends entries one by one, encoding each as {@code lpAppend} does. */
    static final class Builder {
        private byte[] buffer = new byte[64];
        private int size = HEADER;
        private long count;

        /** Appends {@code s[offset, offset + length)}: as an integer when canonical, else a string. */
        Builder append(byte[] s, int offset, int length) {
            ensure((long) length + MAX_OVERHEAD);
            int start = size;
            if (isCanonicalInteger(s, offset, length)) {
                writeInteger(canonicalValue(s, offset, length));
            } else {
                writeString(s, offset, length);
            }
            writeBacklen(size - start);
            count++;
            return this;
        }

        /** The finished listpack: header, entries and terminator. The builder stays usable. */
        byte[] toByteArray() {
            byte[] lp = Arrays.copyOf(buffer, size + 1);
            lp[size] = (byte) EOF;
            Listpack.putLittleEndian(lp, 0, lp.length, 4);
            Listpack.putLittleEndian(lp, 4, Math.min(count, UNKNOWN_COUNT), 2);
            return lp;
        }

        private void writeInteger(long v) {
            if (v >= 0 && v <= 127) {
                put(v); // 0xxxxxxx
            } else if (v >= -4096 && v <= 4095) {
                int u = (int) v & 0x1FFF; // 110xxxxx yyyyyyyy, two's complement in 13 bits
                put(0xC0 | u >>> 8);
                put(u & 0xFF);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                put(0xF1);
                putValue(v, 2);
            } else if (v >= -(1 << 23) && v < 1 << 23) {
                put(0xF2);
                putValue(v, 3);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                put(0xF3);
                putValue(v, 4);
            } else {
                put(0xF4);
                putValue(v, 8);
            }
        }

        private void writeString(byte[] s, int offset, int length) {
            if (length < 64) {
                put(0x80 | length); // 10xxxxxx
            } else if (length < 4096) {
                put(0xE0 | length >>> 8); // 1110xxxx yyyyyyyy
                put(length & 0xFF);
            } else {
                put(0xF0);
                putValue(length, 4);
            }
            System.arraycopy(s, offset, buffer, size, length);
            size += length;
        }

        /** lpEncodeBacklen: high bits first, bit 7 set on every byte but the one nearest the entry. */
        private void writeBacklen(long length) {
            int bytes = backlenSize(length);
            put(length >>> 7 * (bytes - 1));
            for (int i = bytes - 2; i >= 0; i--) {
                put((length >>> 7 * i) & 127 | 128);
            }
        }

        private void put(long b) {
            buffer[size++] = (byte) b;
        }

        private void putValue(long v, int bytes) {
            Listpack.putLittleEndian(buffer, size, v, bytes);
            size += bytes;
        }

        private void ensure(long more) {
            if (size + more > buffer.length) {
                long wanted = Math.max(size + more, (long) buffer.length * 2);
                if (wanted > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("listpack too large");
                }
                buffer = Arrays.copyOf(buffer, (int) wanted);
            }
        }
    }

    /**
     * How many bytes lpEncodeBacklen uses for an entry of {@code length} bytes. The boundaries
     * are Redis's own, {@code <=} for the first and {@code <} for the others.
     */
    static int backlenSize(long length) {
        if (length <= 127) {
            return 1;
        } else if (length < 16383) {
            return 2;
        } else if (length < 2097151) {
            return 3;
        } else if (length < 268435455) {
            return 4;
        }
        return 5;
    }

    /**
     * Validates {@code lp} deeply and appends its entries to {@code out} in order (integers as
     * their decimal text). Non-canonical entries (the string "1", say) are legal and decode to
     * the same text. What a listpack means (pairs, distinct fields) is the caller's to check.
     */
    static void decode(byte[] lp, RdbCollections.Elements out) throws RdbFormatException {
        int size = lp.length;
        if (size < HEADER + 1 || littleEndian(lp, 0, 4) != size || (lp[size - 1] & 0xFF) != EOF) {
            throw new RdbFormatException("listpack header or terminator is wrong");
        }
        int last = size - 1;
        long count = 0;
        int p = HEADER;
        while ((lp[p] & 0xFF) != EOF) {
            p = next(lp, p, last, out);
            count++;
        }
        // The walk stops at the first 0xFF: it must be the terminator, not one inside.
        if (p != last) {
            throw new RdbFormatException("listpack entries end before the terminator");
        }
        int declared = (int) littleEndian(lp, 4, 2);
        if (declared != UNKNOWN_COUNT && declared != count) {
            throw new RdbFormatException("listpack holds " + count + " entries, its header says " + declared);
        }
    }

    /** lpValidateNext on the entry at {@code p}, then decodes it; returns where the next one starts. */
    private static int next(byte[] lp, int p, int last, RdbCollections.Elements out) throws RdbFormatException {
        int b = lp[p] & 0xFF;
        int lengthBytes = encodedSizeBytes(b);
        if (lengthBytes == 0 || p + lengthBytes > last) {
            throw new RdbFormatException("listpack entry encoding 0x" + Integer.toHexString(b) + " is invalid or cut");
        }
        long length = encodedSize(lp, p, b);
        long end = p + length + backlenSize(length);
        if (end > last) {
            throw new RdbFormatException("listpack entry runs past the terminator");
        }
        if (decodeBacklen(lp, (int) end - 1) != length) {
            throw new RdbFormatException("listpack entry backlen does not match its length");
        }
        if (b < 0x80) {
            out.addInteger(b);
        } else if (b < 0xC0) {
            out.add(lp, p + 1, b & 0x3F);
        } else if (b < 0xE0) {
            int u = (b & 0x1F) << 8 | lp[p + 1] & 0xFF;
            out.addInteger(u >= 4096 ? u - 8192 : u);
        } else if (b < 0xF0) {
            out.add(lp, p + 2, (int) length - 2);
        } else {
            switch (b) {
                case 0xF0 -> out.add(lp, p + 5, (int) length - 5);
                case 0xF1 -> out.addInteger((short) littleEndian(lp, p + 1, 2));
                case 0xF2 -> out.addInteger(littleEndian(lp, p + 1, 3) << 40 >> 40);
                case 0xF3 -> out.addInteger((int) littleEndian(lp, p + 1, 4));
                default -> out.addInteger(littleEndian(lp, p + 1, 8));
            }
        }
        return (int) end;
    }

    /** lpCurrentEncodedSizeBytes: the bytes needed to know an entry's length; 0 for a bad byte. */
    private static int encodedSizeBytes(int b) {
        if (b < 0xE0 || b >= 0xF1 && b <= 0xF4) {
            return 1; // 7-bit uint, 6-bit string, 13-bit int, 16/24/32/64-bit int
        } else if (b < 0xF0) {
            return 2; // 12-bit string
        } else if (b == 0xF0) {
            return 5; // 32-bit string
        }
        return 0;
    }

    /** lpCurrentEncodedSizeUnsafe: encoding plus data, without the backlen. */
    private static long encodedSize(byte[] lp, int p, int b) {
        if (b < 0x80) {
            return 1;
        } else if (b < 0xC0) {
            return 1 + (b & 0x3F);
        } else if (b < 0xE0) {
            return 2;
        } else if (b < 0xF0) {
            return 2 + ((b & 0x0F) << 8 | lp[p + 1] & 0xFF);
        }
        return switch (b) {
            case 0xF0 -> 5 + littleEndian(lp, p + 1, 4);
            case 0xF1 -> 3;
            case 0xF2 -> 4;
            case 0xF3 -> 5;
            default -> 9;
        };
    }

    /**
     * lpDecodeBacklen reading backwards from {@code at}, the entry's last byte: 7 bits a byte
     * while bit 7 is set, at most 5 bytes; -1 when it would need more.
     */
    private static long decodeBacklen(byte[] lp, int at) {
        long value = 0;
        int shift = 0;
        while (true) {
            int b = lp[at] & 0xFF;
            value |= (long) (b & 127) << shift;
            if ((b & 128) == 0) {
                return value;
            }
            shift += 7;
            at--;
            if (shift > 28) {
                return -1;
            }
        }
    }

    /**
     * The canonical-integer rule of string2ll / lpStringToInt64: 1 to 20 bytes that are exactly
     * {@code Long.toString(v)} for some long v. So "0" but not "00", "-0", "007", "+5", " 1", and
     * not "9223372036854775808".
     */
    static boolean isCanonicalInteger(byte[] s, int offset, int length) {
        if (length < 1 || length > 20) {
            return false;
        }
        if (length == 1 && s[offset] == '0') {
            return true;
        }
        boolean negative = s[offset] == '-';
        int i = offset + (negative ? 1 : 0);
        int end = offset + length;
        if (i == end || s[i] < '1' || s[i] > '9') {
            return false;
        }
        // Accumulate negatively, as Long.parseLong does, so Long.MIN_VALUE fits.
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long value = 0;
        for (; i < end; i++) {
            int digit = s[i] - '0';
            if (digit < 0 || digit > 9 || value < limit / 10) {
                return false;
            }
            value *= 10;
            if (value < limit + digit) {
                return false;
            }
            value -= digit;
        }
        return true;
    }

    /** The value of a string that {@link #isCanonicalInteger} accepts. */
    static long canonicalValue(byte[] s, int offset, int length) {
        boolean negative = s[offset] == '-';
        long value = 0;
        for (int i = offset + (negative ? 1 : 0); i < offset + length; i++) {
            value = value * 10 - (s[i] - '0');
        }
        return negative ? value : -value;
    }

    static long littleEndian(byte[] b, int offset, int bytes) {
        long value = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            value = value << 8 | b[offset + i] & 0xFF;
        }
        return value;
    }

    static void putLittleEndian(byte[] b, int offset, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[offset + i] = (byte) (value >>> 8 * i);
        }
    }
}
