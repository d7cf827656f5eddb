package io.ferrite.jcache;

import java.util.function.Supplier;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;

/**
 * A cache's {@link ExpiryPolicy} turned into the engine's absolute expiry times (epoch ms),
 * so {@code TTL users:42} agrees with the cache. A policy that throws is treated as the
 * specification's reference implementation does: eternal on creation, unchanged on access and
 * update.
 */
final class ExpiryTimes {
    /** No expiry. */
    static final long ETERNAL = 0;
    /** Already expired: the entry is not written, or is removed. */
    static final long EXPIRED = -1;
    /** Leave the current expiry as it is. */
    static final long UNCHANGED = -2;

    private static final System.Logger LOG = System.getLogger("ferrite.jcache");

    private final ExpiryPolicy policy;
    private final boolean eternal;

    ExpiryTimes(ExpiryPolicy policy) {
        this.policy = policy;
        this.eternal = policy instanceof EternalExpiryPolicy;
    }

    ExpiryPolicy policy() {
        return policy;
    }

    /** Whether entries never expire: created without a TTL, their TTL untouched by updates and reads. */
    boolean eternal() {
        return eternal;
    }

    long forCreation() {
        long at = at(policy::getExpiryForCreation);
        return at == UNCHANGED ? ETERNAL : at;
    }

    long forUpdate() {
        return at(policy::getExpiryForUpdate);
    }

    long forAccess() {
        return at(policy::getExpiryForAccess);
    }

    private static long at(Supplier<Duration> duration) {
        Duration d;
        try {
            d = duration.get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the expiry policy failed; keeping the current expiry", e);
            return UNCHANGED;
        }
        if (d == null) {
            return UNCHANGED;
        }
        if (d.isEternal()) {
            return ETERNAL;
        }
        if (d.isZero()) {
            return EXPIRED;
        }
        long millis = Math.max(1, d.getTimeUnit().toMillis(d.getDurationAmount()));
        return System.currentTimeMillis() + millis;
    }
}
