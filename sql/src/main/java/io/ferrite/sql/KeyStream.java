package io.ferrite.sql;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.api.ValueType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The keys a table scan visits: the given keys (a pushed-down key equality or IN list), or a
 * walk of the database with the engine's SCAN (keys without the pushed-down prefix skipped before they are copied), one step of {@value #STEP} keys at a time, so a
 * scan of any size streams. The walk runs on the caller's (blocking) thread, where the engine's
 * SCAN hands each key over once ({@link io.ferrite.core.types.KeyCommands#scan}), so it keeps no
 * set of what it handed over (which cost a third of a scan's time).
 */
abstract class KeyStream implements Iterator<byte[]> {
    static final int STEP = 256;

    static KeyStream of(List<String> keys) {
        Iterator<String> given = keys.iterator();
        return new KeyStream() {
            @Override
            public boolean hasNext() {
                return given.hasNext();
            }

            @Override
            public byte[] next() {
                return given.next().getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    /** True when {@code key} starts with {@code prefix} (always when it is null). */
    static boolean startsWith(MemorySegment key, MemorySegment prefix) {
        return prefix == null || (key.byteSize() >= prefix.byteSize()
                && MemorySegment.mismatch(key, 0, prefix.byteSize(), prefix, 0, prefix.byteSize()) == -1);
    }

    /** Every key of {@code db}, or of {@code type} only when it is not null, starting with {@code prefix} when it is not null. */
    static KeyStream scan(FerriteStore store, int db, ValueType type, String prefix) {
        return new Walk(store, db, type, prefix == null ? null : MemorySegment.ofArray(prefix.getBytes(StandardCharsets.UTF_8)));
    }

    private static final class Walk extends KeyStream {
        private final FerriteStore store;
        private final int db;
        private final ValueType type;
        private final MemorySegment prefix;
        private final ArrayDeque<byte[]> batch = new ArrayDeque<>();
        private long cursor;
        private boolean done;

        Walk(FerriteStore store, int db, ValueType type, MemorySegment prefix) {
            this.store = store;
            this.db = db;
            this.type = type;
            this.prefix = prefix;
        }

        private boolean wanted(MemorySegment key) {
            return startsWith(key, prefix);
        }

        @Override
        public boolean hasNext() {
            while (batch.isEmpty() && !done) {
                cursor = store.keys().scan(db, cursor, STEP, type, (key, keyType) -> {
                    if (!wanted(key)) {
                        return;
                    }
                    batch.add(key.toArray(ValueLayout.JAVA_BYTE));
                });
                done = cursor == 0;
            }
            return !batch.isEmpty();
        }

        @Override
        public byte[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return batch.poll();
        }
    }
}
