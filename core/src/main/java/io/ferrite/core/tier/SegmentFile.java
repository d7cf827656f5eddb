package io.ferrite.core.tier;

import io.ferrite.core.api.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One cold segment file: encoded blocks appended by one writer, read back with positional
 * reads by any thread ({@link FileChannel} positional I/O is thread-safe and leaves the
 * channel's position alone).
 */
final class SegmentFile implements AutoCloseable {
    private final long segment;
    private final Path path;
    private final FileChannel channel;
    /** A second descriptor for reads that must not wait (see NoWaitReads); -1 when unavailable. */
    private final int noWaitFd;
    private volatile long size;
    private volatile boolean deleted;

    SegmentFile(long segment, Path path) {
        this(segment, path, open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), 0);
    }

    private SegmentFile(long segment, Path path, FileChannel channel, long size) {
        this.segment = segment;
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.noWaitFd = NoWaitReads.open(path);
    }

    private static FileChannel open(Path path, StandardOpenOption... options) {
        try {
            return FileChannel.open(path, options);
        } catch (IOException e) {
            throw new StorageException("cannot open segment file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the existing file of a restored log and cuts it to {@code length}, the bytes a
     * checkpoint refers to; later appends go after them.
     *
     * @throws io.ferrite.core.api.LogCorruptedException when the file is missing or shorter
     */
    static SegmentFile reopen(long segment, Path path, long length) {
        if (!Files.exists(path)) {
            throw new io.ferrite.core.api.LogCorruptedException("segment file " + path
                    + " is missing: the checkpoint refers to " + length + " bytes of it");
        }
        FileChannel channel = open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long actual = channel.size();
            if (actual < length) {
                channel.close();
                throw new io.ferrite.core.api.LogCorruptedException("segment file " + path + " has " + actual
                        + " bytes but the checkpoint refers to " + length + " (the file was cut)");
            }
            if (actual > length) {
                channel.truncate(length);
            }
        } catch (IOException e) {
            throw new StorageException("cannot open segment file " + path + ": " + e.getMessage(), e);
        }
        return new SegmentFile(segment, path, channel, length);
    }

    /** Forces the file's bytes to the device. */
    void force() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new StorageException("cannot fsync segment file " + path + ": " + e.getMessage(), e);
        }
    }

    long segment() {
        return segment;
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    /** Appends {@code length} bytes; returns the offset they were written at. */
    long append(byte[] data, int length) {
        long at = size;
        ByteBuffer buffer = ByteBuffer.wrap(data, 0, length);
        try {
            long position = at;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
        } catch (IOException e) {
            throw new StorageException("cannot write segment file " + path + " at offset " + at + ": " + e.getMessage(), e);
        }
        size = at + length;
        return at;
    }

    /**
     * Reads {@code length} bytes at {@code offset} only if they are in the page cache, into an
     * array of the calling thread's that its next read reuses; null otherwise. The caller must
     * hold an epoch protection (the file is closed only from a drain).
     */
    byte[] readIfCached(long offset, int length) {
        return NoWaitReads.readIfCached(noWaitFd, offset, length);
    }

    /** Reads exactly {@code length} bytes at {@code offset}. */
    byte[] read(long offset, int length) {
        byte[] data = new byte[length];
        ByteBuffer buffer = ByteBuffer.wrap(data);
        try {
            long position = offset;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new io.ferrite.core.api.LogCorruptedException("corrupt log block in " + path + " at offset "
                            + offset + ": file ends after " + (position - offset) + " of " + length + " bytes");
                }
                position += n;
            }
        } catch (IOException e) {
            throw new StorageException("cannot read segment file " + path + " at offset " + offset + ": " + e.getMessage(), e);
        }
        return data;
    }

    @Override
    public void close() {
        NoWaitReads.close(noWaitFd);
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a file we are about to delete or abandon: nothing left to save
        }
    }

    /** Whether {@link #delete} was called. */
    boolean deleted() {
        return deleted;
    }

    /** Closes and deletes the file. */
    void delete() {
        deleted = true;
        close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new StorageException("cannot delete segment file " + path + ": " + e.getMessage(), e);
        }
    }
}
