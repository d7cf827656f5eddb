package io.ferrite.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The command line, read like redis-server reads its own: an optional config file path
 * first, then {@code --directive value...} overrides, where the words after {@code --name}
 * up to the next {@code --} form the value ({@code --save 900 1 300 10}, {@code --save ""},
 * {@code --port 7000}). Ferrite also accepts {@code --config FILE} anywhere.
 *
 * <p>The overrides become config lines ({@link #options()}) that
 * {@link ConfigFileParser#load} parses after the file, so they win.
 *
 * @param configFile the config file, if one was given
 * @param options    the overrides as redis.conf lines, one per directive
 */
public record ServerArguments(Optional<Path> configFile, String options) {

    public ServerArguments {
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(options, "options");
    }

    /** Parses {@code args} (without the program name). */
    public static ServerArguments parse(List<String> args) {
        Path configFile = null;
        int j = 0;
        int n = args.size();
        if (n > 0 && !args.getFirst().startsWith("-")) {
            configFile = Path.of(args.getFirst());
            j = 1;
        }
        StringBuilder options = new StringBuilder();
        // False right after a bare "--name": the next word is its value even if it starts with "--".
        boolean handledLastConfigArg = true;
        for (; j < n; j++) {
            String arg = args.get(j);
            if (arg.equals("-") && (j == 0 || j == n - 1)) {
                throw new IllegalArgumentException("reading the configuration from standard input ('-') is not supported");
            }
            if (handledLastConfigArg && arg.startsWith("--")) {
                if (arg.equals("--config")) {
                    if (j + 1 >= n) {
                        throw new IllegalArgumentException("--config needs a file name");
                    }
                    configFile = Path.of(args.get(++j));
                    continue;
                }
                if (!options.isEmpty()) {
                    options.append('\n');
                }
                options.append(arg, 2, arg.length()).append(' ');
                List<String> words = ConfigSyntax.splitArgs(arg);
                if (words != null && words.size() == 1) {
                    handledLastConfigArg = false;
                    boolean save = arg.equalsIgnoreCase("--save");
                    // "--save" followed by another option or by nothing means "--save ''",
                    // as command lines generated from an empty list look like that.
                    if (save && (j == n - 1 || args.get(j + 1).startsWith("--"))) {
                        options.append("\"\"");
                        handledLastConfigArg = true;
                    }
                } else {
                    handledLastConfigArg = true; // "--port 6380" passed as one word
                }
            } else {
                options.append(ConfigSyntax.quote(arg)).append(' ');
                handledLastConfigArg = true;
            }
        }
        return new ServerArguments(Optional.ofNullable(configFile), options.toString());
    }

    /** Parses {@code args} (without the program name). */
    public static ServerArguments parse(String... args) {
        return parse(List.of(args));
    }
}
