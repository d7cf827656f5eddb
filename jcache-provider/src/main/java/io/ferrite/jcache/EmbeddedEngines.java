package io.ferrite.jcache;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.StoreConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The engines embedded in this JVM, one per cache-manager URI, shared by every manager of that
 * URI (whatever its class loader) and closed when the last of them closes. An engine the
 * application opened itself (passed as {@link FerriteCachingProvider#STORE_PROPERTY}) is used
 * as it is and never closed here.
 */
final class EmbeddedEngines {
    private record Shared(FerriteStore store, int[] users) {}

    private static final Map<URI, Shared> ENGINES = new HashMap<>();

    private EmbeddedEngines() {}

    static synchronized FerriteStore acquire(URI uri, StoreConfig config) {
        Shared shared = ENGINES.get(uri);
        if (shared == null || shared.store.isClosed()) {
            shared = new Shared(FerriteStore.open(config), new int[1]);
            ENGINES.put(uri, shared);
        }
        shared.users[0]++;
        return shared.store;
    }

    static synchronized void release(URI uri, FerriteStore store) {
        Shared shared = ENGINES.get(uri);
        if (shared == null || shared.store != store) {
            return;
        }
        if (--shared.users[0] == 0) {
            ENGINES.remove(uri);
            store.close();
        }
    }
}
