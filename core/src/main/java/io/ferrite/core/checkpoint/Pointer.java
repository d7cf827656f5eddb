package io.ferrite.core.checkpoint;

import io.ferrite.core.api.LogCorruptedException;
import io.ferrite.core.api.StorageException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The {@code CHECKPOINT} file: which checkpoint is the current one, the geometry it was written
 * with (a store must match it to restore it) and the length of each shard's file. It is
 * replaced atomically (written beside, forced, renamed, directory forced), so a crash leaves
 * either the old or the new pointer, never a mix.
 */
record Pointer(CheckpointInfo info, int shards, int databases, long pageSize, long segmentSize, long[] shardFileBytes) {
    static final String NAME = "CHECKPOINT";
    private static final long MAGIC = 0x46525249544350L; // "FRRITCP"
    private static final int VERSION = 1;
    private static final int SECTION = 10;

    static boolean exists(Path root) {
        return Files.exists(root.resolve(NAME));
    }

    void write(Path root) throws IOException {
        Path tmp = root.resolve(NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             Sections.Writer out = new Sections.Writer(Channels.newOutputStream(channel))) {
            out.begin().putLong(MAGIC).putInt(VERSION).putLong(info.id()).putLong(info.frozenAtMillis())
                    .putString(info.tag()).putLong(info.keys()).putLong(info.fileBytes()).putLong(info.pageBytes())
                    .putInt(shards).putInt(databases).putLong(pageSize).putLong(segmentSize).putLongs(shardFileBytes)
                    .end(SECTION);
            out.flush();
            channel.force(true);
        }
        Files.move(tmp, root.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(root);
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Reads the pointer in {@code root}.
     *
     * @throws LogCorruptedException when it is damaged
     */
    static Pointer read(Path root) {
        Path path = root.resolve(NAME);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
             Sections.Reader in = new Sections.Reader(Channels.newInputStream(channel), path)) {
            in.next(SECTION, "checkpoint pointer");
            if (in.getLong() != MAGIC || in.getInt() != VERSION) {
                throw in.corrupt("not a Ferrite checkpoint pointer of version " + VERSION);
            }
            CheckpointInfo info = new CheckpointInfo(in.getLong(), in.getLong(), in.getString(), in.getLong(),
                    in.getLong(), in.getLong());
            Pointer pointer = new Pointer(info, in.getInt(), in.getInt(), in.getLong(), in.getLong(), in.getLongs());
            in.expectEnd();
            if (in.nextAnyOrEof()) {
                throw in.corrupt("data after the pointer");
            }
            if (pointer.shards() != pointer.shardFileBytes().length) {
                throw in.corrupt("the pointer names " + pointer.shards() + " shards but " + pointer.shardFileBytes().length + " files");
            }
            return pointer;
        } catch (IOException e) {
            throw new StorageException("cannot read the checkpoint pointer " + path + ": " + e.getMessage(), e);
        }
    }
}
