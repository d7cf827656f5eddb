package io.ferrite.core.snapshot;

import io.ferrite.core.index.KeyHash;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A set of (database, key) pairs, the ledger of a point-in-time image (the keys imaged so far):
 * millions of entries without an object per entry (the garbage collector sees a few arrays per
 * stripe), exact
 * (keys are compared byte for byte, never only by hash), safe for concurrent use through
 * lock striping by hash.
 */
final class KeySet {
    private static final int STRIPES = 64;
    private final Stripe[] stripes = new Stripe[STRIPES];

    KeySet() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    boolean contains(int db, byte[] key) {
        long hash = hash(db, key);
        return stripe(hash).contains(hash, db, key);
    }

    /** Adds the pair; false if it was there already. */
    boolean add(int db, byte[] key) {
        long hash = hash(db, key);
        return stripe(hash).add(hash, db, key);
    }

    private Stripe stripe(long hash) {
        return stripes[(int) (hash >>> 58) & (STRIPES - 1)];
    }

    private static long hash(int db, byte[] key) {
        long h = KeyHash.hash(MemorySegment.ofArray(key)) ^ (db * 0x9E3779B97F4A7C15L);
        return h == 0 ? 1 : h; // 0 marks an empty slot
    }

    /**
     * Open addressing: {@code hashes[i]} is an entry's hash (0: empty), {@code refs[i]} where
     * its database and key start in {@code arena} ([db int][length int][bytes]).
     */
    private static final class Stripe {
        private long[] hashes = new long[64];
        private int[] refs = new int[64];
        private byte[] arena = new byte[1024];
        private int arenaSize;
        private int count;

        synchronized boolean contains(long hash, int db, byte[] key) {
            return find(hash, db, key) >= 0;
        }

        synchronized boolean add(long hash, int db, byte[] key) {
            if (find(hash, db, key) >= 0) {
                return false;
            }
            if ((count + 1) * 4L > hashes.length * 3L) {
                grow();
            }
            int ref = store(db, key);
            insert(hash, ref);
            count++;
            return true;
        }

        private int find(long hash, int db, byte[] key) {
            int mask = hashes.length - 1;
            for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
                long h = hashes[i];
                if (h == 0) {
                    return -1;
                }
                if (h == hash && matches(refs[i], db, key)) {
                    return i;
                }
            }
        }

        private boolean matches(int ref, int db, byte[] key) {
            if (readInt(ref) != db || readInt(ref + 4) != key.length) {
                return false;
            }
            return Arrays.equals(arena, ref + 8, ref + 8 + key.length, key, 0, key.length);
        }

        private int store(int db, byte[] key) {
            int needed = 8 + key.length;
            if (arenaSize + needed > arena.length) {
                arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + needed));
            }
            int ref = arenaSize;
            writeInt(ref, db);
            writeInt(ref + 4, key.length);
            System.arraycopy(key, 0, arena, ref + 8, key.length);
            arenaSize += needed;
            return ref;
        }

        private void insert(long hash, int ref) {
            int mask = hashes.length - 1;
            int i = (int) hash & mask;
            while (hashes[i] != 0) {
                i = (i + 1) & mask;
            }
            hashes[i] = hash;
            refs[i] = ref;
        }

        private void grow() {
            long[] oldHashes = hashes;
            int[] oldRefs = refs;
            hashes = new long[oldHashes.length * 2];
            refs = new int[oldRefs.length * 2];
            for (int i = 0; i < oldHashes.length; i++) {
                if (oldHashes[i] != 0) {
                    insert(oldHashes[i], oldRefs[i]);
                }
            }
        }

        private int readInt(int at) {
            return (arena[at] & 0xff) << 24 | (arena[at + 1] & 0xff) << 16 | (arena[at + 2] & 0xff) << 8 | (arena[at + 3] & 0xff);
        }

        private void writeInt(int at, int value) {
            arena[at] = (byte) (value >>> 24);
            arena[at + 1] = (byte) (value >>> 16);
            arena[at + 2] = (byte) (value >>> 8);
            arena[at + 3] = (byte) value;
        }
    }
}
