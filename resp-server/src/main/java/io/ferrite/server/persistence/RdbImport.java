package io.ferrite.server.persistence;

import io.ferrite.core.api.ValueType;
import io.ferrite.core.aof.AofManifest;
import io.ferrite.core.aof.RespCommand;
import io.ferrite.core.aof.ValueCommands;
import io.ferrite.server.rdb.RdbFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./ferrite import-rdb FILE [--dir DIR]}: turns a Redis RDB file (what
 * {@code redis-server} 7.0 writes, or older) into Ferrite's append-only file in
 * {@code DIR/appendonlydir}, so that {@code ./ferrite server --appendonly yes --dir DIR} starts
 * with that data: every key of every type Ferrite has, with its expiry (keys already expired
 * are left out, as Redis does when it loads). An existing AOF there is never overwritten.
 */
public final class RdbImport {
    private RdbImport() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The counts of an import. */
    public record Result(long keys, long expiredSkipped, long bytes) {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        Path dir = Path.of("./data");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dir") && i + 1 < args.length) {
                dir = Path.of(args[++i]);
            } else if (file == null && !args[i].startsWith("--")) {
                file = Path.of(args[i]);
            } else {
                file = null;
                break;
            }
        }
        if (file == null) {
            err.println("Usage: ./ferrite import-rdb <dump.rdb> [--dir DIR]   (writes DIR/appendonlydir; DIR defaults to ./data)");
            return 2;
        }
        try {
            Result result = importInto(file, dir.resolve("appendonlydir"), "appendonly.aof", err);
            out.printf("Imported %d keys from %s (%d expired keys left out) into %s; start it with"
                            + " ./ferrite server --appendonly yes --dir %s%n",
                    result.keys(), file, result.expiredSkipped(), dir.resolve("appendonlydir"), dir);
            return 0;
        } catch (Exception e) {
            err.println("Could not import " + file + ": " + e.getMessage());
            return 1;
        }
    }

    /** Writes the keys of the RDB {@code file} as the base file of a new AOF in {@code aofDir}. */
    public static Result importInto(Path file, Path aofDir, String prefix, PrintStream progressOut) throws Exception {
        Path manifest = aofDir.resolve(AofManifest.manifestName(prefix));
        if (Files.exists(manifest)) {
            throw new IOException(aofDir + " already holds an append-only file (" + manifest.getFileName()
                    + "); move it away first: an import never overwrites data");
        }
        byte[] data = Files.readAllBytes(file);
        Files.createDirectories(aofDir);
        String baseName = AofManifest.baseName(prefix, 1);
        String incrName = AofManifest.incrName(prefix, 1);
        Path base = aofDir.resolve(baseName);
        long now = System.currentTimeMillis();
        long[] counts = new long[2];
        long[] lastReport = {0};
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(base), 1 << 20)) {
            Writer writer = new Writer(stream);
            RdbFile.read(data, new RdbFile.Visitor() {
                @Override
                public void string(int db, byte[] key, byte[] value, long expireAt) throws IOException {
                    if (expired(expireAt)) {
                        return;
                    }
                    writer.select(db);
                    ValueCommands commands = writer.commandsFor(key);
                    commands.string(MemorySegment.ofArray(value), 0, value.length);
                    commands.expiry(expireAt);
                    writer.check();
                    counts[0]++;
                }

                @Override
                public void collection(int db, byte[] key, ValueType type, int rdbType, List<byte[]> elements, long expireAt)
                        throws IOException {
                    if (expired(expireAt)) {
                        return;
                    }
                    writer.select(db);
                    ValueCommands commands = writer.commandsFor(key);
                    boolean pairs = type == ValueType.HASH || type == ValueType.ZSET;
                    commands.collection(type, "", pairs ? elements.size() / 2 : elements.size(), 0);
                    for (int i = 0; i < elements.size(); i += pairs ? 2 : 1) {
                        MemorySegment a = MemorySegment.ofArray(elements.get(i));
                        if (pairs) {
                            MemorySegment b = MemorySegment.ofArray(elements.get(i + 1));
                            commands.entry(a, 0, a.byteSize(), b, 0, b.byteSize());
                        } else {
                            commands.member(a, 0, a.byteSize());
                        }
                    }
                    commands.expiry(expireAt);
                    writer.check();
                    counts[0]++;
                }

                private boolean expired(long expireAt) {
                    if (expireAt != 0 && expireAt <= now) {
                        counts[1]++;
                        return true;
                    }
                    return false;
                }

                @Override
                public void progress(long read, long total) {
                    long t = System.currentTimeMillis();
                    if (t - lastReport[0] >= 200) {
                        lastReport[0] = t;
                        progressOut.printf(Locale.ROOT, "\rImporting %s: %3.0f%% (%d keys)", file.getFileName(),
                                100.0 * read / Math.max(1, total), counts[0]);
                    }
                }
            });
        } catch (Exception e) {
            Files.deleteIfExists(base);
            throw e;
        }
        if (lastReport[0] != 0) {
            progressOut.println();
        }
        try (FileChannel channel = FileChannel.open(base, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.deleteIfExists(aofDir.resolve(incrName));
        Files.createFile(aofDir.resolve(incrName));
        new AofManifest(List.of(new AofManifest.Entry(baseName, 1, 'b'), new AofManifest.Entry(incrName, 1, 'i')))
                .write(aofDir, AofManifest.manifestName(prefix));
        return new Result(counts[0], counts[1], Files.size(base));
    }

    /**
     * Commands into the base file, with SELECT when the database changes. The commands of a
     * value come from {@link ValueCommands}, the form an AOF rewrite writes too.
     */
    private static final class Writer {
        private final OutputStream out;
        private int db = -1;
        private IOException failure;

        Writer(OutputStream out) {
            this.out = out;
        }

        void select(int db) throws IOException {
            if (db != this.db) {
                out.write(RespCommand.ofWords("SELECT", Integer.toString(db)));
                this.db = db;
            }
        }

        ValueCommands commandsFor(byte[] key) {
            return new ValueCommands(key, command -> {
                try {
                    out.write(command);
                } catch (IOException e) {
                    failure = e;
                }
            });
        }

        /** Throws the first write failure of the value just written. */
        void check() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
