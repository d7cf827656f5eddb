package io.ferrite.core.strings;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Redis's glob matching ({@code stringmatchlen}) as used by KEYS, SCAN MATCH, PSUBSCRIBE and
 * friends: {@code *}, {@code ?}, {@code [abc]}, {@code [^a]}, {@code [a-z]} (reversed ranges
 * allowed), backslash escapes, optional ASCII case folding, byte for byte identical to Redis 7
 * including its corner cases (an unterminated {@code [} class, a trailing backslash matching a
 * backslash, bytes above 0x7f compared as signed chars in ranges, and {@code "*"} not matching
 * the empty string, which is why KEYS and SCAN treat the bare {@code "*"} as match-all before
 * matching; see {@link #isMatchAll}).
 *
 * <p>Like Redis 7 it guards against exponential patterns ({@code "a*a*a*...b"}): once the rest
 * of a pattern after a {@code *} fails at every position, no earlier {@code *} retries, and
 * recursion deeper than {@value #MAX_NESTING} levels fails the match. Nothing allocates.
 */
public final class GlobMatcher {
    /** Redis's nesting limit: deeper {@code *} recursion is treated as no match. */
    public static final int MAX_NESTING = 1000;

    private static final int NO_MATCH = 0;
    private static final int MATCH = 1;
    /** No match, and no earlier '*' can help either (Redis's skipLongerMatches). */
    private static final int NO_MATCH_SKIP = 2;

    private GlobMatcher() {
    }

    /** Whether {@code subject} matches {@code pattern}; {@code nocase} folds ASCII letters. */
    public static boolean matches(MemorySegment pattern, long pOff, long pLen, MemorySegment subject, long sOff,
            long sLen, boolean nocase) {
        return match(pattern, pOff, pLen, subject, sOff, sLen, nocase, 0) == MATCH;
    }

    /** {@link #matches(MemorySegment, long, long, MemorySegment, long, long, boolean)} on arrays. */
    public static boolean matches(byte[] pattern, byte[] subject, boolean nocase) {
        return matches(MemorySegment.ofArray(pattern), 0, pattern.length, MemorySegment.ofArray(subject), 0,
                subject.length, nocase);
    }

    /** Whether the pattern is exactly {@code "*"}, which KEYS and SCAN skip matching for. */
    public static boolean isMatchAll(MemorySegment pattern, long off, long len) {
        return len == 1 && pattern.get(ValueLayout.JAVA_BYTE, off) == '*';
    }

    /**
     * Whether the pattern has no special character at all ({@code * ? [ \}), so that (without
     * {@code nocase}) it matches exactly the one key equal to it and a direct lookup can replace
     * a scan.
     */
    public static boolean isLiteral(MemorySegment pattern, long off, long len) {
        for (long i = 0; i < len; i++) {
            byte c = pattern.get(ValueLayout.JAVA_BYTE, off + i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * If the pattern matches (case-sensitively) exactly one string, possibly thanks to escapes
     * ({@code "user\*1"} matches only {@code "user*1"}), returns that string's length, else -1.
     * See {@link #unescapeLiteral} for the string itself.
     */
    public static long literalLength(MemorySegment pattern, long off, long len) {
        long n = 0;
        for (long i = 0; i < len; i++) {
            byte c = pattern.get(ValueLayout.JAVA_BYTE, off + i);
            if (c == '*' || c == '?' || c == '[') {
                return -1;
            }
            if (c == '\\' && i + 1 < len) {
                i++; // escaped byte; a trailing backslash stands for itself
            }
            n++;
        }
        return n;
    }

    /**
     * Writes the single string a literal pattern matches (see {@link #literalLength}) into
     * {@code dst} at {@code dstOff} and returns its length, or -1 if the pattern is not literal.
     */
    public static long unescapeLiteral(MemorySegment pattern, long off, long len, byte[] dst, int dstOff) {
        if (literalLength(pattern, off, len) < 0) {
            return -1;
        }
        int p = dstOff;
        for (long i = 0; i < len; i++) {
            byte c = pattern.get(ValueLayout.JAVA_BYTE, off + i);
            if (c == '\\' && i + 1 < len) {
                i++;
                c = pattern.get(ValueLayout.JAVA_BYTE, off + i);
            }
            dst[p++] = c;
        }
        return p - dstOff;
    }

    /**
     * The pattern byte at {@code k} past {@code pi} as a signed C char, or 0 (the C string
     * terminator) at or past the end.
     */
    private static int pb(MemorySegment p, long pi, long pLen, long k) {
        return k < pLen ? p.get(ValueLayout.JAVA_BYTE, pi + k) : 0;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    private static int match(MemorySegment p, long pi, long pLen, MemorySegment s, long si, long sLen, boolean nocase,
            int nesting) {
        if (nesting > MAX_NESTING) {
            return NO_MATCH;
        }
        while (pLen > 0 && sLen > 0) {
            int pc = pb(p, pi, pLen, 0);
            int sc = s.get(ValueLayout.JAVA_BYTE, si);
            switch (pc) {
                case '*' -> {
                    while (pLen > 0 && pb(p, pi, pLen, 1) == '*') {
                        pi++;
                        pLen--;
                    }
                    if (pLen == 1) {
                        return MATCH;
                    }
                    while (sLen > 0) {
                        int r = match(p, pi + 1, pLen - 1, s, si, sLen, nocase, nesting + 1);
                        if (r == MATCH) {
                            return MATCH;
                        }
                        if (r == NO_MATCH_SKIP) {
                            return NO_MATCH_SKIP;
                        }
                        si++;
                        sLen--;
                    }
                    // The rest of the pattern matches nowhere in the rest of the string, so
                    // letting an earlier '*' swallow more cannot help either.
                    return NO_MATCH_SKIP;
                }
                case '?' -> {
                    si++;
                    sLen--;
                }
                case '[' -> {
                    pi++;
                    pLen--;
                    boolean not = pb(p, pi, pLen, 0) == '^';
                    if (not) {
                        pi++;
                        pLen--;
                    }
                    boolean match = false;
                    while (true) {
                        int c0 = pb(p, pi, pLen, 0);
                        if (c0 == '\\' && pLen >= 2) {
                            pi++;
                            pLen--;
                            if (pb(p, pi, pLen, 0) == sc) {
                                match = true;
                            }
                        } else if (c0 == ']') {
                            break;
                        } else if (pLen == 0) {
                            pi--;
                            pLen++;
                            break;
                        } else if (pLen >= 3 && pb(p, pi, pLen, 1) == '-') {
                            int start = c0;
                            int end = pb(p, pi, pLen, 2);
                            int c = sc;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = lower(start);
                                end = lower(end);
                                c = lower(c);
                            }
                            pi += 2;
                            pLen -= 2;
                            if (c >= start && c <= end) {
                                match = true;
                            }
                        } else if (nocase ? lower(c0) == lower(sc) : c0 == sc) {
                            match = true;
                        }
                        pi++;
                        pLen--;
                    }
                    if (not) {
                        match = !match;
                    }
                    if (!match) {
                        return NO_MATCH;
                    }
                    si++;
                    sLen--;
                }
                default -> {
                    if (pc == '\\' && pLen >= 2) {
                        pi++;
                        pLen--;
                        pc = pb(p, pi, pLen, 0);
                    }
                    if (nocase ? lower(pc) != lower(sc) : pc != sc) {
                        return NO_MATCH;
                    }
                    si++;
                    sLen--;
                }
            }
            pi++;
            pLen--;
            if (sLen == 0) {
                while (pb(p, pi, pLen, 0) == '*') {
                    pi++;
                    pLen--;
                }
                break;
            }
        }
        return pLen == 0 && sLen == 0 ? MATCH : NO_MATCH;
    }
}
