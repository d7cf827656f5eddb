package io.ferrite.core.aof;

import io.ferrite.core.api.KeySnapshot;
import io.ferrite.core.api.ValueExport;
import java.util.function.Consumer;

/**
 * One key's image for an AOF rewrite: its {@link ValueCommands}, taken under the key's lock
 * (see {@link KeySnapshot}) and only if the rewrite's ledger has no image of it yet. If the
 * engine restarts the export after a disk read, a hash's, set's or sorted set's image is sent
 * again from its start: those commands are idempotent, so the repeat is harmless; strings and
 * lists are one record and never restart midway.
 */
final class KeyImage implements KeySnapshot {
    /** Decides, under the lock, whether the key still needs an image, and records that it has one. */
    interface Ledger {
        boolean needsImage(int db, byte[] key);

        void imaged(int db, byte[] key);
    }

    private final int db;
    private final byte[] key;
    private final Ledger ledger;
    private final ValueCommands commands;

    KeyImage(int db, byte[] key, Ledger ledger, Consumer<byte[]> sink) {
        this.db = db;
        this.key = key;
        this.ledger = ledger;
        this.commands = new ValueCommands(key, sink);
    }

    @Override
    public boolean begin() {
        commands.reset();
        return ledger.needsImage(db, key);
    }

    @Override
    public ValueExport export() {
        return commands;
    }

    @Override
    public void end(boolean exists, long expireAt) {
        if (exists) {
            commands.expiry(expireAt);
        }
        ledger.imaged(db, key);
    }
}
