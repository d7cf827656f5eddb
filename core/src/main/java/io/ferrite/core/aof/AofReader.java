package io.ferrite.core.aof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads an append-only file strictly, command by command, as Redis's loader and
 * {@code redis-check-aof} do: RESP arrays of bulk strings, with Redis's {@code #} annotation
 * lines skipped. It never guesses past a problem: it reports how far the file is valid and
 * whether what follows is a cut-off last command (a crash mid-write) or something else
 * (corruption), and the caller decides what to do about it. Commands are handed over as views
 * into one large read buffer, so loading copies nothing per argument.
 */
public final class AofReader {
    /** Longest argument accepted (Redis's proto-max-bulk-len ceiling). */
    private static final long MAX_ARG = 512L * 1024 * 1024;
    private static final int MAX_ARGC = 1 << 24;
    private static final int BUFFER = 4 << 20;

    /** Receives each complete command; {@code end} is the file offset just past it. */
    @FunctionalInterface
    public interface CommandVisitor {
        void command(Command command, long end) throws Exception;
    }

    /** One command, as views into the reader's buffer: valid only during {@link CommandVisitor#command}. */
    public static final class Command {
        private ByteBuffer data;
        private int base;
        private int argc;
        private int[] offsets = new int[16];
        private int[] lengths = new int[16];

        public int argc() { return argc; }

        /** The (direct) buffer holding the arguments; read it with absolute indices. */
        public ByteBuffer data() { return data; }

        /** Index in {@link #data()} of argument {@code i}'s first byte. */
        public int offset(int i) { return base + offsets[i]; }

        public int length(int i) { return lengths[i]; }

        /** True when the command is {@code word} (ASCII, any case) with no arguments. */
        public boolean is(String word) {
            if (argc != 1 || lengths[0] != word.length()) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                int c = data.get(offset(0) + i);
                if (Character.toUpperCase(c) != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** Argument {@code i}, copied. */
        public byte[] arg(int i) {
            byte[] copy = new byte[lengths[i]];
            data.get(offset(i), copy);
            return copy;
        }

        private void add(int relativeOffset, int length) {
            if (argc == offsets.length) {
                offsets = Arrays.copyOf(offsets, argc * 2);
                lengths = Arrays.copyOf(lengths, argc * 2);
            }
            offsets[argc] = relativeOffset;
            lengths[argc] = length;
            argc++;
        }
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

    private final FileChannel channel;
    private final long size;
    /** Direct: the engine hashes and copies keys and values straight from it (native segments). */
    private ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
    /** File offset of {@code buf[0]}. */
    private long bufStart;
    private int pos;
    private int limit;
    /** Start of the command being parsed: refills keep the buffer from here on. */
    private int mark;
    private final Command command = new Command();
    /** File offset of the MULTI of a transaction whose EXEC has not been read yet; -1 outside one. */
    private long multiAt = -1;
    /** Commands read since that MULTI, itself included. */
    private long multiCommands;

    private AofReader(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    /** Reads every command of {@code file}, stopping at the first problem (reported, not thrown). */
    public static Outcome read(Path file, CommandVisitor visitor) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            // Only the bytes the file had when opened (a device such as /dev/full never ends).
            return new AofReader(channel, channel.size()).readAll(visitor, 0);
        }
    }

    /**
     * Reads the commands of {@code file} from byte {@code from} on (the start of a command);
     * offsets in the outcome and given to the visitor are the file's.
     */
    public static Outcome read(Path file, long from, CommandVisitor visitor) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            AofReader reader = new AofReader(channel, size);
            channel.position(Math.min(from, size));
            reader.bufStart = Math.min(from, size);
            return reader.readAll(visitor, reader.bufStart);
        }
    }

    /**
     * True when {@code file} is an RDB file (it starts with {@code REDIS}, as Redis 7's base
     * files written with {@code aof-use-rdb-preamble yes} do) rather than RESP commands.
     */
    public static boolean isRdb(Path file) throws java.io.IOException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(5);
            return java.util.Arrays.equals(magic, "REDIS".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    /** Checks {@code file} without acting on its commands. */
    public static Outcome check(Path file) throws Exception {
        return read(file, (command, end) -> { });
    }

    private long offset() {
        return bufStart + pos;
    }

    /**
     * Reads commands until the end or a problem. A MULTI/EXEC transaction is one unit, as in
     * Redis's loader: a file that ends (or is cut off) inside one is truncated before its MULTI,
     * so that no transaction is ever applied in part; the visitor still sees each command.
     */
    private Outcome readAll(CommandVisitor visitor, long from) throws Exception {
        Outcome outcome = readCommands(visitor, from);
        if (multiAt < 0 || (!outcome.clean() && !outcome.truncated())) {
            return outcome;
        }
        String problem = outcome.clean() ? "the file ends inside a MULTI/EXEC transaction (no EXEC)"
                : outcome.problem() + ", inside a MULTI/EXEC transaction";
        return new Outcome(outcome.commands() - multiCommands, multiAt, size, true, problem);
    }

    private Outcome readCommands(CommandVisitor visitor, long from) throws Exception {
        long commands = 0;
        long valid = from;
        while (true) {
            mark = pos;
            if (!ensure(1)) {
                return new Outcome(commands, valid, size, false, null);
            }
            int first = buf.get(pos++);
            if (first == '#') {
                if (!skipLine()) {
                    return new Outcome(commands, valid, size, true, "the file ends inside an annotation");
                }
                valid = offset();
                continue;
            }
            if (first != '*') {
                String problem = commands == 0 && first == 'R'
                        ? "the file starts like an RDB file, which only a base file may be"
                        : "expected '*' (the start of a command), found " + describe(first);
                return new Outcome(commands, valid, size, false, problem);
            }
            command.argc = 0;
            try {
                long argc = number();
                if (argc < 1 || argc > MAX_ARGC) {
                    return new Outcome(commands, valid, size, false, "invalid argument count " + argc);
                }
                for (int i = 0; i < argc; i++) {
                    if (!ensure(1)) {
                        throw new Truncated();
                    }
                    int marker = buf.get(pos++);
                    if (marker != '$') {
                        return new Outcome(commands, valid, size, false, "expected '$' (an argument), found " + describe(marker));
                    }
                    long length = number();
                    if (length < 0 || length > MAX_ARG) {
                        return new Outcome(commands, valid, size, false, "invalid argument length " + length);
                    }
                    if (!ensure((int) length + 2)) {
                        throw new Truncated();
                    }
                    command.add(pos - mark, (int) length);
                    pos += (int) length;
                    if (buf.get(pos) != '\r' || buf.get(pos + 1) != '\n') {
                        return new Outcome(commands, valid, size, false, "an argument not followed by CRLF");
                    }
                    pos += 2;
                }
            } catch (Truncated t) {
                return new Outcome(commands, valid, size, true, "the last command is cut off");
            } catch (BadNumber b) {
                return new Outcome(commands, valid, size, false, b.getMessage());
            }
            command.data = buf;
            command.base = mark;
            if (command.is("MULTI") && multiAt < 0) {
                multiAt = valid;
                multiCommands = 0;
            } else if (command.is("EXEC")) {
                multiAt = -1;
            }
            if (multiAt >= 0) {
                multiCommands++;
            }
            visitor.command(command, offset());
            commands++;
            valid = offset();
        }
    }

    /**
     * Makes at least {@code n} bytes available from {@code pos}, keeping the current command
     * (from {@code mark}) in the buffer; false at the end of the file.
     */
    private boolean ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (mark > 0) {
            java.lang.foreign.MemorySegment all = java.lang.foreign.MemorySegment.ofBuffer(buf.clear());
            java.lang.foreign.MemorySegment.copy(all, mark, all, 0, limit - mark); // overlapping: copied as memmove
            bufStart += mark;
            pos -= mark;
            limit -= mark;
            mark = 0;
        }
        if (pos + n > buf.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buf.capacity() * 2, pos + n));
            bigger.put(0, buf, 0, limit);
            buf = bigger;
        }
        while (limit - pos < n) {
            long left = size - (bufStart + limit);
            if (left <= 0) {
                return false;
            }
            int read = channel.read(buf.limit((int) Math.min(buf.capacity(), limit + left)).position(limit));
            if (read <= 0) {
                return false;
            }
            limit += read;
        }
        return true;
    }

    /** Reads digits up to CRLF. */
    private long number() throws IOException, Truncated, BadNumber {
        long value = 0;
        int digits = 0;
        boolean negative = false;
        while (true) {
            if (!ensure(1)) {
                throw new Truncated();
            }
            int b = buf.get(pos++);
            if (b == '\r') {
                if (!ensure(1)) {
                    throw new Truncated();
                }
                if (buf.get(pos++) != '\n' || digits == 0) {
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

    private boolean skipLine() throws IOException {
        while (ensure(1)) {
            if (buf.get(pos++) == '\n') {
                return true;
            }
            mark = pos; // an annotation is not kept
        }
        return false;
    }

    private static String describe(int b) {
        int v = b & 0xff;
        return v >= 32 && v < 127 ? "'" + (char) v + "'" : String.format("byte 0x%02x", v);
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
