package io.ferrite.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How one kind of directive value is read, shown and written back, with Redis 7's exact
 * refusal texts (config.c). {@code T} is the Java value CONFIG GET and the server see.
 */
public sealed interface ValueType<T> {

    /**
     * Reads {@code args} (one element for single-argument directives), given the directive's
     * {@code current} value (only client-output-buffer-limit merges into it).
     */
    T parse(List<String> args, T current) throws InvalidValueException;

    /** The value as CONFIG GET shows it. */
    String show(T value);

    /** The argument text of each line CONFIG REWRITE writes for this value (after the directive name). */
    default List<String> rewrite(T value) {
        return List.of(show(value));
    }

    /** True if the directive takes several arguments (in a file) or a space-separated list (in CONFIG SET). */
    default boolean multiArg() {
        return false;
    }

    /** Combines a value with one set by an earlier line of the same config file (only save accumulates). */
    default T combineInFile(T earlier, T next) {
        return next;
    }

    /** A signed integer in {@code [min, max]}, written with string2ll's strict rules. */
    record IntegerType(long min, long max) implements ValueType<Long> {
        @Override
        public Long parse(List<String> args, Long current) throws InvalidValueException {
            Long value = ConfigSyntax.parseLong(args.getFirst());
            if (value == null) {
                throw new InvalidValueException("argument couldn't be parsed into an integer");
            }
            return checkRange(value, min, max);
        }

        @Override
        public String show(Long value) {
            return Long.toString(value);
        }
    }

    /**
     * An integer in {@code [min, max]}, then clamped into {@code [low, high]}: Redis takes hz
     * as a hint and stores (and shows) it capped to 1..500.
     */
    record ClampedIntegerType(long min, long max, long low, long high) implements ValueType<Long> {
        @Override
        public Long parse(List<String> args, Long current) throws InvalidValueException {
            long value = new IntegerType(min, max).parse(args, current);
            return Math.max(low, Math.min(high, value));
        }

        @Override
        public String show(Long value) {
            return Long.toString(value);
        }
    }

    /**
     * A byte count ("1gb", "512mb", "100k"...) in {@code [min, max]}. With {@code percent},
     * "N%" is accepted too and kept, as Redis does, as the negative number -N.
     */
    record MemoryType(long min, long max, boolean percent) implements ValueType<Long> {
        @Override
        public Long parse(List<String> args, Long current) throws InvalidValueException {
            String text = args.getFirst();
            long bytes = MemorySize.parse(text);
            if (bytes >= 0) {
                return checkRange(bytes, min, max);
            }
            if (percent && text.length() > 1 && text.endsWith("%")) {
                Long share = ConfigSyntax.parseLong(text.substring(0, text.length() - 1));
                if (share != null && share >= 0) {
                    if (share > 100) {
                        throw new InvalidValueException("percentage argument must be less or equal to 100");
                    }
                    return -share;
                }
            }
            throw new InvalidValueException(percent
                    ? "argument must be a memory or percent value" : "argument must be a memory value");
        }

        @Override
        public String show(Long value) {
            return value < 0 ? -value + "%" : Long.toString(value);
        }

        @Override
        public List<String> rewrite(Long value) {
            return List.of(value < 0 ? -value + "%" : MemorySize.format(value));
        }
    }

    /** yes/no; {@code required}, if not null, is the only value Ferrite accepts (with {@code reason} otherwise). */
    record BooleanType(Boolean required, String reason) implements ValueType<Boolean> {
        public static final BooleanType ANY = new BooleanType(null, null);

        @Override
        public Boolean parse(List<String> args, Boolean current) throws InvalidValueException {
            String text = args.getFirst();
            boolean value;
            if (text.equalsIgnoreCase("yes")) {
                value = true;
            } else if (text.equalsIgnoreCase("no")) {
                value = false;
            } else {
                throw new InvalidValueException("argument must be 'yes' or 'no'");
            }
            if (required != null && value != required) {
                throw new InvalidValueException(reason);
            }
            return value;
        }

        @Override
        public String show(Boolean value) {
            return value ? "yes" : "no";
        }
    }

    /** Free text; REWRITE quotes it like sdscatrepr. */
    record StringType() implements ValueType<String> {
        @Override
        public String parse(List<String> args, String current) {
            return args.getFirst();
        }

        @Override
        public String show(String value) {
            return value;
        }

        @Override
        public List<String> rewrite(String value) {
            return List.of(ConfigSyntax.quote(value));
        }
    }

    /** One of {@code names}, case-insensitive; shown in its canonical spelling. */
    record EnumType(List<String> names) implements ValueType<String> {
        public EnumType {
            names = List.copyOf(names);
        }

        @Override
        public String parse(List<String> args, String current) throws InvalidValueException {
            if (args.size() == 1) {
                for (String name : names) {
                    if (name.equalsIgnoreCase(args.getFirst())) {
                        return name;
                    }
                }
            }
            throw new InvalidValueException("argument(s) must be one of the following: " + String.join(", ", names));
        }

        @Override
        public String show(String value) {
            return value;
        }
    }

    /** The save schedule: pairs of seconds (>= 1) and changes (>= 0); "" for none. Lines in a file accumulate. */
    record SaveType() implements ValueType<List<SavePoint>> {
        @Override
        public List<SavePoint> parse(List<String> args, List<SavePoint> current) throws InvalidValueException {
            List<String> values = args.size() == 1 && args.getFirst().isEmpty() ? List.of() : args;
            if (values.size() % 2 != 0) {
                throw new InvalidValueException("Invalid save parameters");
            }
            List<SavePoint> points = new ArrayList<>();
            for (int i = 0; i < values.size(); i += 2) {
                Long seconds = ConfigSyntax.parseStrtoll(values.get(i));
                Long changes = ConfigSyntax.parseStrtoll(values.get(i + 1));
                if (seconds == null || changes == null || seconds < 1 || changes < 0) {
                    throw new InvalidValueException("Invalid save parameters");
                }
                points.add(new SavePoint(seconds, changes));
            }
            return List.copyOf(points);
        }

        @Override
        public String show(List<SavePoint> value) {
            return value.stream().map(p -> p.seconds() + " " + p.changes()).collect(Collectors.joining(" "));
        }

        @Override
        public List<String> rewrite(List<SavePoint> value) {
            if (value.isEmpty()) {
                return List.of("\"\"");
            }
            return value.stream().map(p -> p.seconds() + " " + p.changes()).toList();
        }

        @Override
        public boolean multiArg() {
            return true;
        }

        @Override
        public List<SavePoint> combineInFile(List<SavePoint> earlier, List<SavePoint> next) {
            if (next.isEmpty()) {
                return next; // save "" clears the schedule wherever it appears, as in Redis
            }
            List<SavePoint> all = new ArrayList<>(earlier);
            all.addAll(next);
            return List.copyOf(all);
        }
    }

    /** {@code <class> <hard> <soft> <seconds>} groups; classes not named keep their limits. */
    record OutputBufferLimitType() implements ValueType<OutputBufferLimits> {
        @Override
        public OutputBufferLimits parse(List<String> args, OutputBufferLimits current) throws InvalidValueException {
            if (args.size() % 4 != 0) {
                throw new InvalidValueException("Wrong number of arguments in buffer limit configuration.");
            }
            OutputBufferLimits result = current;
            for (int i = 0; i < args.size(); i += 4) {
                int classIndex = switch (args.get(i).toLowerCase(Locale.ROOT)) {
                    case "normal" -> 0;
                    case "slave", "replica" -> 1;
                    case "pubsub" -> 2;
                    default -> -1;
                };
                if (classIndex < 0) {
                    throw new InvalidValueException("Invalid client class specified in buffer limit configuration.");
                }
                long hard = MemorySize.parse(args.get(i + 1));
                long soft = MemorySize.parse(args.get(i + 2));
                Long seconds = ConfigSyntax.parseStrtoll(args.get(i + 3));
                if (hard < 0 || soft < 0 || seconds == null || seconds < 0) {
                    throw new InvalidValueException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
                }
                result = result.with(classIndex, new OutputBufferLimit(hard, soft, seconds));
            }
            return result;
        }

        @Override
        public String show(OutputBufferLimits value) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < OutputBufferLimits.CLASSES.size(); i++) {
                OutputBufferLimit limit = value.get(i);
                if (i > 0) {
                    text.append(' ');
                }
                text.append(OutputBufferLimits.CLASSES.get(i)).append(' ').append(limit.hardBytes()).append(' ')
                        .append(limit.softBytes()).append(' ').append(limit.softSeconds());
            }
            return text.toString();
        }

        @Override
        public List<String> rewrite(OutputBufferLimits value) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < OutputBufferLimits.CLASSES.size(); i++) {
                OutputBufferLimit limit = value.get(i);
                lines.add(OutputBufferLimits.CLASSES.get(i) + " " + MemorySize.format(limit.hardBytes()) + " "
                        + MemorySize.format(limit.softBytes()) + " " + limit.softSeconds());
            }
            return lines;
        }

        @Override
        public boolean multiArg() {
            return true;
        }
    }

    /** notify-keyspace-events: classes of events as letters, kept in Redis's canonical order. */
    record KeyspaceEventsType() implements ValueType<String> {
        /** The classes 'A' stands for, in the order Redis prints them. */
        private static final String ALL = "g$lshzxetd";

        @Override
        public String parse(List<String> args, String current) throws InvalidValueException {
            String text = args.getFirst();
            boolean[] seen = new boolean[128];
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if ("Ag$lshzxeKEtmdn".indexOf(c) < 0) {
                    throw new InvalidValueException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                }
                if (c == 'm') {
                    throw new InvalidValueException("key-miss events ('m') are not supported by Ferrite");
                }
                if (c == 'A') {
                    ALL.chars().forEach(a -> seen[a] = true);
                } else {
                    seen[c] = true;
                }
            }
            StringBuilder canonical = new StringBuilder();
            if (ALL.chars().allMatch(a -> seen[a])) {
                canonical.append('A');
            } else {
                for (char c : (ALL + "n").toCharArray()) {
                    if (seen[c]) {
                        canonical.append(c);
                    }
                }
            }
            if (seen['n'] && canonical.charAt(0) == 'A') {
                canonical.append('n');
            }
            for (char c : "KEm".toCharArray()) {
                if (seen[c]) {
                    canonical.append(c);
                }
            }
            return canonical.toString();
        }

        @Override
        public String show(String value) {
            return value;
        }

        @Override
        public List<String> rewrite(String value) {
            return List.of(ConfigSyntax.quote(value));
        }
    }

    /** bind: up to 16 addresses; a leading '-' marks one that may be unavailable; "" for none. */
    record BindType() implements ValueType<List<String>> {
        private static final int MAX_ADDRESSES = 16;

        @Override
        public List<String> parse(List<String> args, List<String> current) throws InvalidValueException {
            if (args.size() > MAX_ADDRESSES) {
                throw new InvalidValueException("Too many bind addresses specified.");
            }
            if (args.size() == 1 && args.getFirst().isEmpty()) {
                return List.of();
            }
            return List.copyOf(args);
        }

        @Override
        public String show(List<String> value) {
            return String.join(" ", value);
        }

        @Override
        public boolean multiArg() {
            return true;
        }
    }

    private static long checkRange(long value, long min, long max) throws InvalidValueException {
        if (value < min || value > max) {
            throw new InvalidValueException("argument must be between " + min + " and " + max + " inclusive");
        }
        return value;
    }
}
