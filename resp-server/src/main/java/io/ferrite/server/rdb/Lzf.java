package io.ferrite.server.rdb;

/**
 * LZF compression as Redis uses it for RDB strings: a port of liblzf 3.6 with Redis's build
 * settings (HLOG 16, VERY_FAST, not ULTRA_FAST), so that a value compresses to exactly the
 * bytes Redis produces and DUMP payloads can be compared with Redis's.
 *
 * <p>Stream format: {@code 000LLLLL} followed by L+1 literal bytes; {@code LLLooooo oooooooo}
 * copies L+2 bytes from o+1 bytes back; {@code 111ooooo LLLLLLLL oooooooo} copies L+9 bytes.
 *
 * <p>One deliberate difference: Redis leaves liblzf's hash table uninitialised (INIT_HTAB 0),
 * so a stale slot left on the stack by an earlier compression can, rarely, point at a real
 * earlier match and change Redis's output. Ferrite starts from an empty table, which is what
 * Redis produces whenever no stale slot happens to match.
 */
public final class Lzf {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    /** The most bytes one input byte can expand to: a 3-byte back reference copies 264. */
    public static final int MAX_EXPANSION = 88;

    private Lzf() {}

    /**
     * Compresses {@code in[0, inLength)} into {@code out} using at most {@code outLength}
     * bytes ({@code out} must hold {@code outLength + 1}, as liblzf may touch one byte past the
     * limit before giving up). Returns the compressed length, or 0 when the result does not
     * fit in {@code outLength} bytes (Redis asks for a saving of at least 4 bytes that way).
     */
    /** A thread's hash table and the generation of its current call. */
    private static final class Table {
        final long[] slots = new long[HSIZE];
        long generation;
    }

    private static final ThreadLocal<Table> TABLES = ThreadLocal.withInitial(Table::new);

    public static int compress(byte[] in, int inLength, byte[] out, int outLength) {
        if (inLength == 0 || outLength == 0) {
            return 0;
        }
        // Positions of the last occurrence of each 3-byte hash. 0 doubles as "empty": liblzf
        // never matches against position 0 either (its "ref > in_data" test). The table is the
        // thread's, reused: an entry written by an earlier call carries that call's generation
        // and reads as empty, so nothing is cleared or allocated per call.
        Table table = TABLES.get();
        long[] htab = table.slots;
        long generation = ++table.generation << 32;
        int ip = 0;
        int op = 0;
        int inEnd = inLength;
        int outEnd = outLength;
        int lit = 0;
        op++; // start a literal run: its length byte goes here
        int hval = inLength >= 2 ? first(in, ip) : 0;
        while (ip < inEnd - 2) {
            hval = next(hval, in, ip);
            int slot = idx(hval);
            long entry = htab[slot];
            int ref = (entry & 0xFFFF_FFFF_0000_0000L) == generation ? (int) entry : 0;
            htab[slot] = generation | ip;
            int off = ip - ref - 1;
            if (off >= 0 && off < MAX_OFF && ref > 0
                    && in[ref + 2] == in[ip + 2] && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]) {
                int len = 2;
                int maxLen = Math.min(inEnd - ip - len, MAX_REF);
                int unlit = lit == 0 ? 1 : 0;
                if (op + 3 + 1 >= outEnd && op - unlit + 3 + 1 >= outEnd) {
                    return 0;
                }
                out[op - lit - 1] = (byte) (lit - 1); // stop the literal run
                op -= unlit;                           // or undo it when empty
                len = matchLength(in, ref, ip, len, maxLen);
                len -= 2; // the length code: bytes matched minus 2
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >>> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >>> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // start a new literal run
                ip += len + 1;
                if (ip >= inEnd - 2) {
                    break;
                }
                // VERY_FAST: hash only the last two positions of the match.
                ip -= 2;
                hval = first(in, ip);
                hval = next(hval, in, ip);
                htab[idx(hval)] = generation | ip;
                ip++;
                hval = next(hval, in, ip);
                htab[idx(hval)] = generation | ip;
                ip++;
            } else {
                if (op >= outEnd) {
                    return 0;
                }
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > outEnd) { // at most 3 bytes can be missing here
            return 0;
        }
        while (ip < inEnd) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1); // end the last run
        op -= lit == 0 ? 1 : 0;
        return op;
    }

    /**
     * liblzf's match extension, unrolled block included: the unrolled part may run up to two
     * bytes past {@code maxLen} (still inside the input), and that must be kept to produce
     * the same back references as Redis.
     */
    private static int matchLength(byte[] in, int ref, int ip, int len, int maxLen) {
        if (maxLen > 16) {
            for (int i = 0; i < 16; i++) {
                len++;
                if (in[ref + len] != in[ip + len]) {
                    return len;
                }
            }
        }
        do {
            len++;
        } while (len < maxLen && in[ref + len] == in[ip + len]);
        return len;
    }

    private static int first(byte[] in, int p) {
        return ((in[p] & 0xff) << 8) | (in[p + 1] & 0xff);
    }

    /** Shifts the next byte into the running hash (an unsigned 32-bit value in C). */
    private static int next(int hval, byte[] in, int p) {
        return (hval << 8) | (in[p + 2] & 0xff);
    }

    private static int idx(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /**
     * Decompresses {@code in[inOffset, inOffset + inLength)} into {@code out}, which has room
     * for {@code outLength} bytes. Returns the decompressed length, or 0 when the stream is
     * corrupt or does not fit, exactly as liblzf's {@code lzf_decompress} (whose caller
     * compares the result with the expected length).
     */
    public static int decompress(byte[] in, int inOffset, int inLength, byte[] out, int outLength) {
        if (inLength == 0) {
            // liblzf reads a control byte anyway; whatever it is, the result is 0.
            return 0;
        }
        int ip = inOffset;
        int inEnd = inOffset + inLength;
        int op = 0;
        do {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < (1 << 5)) {
                ctrl++;
                if (op + ctrl > outLength || ip + ctrl > inEnd) {
                    return 0;
                }
                System.arraycopy(in, ip, out, op, ctrl);
                ip += ctrl;
                op += ctrl;
            } else {
                int len = ctrl >>> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (ip >= inEnd) {
                    return 0;
                }
                if (len == 7) {
                    len += in[ip++] & 0xff;
                    if (ip >= inEnd) {
                        return 0;
                    }
                }
                ref -= in[ip++] & 0xff;
                if (op + len + 2 > outLength || ref < 0) {
                    return 0;
                }
                // Byte by byte: source and destination overlap for runs.
                for (int i = len + 2; i > 0; i--) {
                    out[op++] = out[ref++];
                }
            }
        } while (ip < inEnd);
        return op;
    }
}
