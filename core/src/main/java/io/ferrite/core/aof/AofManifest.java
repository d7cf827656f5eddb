package io.ferrite.core.aof;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis 7's AOF manifest ({@code appendonly.aof.manifest}): one line per file,
 * {@code file <name> seq <n> type <b|h|i>}, naming the base file, history files waiting to be
 * deleted and the incremental files in replay order. Written to a temporary file, fsynced and
 * renamed over the old one, so a crash leaves either manifest, never half of one.
 *
 * @param files the files, in the order the manifest lists them
 */
public record AofManifest(List<Entry> files) {
    /** One file of the manifest: its name in the AOF directory, its sequence number and type. */
    public record Entry(String name, long seq, char type) {
        public boolean isBase() { return type == 'b'; }
        public boolean isIncr() { return type == 'i'; }
        public boolean isHistory() { return type == 'h'; }
    }

    public AofManifest {
        files = List.copyOf(files);
    }

    /** The manifest's file name for {@code appendfilename}. */
    public static String manifestName(String prefix) {
        return prefix + ".manifest";
    }

    /** A base file name in AOF (RESP) form, as Redis names it with {@code aof-use-rdb-preamble no}. */
    public static String baseName(String prefix, long seq) {
        return prefix + "." + seq + ".base.aof";
    }

    /** A base file name in RDB form, as Redis names it with {@code aof-use-rdb-preamble yes}. */
    public static String rdbBaseName(String prefix, long seq) {
        return prefix + "." + seq + ".base.rdb";
    }

    public static String incrName(String prefix, long seq) {
        return prefix + "." + seq + ".incr.aof";
    }

    /** The base file, or null when there is none (an AOF enabled on an empty dataset). */
    public Entry base() {
        return files.stream().filter(Entry::isBase).findFirst().orElse(null);
    }

    public List<Entry> incrs() {
        return files.stream().filter(Entry::isIncr).toList();
    }

    /** Base first, then the incremental files: the replay order. */
    public List<Entry> replayOrder() {
        List<Entry> order = new ArrayList<>();
        if (base() != null) {
            order.add(base());
        }
        order.addAll(incrs());
        return order;
    }

    public long lastIncrSeq() {
        return incrs().stream().mapToLong(Entry::seq).max().orElse(0);
    }

    public long baseSeq() {
        Entry base = base();
        return base == null ? 0 : base.seq();
    }

    /** Reads {@code file}; a line Redis would not accept is an {@link AofFormatException}. */
    public static AofManifest read(Path file) throws IOException, AofFormatException {
        List<Entry> entries = new ArrayList<>();
        long offset = 0;
        for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n", -1)) {
            long lineStart = offset;
            offset += line.length() + 1;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            List<String> words = split(text, file, lineStart);
            String name = null;
            long seq = -1;
            char type = 0;
            for (int i = 0; i + 1 < words.size(); i += 2) {
                String value = words.get(i + 1);
                switch (words.get(i)) {
                    case "file" -> name = value;
                    case "seq" -> seq = parseSeq(value, file, lineStart);
                    case "type" -> type = value.length() == 1 ? value.charAt(0) : 0;
                    default -> { } // Redis ignores keys it does not know, for forward compatibility
                }
            }
            if (words.size() % 2 != 0 || name == null || seq < 0 || (type != 'b' && type != 'h' && type != 'i')) {
                throw new AofFormatException(file, lineStart, "Invalid AOF manifest line '" + text + "'");
            }
            entries.add(new Entry(name, seq, type));
        }
        AofManifest manifest = new AofManifest(entries);
        if (entries.stream().filter(Entry::isBase).count() > 1) {
            throw new AofFormatException(file, 0, "Invalid AOF manifest: more than one base file");
        }
        return manifest;
    }

    private static long parseSeq(String value, Path file, long offset) throws AofFormatException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new AofFormatException(file, offset, "Invalid AOF manifest sequence '" + value + "'");
        }
    }

    /** Splits a line into words; a word may be double-quoted (Redis quotes names with spaces). */
    private static List<String> split(String text, Path file, long offset) throws AofFormatException {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == ' ') {
                i++;
                continue;
            }
            StringBuilder word = new StringBuilder();
            if (text.charAt(i) == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    throw new AofFormatException(file, offset, "Invalid AOF manifest line (unbalanced quotes)");
                }
                word.append(text, i + 1, end);
                i = end + 1;
            } else {
                while (i < text.length() && text.charAt(i) != ' ') {
                    word.append(text.charAt(i++));
                }
            }
            words.add(word.toString());
        }
        return words;
    }

    /** Writes this manifest as {@code dir/name}, atomically and durably. */
    public void write(Path dir, String name) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Entry e : files) {
            String fileName = e.name().contains(" ") ? '"' + e.name() + '"' : e.name();
            text.append("file ").append(fileName).append(" seq ").append(e.seq()).append(" type ").append(e.type()).append('\n');
        }
        Path temp = dir.resolve("temp-" + name);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
    }

    /** Makes a rename or a new file in {@code dir} durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
