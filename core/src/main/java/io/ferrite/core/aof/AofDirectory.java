package io.ferrite.core.aof;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The AOF directory ({@code dir/appenddirname}) and its manifest: which files to replay, which
 * incremental file takes new commands, and the switch to a rewritten base. Every change of the
 * set of files is made durable file first, manifest second, so a crash at any point leaves a
 * manifest whose files all exist and are complete.
 */
final class AofDirectory {
    private static final System.Logger LOG = System.getLogger("ferrite.aof");
    static final String REWRITE_PREFIX = "temp-rewriteaof-";
    final Path dir;
    final String prefix;
    private AofManifest manifest;

    private AofDirectory(Path dir, String prefix, AofManifest manifest) {
        this.dir = dir;
        this.prefix = prefix;
        this.manifest = manifest;
    }

    /**
     * Opens (or creates) the directory. A manifest that exists but cannot be read, or that
     * names a file that is missing, is an {@link AofFormatException}: never a silent start
     * with less data.
     */
    static AofDirectory open(Path dir, String prefix) throws IOException, AofFormatException {
        Files.createDirectories(dir);
        Path manifestFile = dir.resolve(AofManifest.manifestName(prefix));
        AofManifest manifest;
        if (Files.exists(manifestFile)) {
            manifest = AofManifest.read(manifestFile);
            for (AofManifest.Entry e : manifest.replayOrder()) {
                if (!Files.exists(dir.resolve(e.name()))) {
                    throw new AofFormatException(manifestFile, 0, "The AOF file " + e.name() + " named by the manifest does not exist");
                }
            }
            if (manifest.incrs().isEmpty()) {
                throw new AofFormatException(manifestFile, 0, "The AOF manifest names no incremental file");
            }
        } else {
            String incr = AofManifest.incrName(prefix, 1);
            Files.deleteIfExists(dir.resolve(incr));
            Files.createFile(dir.resolve(incr));
            manifest = new AofManifest(List.of(new AofManifest.Entry(incr, 1, 'i')));
            manifest.write(dir, AofManifest.manifestName(prefix));
            LOG.log(System.Logger.Level.INFO, "Created the append-only file " + incr + " in " + dir);
        }
        AofDirectory directory = new AofDirectory(dir, prefix, manifest);
        directory.removeLeftovers();
        return directory;
    }

    /** The files to replay, base first. */
    List<Path> replayFiles() {
        return manifest.replayOrder().stream().map(e -> dir.resolve(e.name())).toList();
    }

    /** The incremental files, in replay order. */
    List<Path> incrFiles() {
        return manifest.incrs().stream().map(e -> dir.resolve(e.name())).toList();
    }

    /** The incremental file new commands are appended to. */
    Path currentIncr() {
        List<AofManifest.Entry> incrs = manifest.incrs();
        return dir.resolve(incrs.getLast().name());
    }

    Path manifestFile() {
        return dir.resolve(AofManifest.manifestName(prefix));
    }

    /** Bytes of every file to replay. */
    long totalSize() {
        return replayFiles().stream().mapToLong(AofDirectory::sizeOf).sum();
    }

    /** Cuts {@code file} after its last complete command (a crash left half of one). */
    static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
            channel.force(true);
        }
    }

    /** A new rewrite file, not yet named by the manifest. */
    Path newRewriteFile() throws IOException {
        Path temp = dir.resolve(REWRITE_PREFIX + ProcessHandle.current().pid() + ".aof");
        Files.deleteIfExists(temp);
        return temp;
    }

    /**
     * Starts a new, empty incremental file for the commands that follow (where a rewrite's base
     * is frozen, as Redis 7 does at BGREWRITEAOF): durable and named by the manifest, after the
     * current ones, before any command goes to it.
     *
     * @return the new incremental file
     */
    Path startIncr() throws IOException {
        long incrSeq = manifest.lastIncrSeq() + 1;
        String incrName = AofManifest.incrName(prefix, incrSeq);
        Files.deleteIfExists(dir.resolve(incrName));
        Files.createFile(dir.resolve(incrName));
        AofManifest.syncDirectory(dir);
        List<AofManifest.Entry> next = new ArrayList<>(manifest.files());
        next.add(new AofManifest.Entry(incrName, incrSeq, 'i'));
        manifest = new AofManifest(next);
        manifest.write(dir, AofManifest.manifestName(prefix));
        return dir.resolve(incrName);
    }

    /**
     * Makes the (fsynced) rewrite file the new base (named {@code .base.rdb} when it is an RDB
     * file, {@code .base.aof} otherwise, as Redis names them), followed by the incremental files from
     * {@code firstIncr} on (the one {@link #startIncr} began where the base was frozen): the
     * new base is durable before the manifest names it, and the old files are deleted only
     * after it does.
     */
    void commitRewrite(Path rewritten, Path firstIncr) throws IOException {
        long baseSeq = manifest.baseSeq() + 1;
        String baseName = AofReader.isRdb(rewritten) ? AofManifest.rdbBaseName(prefix, baseSeq) : AofManifest.baseName(prefix, baseSeq);
        Files.move(rewritten, dir.resolve(baseName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AofManifest.syncDirectory(dir);
        List<AofManifest.Entry> old = manifest.files();
        List<AofManifest.Entry> next = new ArrayList<>();
        next.add(new AofManifest.Entry(baseName, baseSeq, 'b'));
        String first = firstIncr.getFileName().toString();
        boolean kept = false;
        for (AofManifest.Entry e : manifest.incrs()) {
            kept |= e.name().equals(first);
            if (kept) {
                next.add(e);
            }
        }
        if (!kept) {
            throw new IOException("the manifest no longer names " + first);
        }
        manifest = new AofManifest(next);
        manifest.write(dir, AofManifest.manifestName(prefix));
        for (AofManifest.Entry e : old) {
            if (next.stream().noneMatch(n -> n.name().equals(e.name()))) {
                Files.deleteIfExists(dir.resolve(e.name()));
            }
        }
    }

    /** Deletes what a crash mid-rewrite left: rewrite files and history files no manifest names. */
    private void removeLeftovers() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(REWRITE_PREFIX)) {
                    Files.deleteIfExists(file);
                }
            }
        }
        for (AofManifest.Entry e : manifest.files()) {
            if (e.isHistory()) {
                Files.deleteIfExists(dir.resolve(e.name()));
            }
        }
        if (manifest.files().stream().anyMatch(AofManifest.Entry::isHistory)) {
            manifest = new AofManifest(manifest.files().stream().filter(e -> !e.isHistory()).toList());
            manifest.write(dir, AofManifest.manifestName(prefix));
        }
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
