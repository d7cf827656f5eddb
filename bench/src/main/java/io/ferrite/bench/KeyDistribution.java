package io.ferrite.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * How the run phase picks the key of each command, by the name used in a case spec:
 * {@code uniform}; {@code zipfian}, YCSB's scrambled Zipfian (theta 0.99, hot keys scattered
 * over the keyspace, as YCSB's {@code requestdistribution=zipfian} does); and
 * {@code zipfian-ranked}, the plain Zipfian where {@code key:0} is the hottest key and
 * popularity falls with the key number, so the hot keys are the ones loaded first.
 */
enum KeyDistribution {
    UNIFORM("uniform"),
    ZIPFIAN("zipfian"),
    ZIPFIAN_RANKED("zipfian-ranked");

    /** Picks a key number; called from one load thread with that thread's random source. */
    interface Chooser {
        int next(SplittableRandom random);
    }

    private final String label;

    KeyDistribution(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    boolean zipfian() {
        return this != UNIFORM;
    }

    /** A chooser over keys {@code 0 .. keys-1}; {@code zipfian} is asked for only when needed. */
    Chooser chooser(int keys, Supplier<ZipfianGenerator> zipfian) {
        return switch (this) {
            case UNIFORM -> random -> random.nextInt(keys);
            case ZIPFIAN -> {
                ZipfianGenerator generator = zipfian.get();
                yield random -> (int) generator.nextScrambled(random);
            }
            case ZIPFIAN_RANKED -> {
                ZipfianGenerator generator = zipfian.get();
                yield random -> (int) generator.nextRank(random);
            }
        };
    }

    static KeyDistribution of(String label) {
        for (KeyDistribution d : values()) {
            if (d.label.equals(label)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown distribution '" + label + "' (one of "
                + Arrays.stream(values()).map(KeyDistribution::label).toList() + ")");
    }
}
