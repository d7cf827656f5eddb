package io.ferrite.core.snapshot;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.KeySnapshot;
import io.ferrite.core.api.ValueExport;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * An image of every key as it was at one moment, taken while writes go on and without fork.
 * Once {@link WriteGate#install installed}, each write command images the keys it is about to
 * change (under the key's lock, before the change); {@link #imageAll} images every key not
 * imaged yet. A ledger makes each key imaged exactly once, so each image shows the key as it
 * was when the image began: a key created later is imaged as absent (and so left out), a key
 * deleted later was imaged before its delete.
 *
 * <p>Changes the engine makes by itself (expiry, eviction) are not gated: a key that expires
 * while the image is taken may be left out, as it would be at the next load anyway.
 */
public final class PointInTimeImage {
    private static final int SCAN_BATCH = 1000;

    private final FerriteStore store;
    private final KeyImageWriter.Factory writers;
    private final KeySet imaged = new KeySet();
    private volatile boolean cancelled;

    public PointInTimeImage(FerriteStore store, KeyImageWriter.Factory writers) {
        this.store = store;
        this.writers = writers;
    }

    /** Images every key not imaged yet, database by database; stops early once cancelled. */
    public void imageAll() {
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

    /** Images the key unless it is imaged already (a no-op once cancelled). */
    public void image(int db, byte[] key) {
        if (cancelled || imaged.contains(db, key)) {
            return;
        }
        KeyImageWriter writer = writers.open(db, key);
        store.keys().snapshot(db, MemorySegment.ofArray(key), new KeySnapshot() {
            @Override
            public boolean begin() {
                writer.reset();
                return !imaged.contains(db, key);
            }

            @Override
            public ValueExport export() {
                return writer.export();
            }

            @Override
            public void end(boolean exists, long expireAt) {
                if (exists) {
                    writer.complete(expireAt);
                }
                imaged.add(db, key);
            }
        });
    }

    /** Stops the image: no key is imaged from now on (its result is to be discarded). */
    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }
}
