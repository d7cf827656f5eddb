package io.ferrite.core.aof;

import io.ferrite.core.FerriteStore;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * BGREWRITEAOF without fork. The new base file receives, in one ordered stream, an image of
 * every key and every command that runs while the rewrite does. A write command first makes
 * sure each key it touches has its image in the stream (taken under the key's lock, before
 * the command changes it); the rewrite's own pass images every key not imaged yet. So in the
 * new file each key's image precedes every command on it, and replaying the file gives
 * exactly the live dataset, with no fork and no pause of the writers.
 */
final class AofRewrite implements KeyImage.Ledger {
    private static final int SCAN_BATCH = 1000;

    private final FerriteStore store;
    private final AofWriter writer;
    private final KeySet imaged = new KeySet();
    private volatile boolean cancelled;

    AofRewrite(FerriteStore store, AofWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    /** Images every key not imaged yet, database by database. */
    void imageAll() {
        List<byte[]> keys = new ArrayList<>();
        for (int db = 0; db < store.config().databases() && !cancelled; db++) {
            long cursor = 0;
            do {
                cursor = store.keys().scan(db, cursor, SCAN_BATCH, null,
                        (key, type) -> keys.add(key.toArray(ValueLayout.JAVA_BYTE)));
                for (byte[] key : keys) {
                    image(db, key);
                }
                keys.clear();
            } while (cursor != 0 && !cancelled);
        }
    }

    /** Puts the key's current image in the stream unless it is there already. */
    void image(int db, byte[] key) {
        if (imaged.contains(db, key)) {
            return;
        }
        KeyImage image = new KeyImage(db, key, this, bytes -> writer.offer(new AofEntry(AofEntry.Kind.REWRITE_IMAGE, db, bytes)));
        store.keys().snapshot(db, MemorySegment.ofArray(key), image);
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public boolean needsImage(int db, byte[] key) {
        return !imaged.contains(db, key);
    }

    @Override
    public void imaged(int db, byte[] key) {
        imaged.add(db, key);
    }
}
