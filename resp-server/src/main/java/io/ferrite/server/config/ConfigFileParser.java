package io.ferrite.server.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Loads redis.conf syntax into a {@link ServerConfig}, as redis-server does: one
 * {@code directive arg...} per line, {@code #} comments, arguments quoted like
 * {@code sdssplitargs}, {@code include FILE}, later lines overriding earlier ones (save lines
 * accumulating). The first bad line stops the load with a {@link ConfigFileException} whose
 * message is Redis's fatal report.
 *
 * <p>Files are read as bytes: {@code \xHH} escapes and raw UTF-8 both end up as the same
 * UTF-8 text.
 */
public final class ConfigFileParser {
    private static final Logger log = LoggerFactory.getLogger(ConfigFileParser.class);
    /** Guards against include cycles; Redis has none and would recurse until it crashed. */
    private static final int MAX_INCLUDE_DEPTH = 16;

    private final ServerConfig config;
    /** Directives set earlier in this load (so repeated save lines accumulate). */
    private final Set<Directive<?>> seen = new HashSet<>();
    private int includeDepth;

    public ConfigFileParser(ServerConfig config) {
        this.config = config;
    }

    /**
     * Loads {@code file} (if present) followed by {@code options}, config lines from the
     * command line (see {@link ServerArguments}); like redis-server, the options are parsed as
     * if appended to the file, so they win and their line numbers continue the file's.
     */
    public void load(Optional<Path> file, String options) {
        StringBuilder text = new StringBuilder();
        file.ifPresent(path -> text.append(readLatin1(path)));
        if (!options.isEmpty()) {
            text.append('\n').append(new String(options.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
        loadLatin1(text.toString());
    }

    /** Loads config lines given as text (e.g. from a test or an embedded default). */
    public void loadText(String text) {
        loadLatin1(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    private static String readLatin1(Path path) {
        try {
            return new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException("Fatal error, can't open config file '" + path + "': No such file or directory", e);
        } catch (IOException e) {
            throw new ConfigFileException("Fatal error, can't open config file '" + path + "': " + e.getMessage(), e);
        }
    }

    /** Parses text whose chars are bytes (Latin-1), line by line. */
    private void loadLatin1(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = strip(lines[i]);
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            String reason = loadLine(line);
            if (reason != null) {
                throw new ConfigFileException(i + 1, ConfigSyntax.latin1ToUtf8(line), reason);
            }
        }
    }

    /** Applies one non-empty, non-comment line; returns Redis's reason text if it is refused. */
    private String loadLine(String line) {
        List<String> raw = ConfigSyntax.splitArgs(line);
        if (raw == null) {
            return "Unbalanced quotes in configuration line";
        }
        if (raw.isEmpty()) {
            return null;
        }
        List<String> argv = new ArrayList<>(raw.size());
        raw.forEach(arg -> argv.add(ConfigSyntax.latin1ToUtf8(arg)));
        String name = argv.getFirst().toLowerCase(Locale.ROOT);
        List<String> args = argv.subList(1, argv.size());
        Optional<Directive<?>> directive = config.find(name);
        if (directive.isPresent()) {
            return apply(directive.get(), args);
        }
        if (name.equals("include") && args.size() == 1) {
            include(Path.of(args.getFirst()));
            return null;
        }
        if (IgnoredDirectives.NAMES.contains(name)) {
            log.warn("Ignoring config directive '{}': it has no effect in Ferrite", name);
            return null;
        }
        return "Bad directive or wrong number of arguments";
    }

    private String apply(Directive<?> directive, List<String> args) {
        List<String> values = args;
        if (!directive.type().multiArg()) {
            if (args.size() != 1) {
                return "wrong number of arguments";
            }
        } else if (args.size() == 1 && !args.getFirst().isEmpty()) {
            // "--save '900 1 300 10'" on the command line arrives as one argument: split it.
            values = ConfigSyntax.splitArgs(args.getFirst());
            if (values == null) {
                return "Unbalanced quotes in configuration line";
            }
        }
        try {
            config.load(directive, values, !seen.add(directive));
            return null;
        } catch (InvalidValueException e) {
            return e.getMessage();
        }
    }

    private void include(Path path) {
        if (++includeDepth > MAX_INCLUDE_DEPTH) {
            throw new ConfigFileException("Fatal error, config file include depth exceeds " + MAX_INCLUDE_DEPTH
                    + " (include cycle?) at '" + path + "'", null);
        }
        try {
            loadLatin1(readLatin1(path));
        } finally {
            includeDepth--;
        }
    }

    /** sdstrim(line, " \t\r\n"). */
    private static String strip(String line) {
        int start = 0;
        int end = line.length();
        while (start < end && isTrimmed(line.charAt(start))) {
            start++;
        }
        while (end > start && isTrimmed(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(start, end);
    }

    private static boolean isTrimmed(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
