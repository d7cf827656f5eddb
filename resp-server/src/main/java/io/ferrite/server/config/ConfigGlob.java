package io.ferrite.server.config;

import java.util.Locale;

/**
 * Redis glob matching ({@code stringmatchlen}), case-insensitive as CONFIG GET uses it:
 * {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]} and {@code \} escapes. A private copy
 * so the config package does not depend on the engine's string utilities.
 *
 * <p>Every token but {@code *} matches exactly one character, so the classic two-pointer
 * algorithm (backtrack only to the last star) is exact and runs in O(pattern x text), with
 * none of the exponential blow-up of naive recursion on patterns like {@code *a*a*a*b}.
 */
final class ConfigGlob {
    private ConfigGlob() {
    }

    static boolean matches(String pattern, String text) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String s = text.toLowerCase(Locale.ROOT);
        int pi = 0;
        int si = 0;
        int starPattern = -1;
        int starText = -1;
        while (si < s.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                starPattern = pi++;
                starText = si;
                continue;
            }
            int next = pi < p.length() ? matchOne(p, pi, s.charAt(si)) : -1;
            if (next >= 0) {
                pi = next;
                si++;
            } else if (starPattern >= 0) {
                pi = starPattern + 1; // let the last star swallow one more character
                si = ++starText;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    /** If the token at {@code pi} matches {@code c}, the index after the token; otherwise -1. */
    private static int matchOne(String p, int pi, char c) {
        char token = p.charAt(pi);
        switch (token) {
            case '?' -> {
                return pi + 1;
            }
            case '\\' -> {
                if (pi + 1 < p.length()) {
                    pi++;
                }
                return p.charAt(pi) == c ? pi + 1 : -1;
            }
            case '[' -> {
                pi++;
                boolean not = pi < p.length() && p.charAt(pi) == '^';
                if (not) {
                    pi++;
                }
                boolean found = false;
                while (pi < p.length() && p.charAt(pi) != ']') {
                    if (p.charAt(pi) == '\\' && pi + 1 < p.length()) {
                        pi++;
                        found |= p.charAt(pi) == c;
                    } else if (pi + 2 < p.length() && p.charAt(pi + 1) == '-') {
                        char lo = (char) Math.min(p.charAt(pi), p.charAt(pi + 2));
                        char hi = (char) Math.max(p.charAt(pi), p.charAt(pi + 2));
                        found |= c >= lo && c <= hi;
                        pi += 2;
                    } else {
                        found |= p.charAt(pi) == c;
                    }
                    pi++;
                }
                // An unterminated class ends the pattern, as in Redis.
                return found != not ? Math.min(pi + 1, p.length()) : -1;
            }
            default -> {
                return token == c ? pi + 1 : -1;
            }
        }
    }
}
