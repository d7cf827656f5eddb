package io.ferrite.core.engine;

import io.ferrite.core.shard.Shard;

/**
 * The shards a multi-key operation locks. They are locked in id order (so two operations never
 * wait on each other in a cycle) and released in the reverse order (so the thread's disk-read
 * mode before the first lock is restored after the last; see {@link Shard#unlock}).
 */
public final class ShardSet {
    private final Shard[] all;
    private final boolean[] member;
    private int size;

    ShardSet(Shard[] all) {
        this.all = all;
        this.member = new boolean[all.length];
    }

    /** Adds the shard; returns this. */
    public ShardSet add(Shard shard) {
        if (!member[shard.id()]) {
            member[shard.id()] = true;
            size++;
        }
        return this;
    }

    /** Adds every shard. */
    public ShardSet addAll() {
        for (Shard shard : all) {
            add(shard);
        }
        return this;
    }

    public int size() {
        return size;
    }

    void lock() {
        for (int i = 0; i < all.length; i++) {
            if (member[i]) {
                all[i].lock();
            }
        }
    }

    void unlock() {
        for (int i = all.length - 1; i >= 0; i--) {
            if (member[i]) {
                all[i].unlock();
            }
        }
    }
}
