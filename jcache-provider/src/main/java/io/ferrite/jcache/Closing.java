package io.ferrite.jcache;

import java.io.Closeable;
import java.io.IOException;

/**
 * Closes what a cache created from its configuration's factories (loaders, writers, expiry
 * policies, listeners, filters) when the cache closes, as JSR-107 asks: those that are
 * {@link Closeable}, each on its own, a failure logged rather than stopping the others.
 */
public final class Closing {
    private static final System.Logger LOG = System.getLogger("ferrite.jcache");

    private Closing() {}

    public static void quietly(Object o) {
        if (o instanceof Closeable c) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + o + " failed", e);
            }
        }
    }
}
