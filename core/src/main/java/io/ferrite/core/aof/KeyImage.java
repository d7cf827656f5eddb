package io.ferrite.core.aof;

import io.ferrite.core.api.ValueExport;
import io.ferrite.core.snapshot.KeyImageWriter;
import java.util.function.Consumer;

/**
 * One key's image in a new AOF base: its {@link ValueCommands}. If the engine restarts the
 * export after a disk read, a hash's, set's or sorted set's commands sent so far stay in the
 * stream and the value is sent again from its start: those commands are idempotent, so the
 * repeat is harmless; strings and lists are one record and never restart midway.
 */
final class KeyImage implements KeyImageWriter {
    private final ValueCommands commands;

    KeyImage(byte[] key, Consumer<byte[]> sink) {
        this.commands = new ValueCommands(key, sink);
    }

    @Override
    public void reset() {
        commands.reset();
    }

    @Override
    public ValueExport export() {
        return commands;
    }

    @Override
    public void complete(long expireAt) {
        commands.expiry(expireAt);
    }
}
