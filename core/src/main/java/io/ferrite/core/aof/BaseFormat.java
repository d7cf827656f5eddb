package io.ferrite.core.aof;

import io.ferrite.core.checkpoint.Checkpoints;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The form of the base a rewrite writes from a frozen checkpoint: RESP commands by default
 * ({@link BaseWriter}), or an RDB file, which the door supplies for {@code aof-use-rdb-preamble
 * yes} (the engine knows no RDB). The file's first bytes tell the two apart at load.
 */
@FunctionalInterface
public interface BaseFormat {
    /** RESP commands, as Redis writes its base with {@code aof-use-rdb-preamble no}. */
    BaseFormat COMMANDS = BaseWriter::new;

    /** Starts a base file at {@code file}. */
    Base open(Path file) throws IOException;

    /** One base being written: every key goes in through the sink, then {@link #finish}, then {@link #close}. */
    interface Base extends Checkpoints.KeySink, AutoCloseable {
        /** Completes the file and forces it to the device. */
        void finish() throws IOException;

        @Override
        void close() throws IOException;
    }
}
