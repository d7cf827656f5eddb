package io.ferrite.core.aof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file the writer appends to, with its buffer and the database its commands last
 * selected. A failed write keeps what was not written, so a retry continues exactly where the
 * file ends: no command is lost or written twice.
 */
final class AofOutput implements AutoCloseable {
    private static final int INITIAL_BUFFER = 1 << 20;
    final Path path;
    private final FileChannel channel;
    /** Direct, so that a write does not copy it again into a temporary direct buffer of the JDK's. */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(INITIAL_BUFFER);
    private int db = -1;
    private long size;

    private AofOutput(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
    }

    /** Opens {@code path} for appending (created if missing). */
    static AofOutput append(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new AofOutput(path, channel);
    }

    /** Appends {@code command} to run in {@code db} (a SELECT first when the database changes). */
    void append(int db, byte[] command) throws IOException {
        append(db, command, command.length);
    }

    /** Appends the first {@code length} bytes of {@code command} to run in {@code db}. */
    void append(int db, byte[] command, int length) throws IOException {
        byte[] select = db >= 0 && db != this.db ? RespCommand.ofWords("SELECT", Integer.toString(db)) : null;
        int needed = length + (select == null ? 0 : select.length);
        if (needed > buffer.remaining()) {
            writeBuffered();
            if (needed > buffer.remaining()) {
                buffer = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, needed));
            }
        }
        if (select != null) {
            buffer.put(select);
            this.db = db;
        }
        buffer.put(command, 0, length);
        size += needed;
    }

    /** Writes what is buffered; on failure the unwritten rest stays buffered. */
    void writeBuffered() throws IOException {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } finally {
            buffer.compact();
        }
        if (buffer.capacity() > INITIAL_BUFFER && buffer.position() == 0) {
            buffer = ByteBuffer.allocateDirect(INITIAL_BUFFER);
        }
    }

    boolean hasBuffered() {
        return buffer.position() > 0;
    }

    void force() throws IOException {
        channel.force(false);
    }

    /** Bytes of the file including what is buffered. */
    /** The database the last command selected (-1 before the first). */
    int db() {
        return db;
    }

    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
