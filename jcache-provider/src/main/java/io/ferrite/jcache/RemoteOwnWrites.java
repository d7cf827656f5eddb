package io.ferrite.jcache;

import io.ferrite.core.api.ChangeKind;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells one remote cache's own writes from other clients' in the server's notifications. The
 * cache raises its own listener events (with old values), so the notification its write causes
 * must be dropped. A write that may change the key registers that one notification is expected
 * before it is sent; one that turns out to change nothing withdraws it after the reply. The
 * notification and the reply travel on different connections, so either may come first.
 *
 * <p>When a failed write withdraws an expectation that another client's notification already
 * used up, that notification was not ours after all and is delivered then.
 */
final class RemoteOwnWrites {
    /** Expectations of one key. Guarded by the map's per-key compute. */
    private static final class Pending {
        /** Writes sent whose reply has not been settled. */
        int outstanding;
        /** Notifications still expected from our writes. */
        int expected;
        /** The last notification taken as ours, in case it must be handed back. */
        ChangeKind swallowedKind;
        boolean swallowedExisted;
    }

    private final ConcurrentHashMap<KeyDirectory.Key, Pending> pending = new ConcurrentHashMap<>();
    private volatile KeyDirectory.ForeignChanges foreign = (key, kind, existed, oldValue) -> { };

    void deliverTo(KeyDirectory.ForeignChanges foreign) {
        this.foreign = foreign;
    }

    /** Before sending a write of {@code key} that may change it. */
    void expect(byte[] key) {
        pending.compute(new KeyDirectory.Key(key), (k, p) -> {
            Pending state = p == null ? new Pending() : p;
            state.outstanding++;
            state.expected++;
            return state;
        });
    }

    /** After the write's reply: {@code changed} says whether it changed the key (and so notifies). */
    void settled(byte[] key, boolean changed) {
        KeyDirectory.Key k = new KeyDirectory.Key(key);
        Pending[] handBack = new Pending[1];
        pending.computeIfPresent(k, (ignored, p) -> {
            p.outstanding--;
            if (!changed) {
                if (p.expected > 0) {
                    p.expected--;
                } else if (p.swallowedKind != null) {
                    Pending copy = new Pending();
                    copy.swallowedKind = p.swallowedKind;
                    copy.swallowedExisted = p.swallowedExisted;
                    handBack[0] = copy;
                    p.swallowedKind = null;
                }
            }
            return p.outstanding == 0 && p.expected == 0 ? null : p;
        });
        if (handBack[0] != null) {
            foreign.changed(k, handBack[0].swallowedKind, handBack[0].swallowedExisted, null);
        }
    }

    /** A notification of {@code key}: true if one of our writes caused it (drop it). */
    boolean isOwn(KeyDirectory.Key key, ChangeKind kind, boolean existedBefore) {
        boolean[] own = new boolean[1];
        pending.computeIfPresent(key, (k, p) -> {
            if (p.expected == 0) {
                return p;
            }
            own[0] = true;
            p.expected--;
            p.swallowedKind = kind;
            p.swallowedExisted = existedBefore;
            return p.outstanding == 0 && p.expected == 0 ? null : p;
        });
        return own[0];
    }

    /** Notifications were lost: nothing is expected any more. */
    void forgetAll() {
        pending.clear();
    }
}
