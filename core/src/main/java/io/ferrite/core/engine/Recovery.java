package io.ferrite.core.engine;

import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.shard.Shard;
import java.nio.file.Path;

/**
 * How an engine comes back from the files an earlier run left in its log directory
 * ({@code <dir>/hybridlog}); {@code io.ferrite.core.checkpoint} implements it. Without one, or
 * when it finds nothing to restore, those files are deleted at start and at a clean close.
 */
public interface Recovery {
    /** Restores nothing: the files of an earlier run are removed. */
    Recovery NONE = new Recovery() {
        @Override
        public boolean restorable(Path logRoot) {
            return false;
        }

        @Override
        public void restore(Path logRoot, Shard[] shards, LightEpoch epoch) {
            throw new IllegalStateException("nothing to restore");
        }
    };

    /** True when {@code logRoot} holds something to restore; its files are then kept. */
    boolean restorable(Path logRoot);

    /** Restores the new, empty shards from {@code logRoot}, before any thread of the engine runs. */
    void restore(Path logRoot, Shard[] shards, LightEpoch epoch);
}
