package io.ferrite.core;

import io.ferrite.core.engine.Engine;

/** Test access to the engine behind a store (shards, budget), which the doors never see. */
public final class Internals {
    private Internals() {}

    public static Engine engine(FerriteStore store) {
        return store.engine();
    }
}
