package io.ferrite.core.collection;

import io.ferrite.core.EncodingLimits;
import io.ferrite.core.shard.Shard;

/**
 * The collection machinery of one store: a {@link Workspace} per shard, shared by the collection
 * families (a workspace is used only under its shard's lock, by one command at a time),
 * and the stores that implement each type on it.
 */
public final class CollectionSpace {
    private final Workspace[] workspaces;
    private final EncodingLimits limits;
    private final HashStore hashes;
    private final SetStore sets;
    private final SetAlgebra algebra;
    private final ListStore lists = new ListStore();
    private final ZSetStore zsets = new ZSetStore();

    public CollectionSpace(Shard[] shards, EncodingLimits limits) {
        this.workspaces = new Workspace[shards.length];
        for (int i = 0; i < shards.length; i++) {
            workspaces[i] = new Workspace(shards[i]);
        }
        this.limits = limits;
        this.hashes = new HashStore(limits);
        this.sets = new SetStore(limits);
        this.algebra = new SetAlgebra(sets);
    }

    /** The workspace of {@code shard}; use it only while holding the shard's lock. */
    public Workspace workspace(Shard shard) {
        return workspaces[shard.id()];
    }

    public EncodingLimits limits() {
        return limits;
    }

    public HashStore hashes() {
        return hashes;
    }

    public SetStore sets() {
        return sets;
    }

    public ListStore lists() {
        return lists;
    }

    public ZSetStore zsets() {
        return zsets;
    }

    public SetAlgebra algebra() {
        return algebra;
    }
}
