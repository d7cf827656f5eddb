package io.ferrite.server.persistence;

import io.ferrite.core.api.ValueExport;
import io.ferrite.core.checkpoint.Checkpoints;
import io.ferrite.server.rdb.RdbFileWriter;
import io.ferrite.server.rdb.RdbObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The keys a frozen checkpoint hands over ({@link Checkpoints#export}), each as its RDB object
 * into an RDB file: what an RDB snapshot and an AOF base in RDB form are written with.
 */
class RdbKeys implements Checkpoints.KeySink {
    final RdbFileWriter file;
    private RdbObjectWriter object;
    private byte[] key;
    private int db;

    RdbKeys(RdbFileWriter file) {
        this.file = file;
    }

    @Override
    public ValueExport begin(int database, MemorySegment name) {
        db = database;
        key = name.toArray(ValueLayout.JAVA_BYTE);
        object = new RdbObjectWriter();
        return object;
    }

    @Override
    public void end(long expireAt) {
        try {
            file.key(db, key, expireAt, object.object());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
