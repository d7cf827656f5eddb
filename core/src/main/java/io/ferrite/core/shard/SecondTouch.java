package io.ferrite.core.shard;

/**
 * Admission filter for promoting cold reads: remembers the addresses of recently read cold
 * records in a small direct-mapped table, so that a record is copied back to memory on its
 * second read within a short window, not its first.
 *
 * <p>Promoting every cold read lets keys read once in a long while push hot ones out of memory,
 * and each copy leaves a dead cold record behind for compaction; a key read twice in quick
 * succession is likely to be read again (the doorkeeper of TinyLFU). The table holds 32-bit
 * fingerprints: a collision can promote a record early or forget one, which only changes
 * timing. Racy plain reads and writes from several threads are fine for the same reason.
 */
final class SecondTouch {
    private final int[] seen;
    private final int mask;

    /** @param slots table size, rounded up to a power of two */
    SecondTouch(int slots) {
        int size = Integer.highestOneBit(Math.max(2, slots - 1)) << 1;
        this.seen = new int[size];
        this.mask = size - 1;
    }

    /** Bytes of memory the table takes. */
    long bytes() {
        return (long) seen.length * Integer.BYTES;
    }

    /**
     * Records a read of the cold record at {@code address}.
     *
     * @return true when the same record was read recently (and forgets it, so it counts once)
     */
    boolean secondRead(long address) {
        long mixed = address * 0x9E3779B97F4A7C15L;
        int slot = (int) (mixed >>> 40) & mask;
        int fingerprint = (int) mixed | 1;
        if (seen[slot] == fingerprint) {
            seen[slot] = 0;
            return true;
        }
        seen[slot] = fingerprint;
        return false;
    }
}
