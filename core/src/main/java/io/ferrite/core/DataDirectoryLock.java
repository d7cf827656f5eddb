package io.ferrite.core;

import io.ferrite.core.api.DirectoryInUseException;
import io.ferrite.core.api.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a data directory to one store: two engines writing one log (a server and an embedded
 * JCache or JDBC engine in another process, or two stores in one JVM) would ruin it, so the
 * second is refused with a message naming the directory and the process that holds it. An OS
 * file lock on {@code ferrite.lock}, released when the store closes or its process dies.
 */
final class DataDirectoryLock implements AutoCloseable {
    static final String FILE = "ferrite.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM holds it already
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
                channel.close();
                throw new DirectoryInUseException("the data directory " + dir + " is in use by another store"
                        + (holder.isEmpty() ? "" : " (process " + holder + ")")
                        + ": one directory holds one engine; share it (the server's engine, or one embedded engine per JVM)");
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the open failed already
                }
            }
            throw new StorageException("cannot lock the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process's exit releases it anyway
        }
    }
}
