package io.ferrite.server.persistence;

import io.ferrite.core.api.ValueType;
import io.ferrite.core.aof.AofManifest;
import io.ferrite.core.aof.RespCommand;
import io.ferrite.server.rdb.RdbFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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
    private static final int ITEMS_PER_COMMAND = 64;

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
                    writer.write(new RespCommand().begin(3).arg("SET").arg(key).arg(value).toByteArray());
                    writer.expiry(key, expireAt);
                    counts[0]++;
                }

                @Override
                public void collection(int db, byte[] key, ValueType type, List<byte[]> elements, long expireAt) throws IOException {
                    if (expired(expireAt)) {
                        return;
                    }
                    writer.select(db);
                    String verb = switch (type) {
                        case HASH -> "HSET";
                        case SET -> "SADD";
                        case LIST -> "RPUSH";
                        case ZSET -> "ZADD";
                        default -> throw new IllegalStateException(type.redisName());
                    };
                    int step = type == ValueType.HASH || type == ValueType.ZSET ? 2 : 1;
                    for (int from = 0; from < elements.size(); from += ITEMS_PER_COMMAND * step) {
                        int to = Math.min(elements.size(), from + ITEMS_PER_COMMAND * step);
                        RespCommand command = new RespCommand().begin(2 + to - from).arg(verb).arg(key);
                        for (int i = from; i < to; i += step) {
                            if (type == ValueType.ZSET) {
                                command.arg(elements.get(i + 1)).arg(elements.get(i)); // score, member
                            } else {
                                command.arg(elements.get(i));
                                if (step == 2) {
                                    command.arg(elements.get(i + 1));
                                }
                            }
                        }
                        writer.write(command.toByteArray());
                    }
                    writer.expiry(key, expireAt);
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

    /** Commands into the base file, with SELECT when the database changes. */
    private static final class Writer {
        private final OutputStream out;
        private int db = -1;

        Writer(OutputStream out) {
            this.out = out;
        }

        void select(int db) throws IOException {
            if (db != this.db) {
                out.write(RespCommand.ofWords("SELECT", Integer.toString(db)));
                this.db = db;
            }
        }

        void write(byte[] command) throws IOException {
            out.write(command);
        }

        void expiry(byte[] key, long expireAt) throws IOException {
            if (expireAt > 0) {
                out.write(new RespCommand().begin(3).arg("PEXPIREAT").arg(key).arg(expireAt).toByteArray());
            }
        }
    }
}
