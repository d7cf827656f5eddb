package io.ferrite.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One dataset of the memory footprint benchmark: the commands that build it (command
 * {@code i} for {@code i} in {@code [0, count)}), the raw bytes each adds (keys, fields,
 * members and values, as the peers' figures in {@code ../shared/notes/collections.md} count
 * them), and the command whose integer reply proves it was all loaded.
 */
abstract class FootprintLoad {
    final String name;
    final String description;
    final String unit;
    final int count;

    FootprintLoad(String name, String description, String unit, int count) {
        this.name = name;
        this.description = description;
        this.unit = unit;
        this.count = count;
    }

    /** The arguments of command {@code i}, name first; the array may be reused. */
    abstract byte[][] command(int i);

    /** The raw bytes that command {@code i} adds. */
    abstract long rawBytes(int i);

    /** A command whose integer reply is the number of elements after loading {@code [0, n)}. */
    abstract String[] check();

    /** Raw bytes of commands {@code [from, to)}. */
    final long rawBytes(int from, int to) {
        long total = 0;
        for (int i = from; i < to; i++) {
            total += rawBytes(i);
        }
        return total;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static int digits(int i) {
        return Integer.toString(i).length();
    }

    /** {@code SET key:<i> <100 bytes>}: the strings target of MISSION.md. */
    static FootprintLoad strings(int keys) {
        byte[] value = new byte[Keyspace.VALUE_SIZE];
        Arrays.fill(value, (byte) 'v');
        byte[][] command = {ascii("SET"), null, value};
        return new FootprintLoad("strings", "`SET key:N <100 bytes>`", "key", keys) {
            byte[][] command(int i) {
                command[1] = TextValues.key(i);
                return command;
            }

            long rawBytes(int i) {
                return TextValues.keyLength(i) + Keyspace.VALUE_SIZE;
            }

            String[] check() {
                return new String[] {"DBSIZE"};
            }
        };
    }

    /** {@code HSET user:<i> name n<i> email <i>@x.io age <i%100> city c<i%1000>}: about 50 raw bytes per hash. */
    static FootprintLoad smallHashes(int hashes) {
        byte[][] command = {ascii("HSET"), null, ascii("name"), null, ascii("email"), null, ascii("age"), null,
                ascii("city"), null};
        return new FootprintLoad("small hashes", "`HSET user:N name nN email N@x.io age N%100 city cN%1000`", "hash", hashes) {
            byte[][] command(int i) {
                command[1] = ascii("user:" + i);
                command[3] = ascii("n" + i);
                command[5] = ascii(i + "@x.io");
                command[7] = ascii(Integer.toString(i % 100));
                command[9] = ascii("c" + i % 1000);
                return command;
            }

            long rawBytes(int i) {
                return (5 + digits(i)) + (4 + 1 + digits(i)) + (5 + digits(i) + 5) + (3 + digits(i % 100))
                        + (4 + 1 + digits(i % 1000));
            }

            String[] check() {
                return new String[] {"DBSIZE"};
            }
        };
    }

    /** {@code HSET bighash f<i> v<i>}: one hash of {@code fields} fields. */
    static FootprintLoad bigHash(int fields) {
        byte[][] command = {ascii("HSET"), ascii("bighash"), null, null};
        return new FootprintLoad("one large hash", "`HSET bighash fN vN`", "field", fields) {
            byte[][] command(int i) {
                command[2] = ascii("f" + i);
                command[3] = ascii("v" + i);
                return command;
            }

            long rawBytes(int i) {
                return 2L * (1 + digits(i));
            }

            String[] check() {
                return new String[] {"HLEN", "bighash"};
            }
        };
    }

    /** {@code SADD bigset m<i>}: one set of {@code members} members. */
    static FootprintLoad bigSet(int members) {
        byte[][] command = {ascii("SADD"), ascii("bigset"), null};
        return new FootprintLoad("one large set", "`SADD bigset mN`", "member", members) {
            byte[][] command(int i) {
                command[2] = ascii("m" + i);
                return command;
            }

            long rawBytes(int i) {
                return 1 + digits(i);
            }

            String[] check() {
                return new String[] {"SCARD", "bigset"};
            }
        };
    }
}
