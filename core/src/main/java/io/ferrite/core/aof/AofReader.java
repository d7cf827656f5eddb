package io.ferrite.core.aof;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an append-only file strictly, command by command, as Redis's loader and
 * {@code redis-check-aof} do: RESP arrays of bulk strings, with Redis's {@code #} annotation
 * lines skipped. It never guesses past a problem: it reports how far the file is valid and
 * whether what follows is a cut-off last command (a crash mid-write) or something else
 * (corruption), and the caller decides what to do about it.
 */
public final class AofReader {
    /** Longest argument accepted (Redis's proto-max-bulk-len ceiling). */
    private static final long MAX_ARG = 512L * 1024 * 1024;
    private static final int MAX_ARGC = 1 << 24;

    /** Receives each complete command; {@code end} is the offset just past it. */
    @FunctionalInterface
    public interface CommandVisitor {
        void command(byte[][] argv, long end) throws Exception;
    }

    /**
     * How a read ended.
     *
     * @param commands  complete commands read
     * @param validUpTo offset just past the last complete command (the file's size when clean)
     * @param size      the file's size
     * @param truncated true when the bytes after {@code validUpTo} are the start of a command
     *                  the file ends in the middle of
     * @param problem   null when the whole file was read; otherwise what was wrong
     */
    public record Outcome(long commands, long validUpTo, long size, boolean truncated, String problem) {
        public boolean clean() {
            return problem == null;
        }
    }

    private final InputStream in;
    private final long size;
    private long offset;

    private AofReader(InputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    /** Reads every command of {@code file}, stopping at the first problem (reported, not thrown). */
    public static Outcome read(Path file, CommandVisitor visitor) throws Exception {
        long size = Files.size(file);
        // Read only the bytes the file had when opened (a device such as /dev/full never ends).
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            return new AofReader(new Limited(in, size), size).readAll(visitor);
        }
    }

    /** Checks {@code file} without acting on its commands. */
    public static Outcome check(Path file) throws Exception {
        return read(file, (argv, end) -> { });
    }

    private Outcome readAll(CommandVisitor visitor) throws Exception {
        long commands = 0;
        long valid = 0;
        while (true) {
            int first = in.read();
            if (first < 0) {
                return new Outcome(commands, valid, size, false, null);
            }
            offset++;
            if (first == '#') {
                if (!skipLine()) {
                    return new Outcome(commands, valid, size, true, "the file ends inside an annotation");
                }
                valid = offset;
                continue;
            }
            if (first != '*') {
                String problem = commands == 0 && first == 'R'
                        ? "the file starts like an RDB file (an RDB preamble, which Ferrite does not read yet)"
                        : "expected '*' (the start of a command), found " + describe(first);
                return new Outcome(commands, valid, size, false, problem);
            }
            byte[][] argv;
            try {
                long argc = number();
                if (argc < 1 || argc > MAX_ARGC) {
                    return new Outcome(commands, valid, size, false, "invalid argument count " + argc);
                }
                argv = new byte[(int) argc][];
                for (int i = 0; i < argc; i++) {
                    int marker = in.read();
                    if (marker < 0) {
                        throw new Truncated();
                    }
                    offset++;
                    if (marker != '$') {
                        return new Outcome(commands, valid, size, false, "expected '$' (an argument), found " + describe(marker));
                    }
                    long length = number();
                    if (length < 0 || length > MAX_ARG) {
                        return new Outcome(commands, valid, size, false, "invalid argument length " + length);
                    }
                    if (offset + length + 2 > size) {
                        throw new Truncated();
                    }
                    argv[i] = in.readNBytes((int) length);
                    offset += length;
                    if (argv[i].length != length) {
                        throw new Truncated();
                    }
                    if (!crlf()) {
                        return new Outcome(commands, valid, size, false, "an argument not followed by CRLF");
                    }
                }
            } catch (Truncated t) {
                return new Outcome(commands, valid, size, true, "the last command is cut off");
            } catch (BadNumber b) {
                return new Outcome(commands, valid, size, false, b.getMessage());
            }
            visitor.command(argv, offset);
            commands++;
            valid = offset;
        }
    }

    /** Reads digits up to CRLF. */
    private long number() throws IOException, Truncated, BadNumber {
        long value = 0;
        int digits = 0;
        boolean negative = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new Truncated();
            }
            offset++;
            if (b == '\r') {
                int lf = in.read();
                if (lf < 0) {
                    throw new Truncated();
                }
                offset++;
                if (lf != '\n' || digits == 0) {
                    throw new BadNumber("a malformed length line");
                }
                return negative ? -value : value;
            }
            if (b == '-' && digits == 0 && !negative) {
                negative = true;
                continue;
            }
            if (b < '0' || b > '9' || digits >= 18) {
                throw new BadNumber("a malformed length line (found " + describe(b) + ")");
            }
            value = value * 10 + (b - '0');
            digits++;
        }
    }

    private boolean crlf() throws IOException, Truncated {
        int cr = in.read();
        int lf = cr < 0 ? -1 : in.read();
        if (cr < 0 || lf < 0) {
            throw new Truncated();
        }
        offset += 2;
        return cr == '\r' && lf == '\n';
    }

    private boolean skipLine() throws IOException {
        int b;
        while ((b = in.read()) >= 0) {
            offset++;
            if (b == '\n') {
                return true;
            }
        }
        return false;
    }

    private static String describe(int b) {
        return b >= 32 && b < 127 ? "'" + (char) b + "'" : String.format("byte 0x%02x", b);
    }

    /** At most {@code limit} bytes of {@code in}. */
    private static final class Limited extends java.io.FilterInputStream {
        private long left;

        Limited(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    private static final class Truncated extends Exception {
        Truncated() {
            super(null, null, false, false);
        }
    }

    private static final class BadNumber extends Exception {
        BadNumber(String message) {
            super(message, null, false, false);
        }
    }
}
