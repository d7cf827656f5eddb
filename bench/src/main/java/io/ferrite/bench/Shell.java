package io.ferrite.bench;

import java.util.List;
import java.util.regex.Pattern;

/** Command lines written so that they can be pasted into a POSIX shell as they are. */
final class Shell {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:,@%+-]+");

    private Shell() {}

    /** The word as is when it needs no quoting, else in single quotes ({@code ''} when empty). */
    static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    static String join(List<String> words) {
        return String.join(" ", words.stream().map(Shell::quote).toList());
    }
}
