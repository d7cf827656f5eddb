package io.ferrite.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One case of {@link TieredLoad}: a dataset, a workload and the server arguments to run it
 * with, parsed from a {@code --case} spec of comma-separated {@code key=value} pairs:
 * <pre>
 *   name=tiered,keys=1300000,value=500,dist=zipfian,get=0.9,vs=memory,args=--maxmemory 64mb
 * </pre>
 * {@code args} must come last and takes the rest of the spec, commas included; it is split
 * into words at blanks, with single or double quotes grouping (so {@code --save ''} works).
 * Quotes around any value are dropped, so {@code args="--maxmemory 0"} may be written either
 * way. Omitted keys take the defaults given on the command line. {@code vs} names the
 * in-memory case to compare throughput with; without it, the comparison is with the first
 * in-memory case (no {@code --maxmemory}, or {@code --maxmemory 0}) of the same dataset,
 * distribution and GET ratio.
 *
 * @param name       label in the report
 * @param keys       number of keys, {@code key:0 .. key:<keys-1>}
 * @param valueSize  bytes per value
 * @param dist       how the run phase picks keys
 * @param getRatio   share of GETs in the run phase (the rest are SETs)
 * @param serverArgs server arguments appended after the benchmark's own
 * @param vs         the case to compare throughput with, or null to find it
 */
record LoadCase(String name, int keys, int valueSize, KeyDistribution dist, double getRatio,
                List<String> serverArgs, String vs) {

    /** The values a spec's omitted keys take. */
    record Defaults(int keys, int valueSize, KeyDistribution dist, double getRatio) {}

    LoadCase {
        if (keys < 2) {
            throw new IllegalArgumentException(name + ": keys must be at least 2");
        }
        if (valueSize < TextValues.minimumSize(keys)) {
            throw new IllegalArgumentException(name + ": value must be at least " + TextValues.minimumSize(keys)
                    + " bytes for " + keys + " keys (the value starts with its key and generation)");
        }
        if (getRatio < 0 || getRatio > 1) {
            throw new IllegalArgumentException(name + ": get must be between 0 and 1");
        }
        serverArgs = List.copyOf(serverArgs);
    }

    static LoadCase parse(String spec, int index, Defaults defaults) {
        String name = "case" + index;
        int keys = defaults.keys();
        int value = defaults.valueSize();
        KeyDistribution dist = defaults.dist();
        double get = defaults.getRatio();
        List<String> args = List.of();
        String vs = null;
        int p = 0;
        while (p < spec.length()) {
            int eq = spec.indexOf('=', p);
            if (eq < 0) {
                throw new IllegalArgumentException("case spec '" + spec + "': expected key=value at '" + spec.substring(p) + "'");
            }
            String key = spec.substring(p, eq).trim();
            int end = key.equals("args") ? spec.length() : commaOrEnd(spec, eq + 1);
            String v = unquote(spec.substring(eq + 1, end).trim());
            p = end + 1;
            switch (key) {
                case "name" -> name = v;
                case "keys" -> keys = parseCount(v);
                case "value" -> value = parseCount(v);
                case "dist" -> dist = KeyDistribution.of(v);
                case "get" -> get = Double.parseDouble(v);
                case "vs" -> vs = v;
                case "args" -> args = words(v);
                default -> throw new IllegalArgumentException("case spec '" + spec + "': unknown key '" + key
                        + "' (name, keys, value, dist, get, vs, args)");
            }
        }
        return new LoadCase(name, keys, value, dist, get, args, vs);
    }

    /** True when the server args set no memory limit, so the whole dataset stays in memory. */
    boolean inMemory() {
        int i = serverArgs.lastIndexOf("--maxmemory");
        return i < 0 || i + 1 >= serverArgs.size() || serverArgs.get(i + 1).toLowerCase(Locale.ROOT).matches("0+[a-z]*");
    }

    /** Keys and values added up, as a client would count them. */
    long rawBytes() {
        return Keyspace.rawKeyBytes(keys) + (long) keys * valueSize;
    }

    /** Whether {@code other} is an in-memory run of the same data and workload as this case. */
    boolean isBaselineFor(LoadCase other) {
        return this != other && inMemory() && keys == other.keys && valueSize == other.valueSize
                && dist == other.dist && getRatio == other.getRatio;
    }

    String argsText() {
        return Shell.join(serverArgs);
    }

    /** A count; underscores may separate digit groups ({@code 1_300_000}), commas cannot: they end a value. */
    private static int parseCount(String text) {
        return Integer.parseInt(text.replace("_", ""));
    }

    private static int commaOrEnd(String spec, int from) {
        int comma = spec.indexOf(',', from);
        return comma < 0 ? spec.length() : comma;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** Splits at blanks; single or double quotes group words and may enclose nothing ({@code ''}). */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced quote in args: " + text);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
