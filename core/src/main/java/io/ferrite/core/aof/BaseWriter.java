package io.ferrite.core.aof;

import io.ferrite.core.api.ValueExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Writes a new AOF base from what a checkpoint froze, on the rewrite's own thread: each key as
 * the {@link ValueCommands} that rebuild it, in RESP, with a SELECT where the database changes.
 * The AOF's writer thread only learns the finished file's name.
 */
final class BaseWriter implements BaseFormat.Base {
    private final AofOutput out;
    private final ValueCommands commands = new ValueCommands(null, this::append);
    private int db;

    BaseWriter(Path file) throws IOException {
        this.out = AofOutput.append(file);
    }

    @Override
    public ValueExport begin(int database, MemorySegment key) {
        db = database;
        commands.forKey(key.toArray(ValueLayout.JAVA_BYTE));
        return commands;
    }

    @Override
    public void end(long expireAt) {
        commands.expiry(expireAt);
    }

    private void append(byte[] command, int length) {
        try {
            out.append(db, command, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes what is buffered and forces the file to the device. */
    @Override
    public void finish() throws IOException {
        out.writeBuffered();
        out.force();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
