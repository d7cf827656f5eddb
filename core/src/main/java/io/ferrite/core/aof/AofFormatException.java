package io.ferrite.core.aof;

import java.nio.file.Path;

/**
 * An append-only file or manifest that cannot be read as written: names the file and the byte
 * offset where reading stopped, so that the operator knows what to inspect or fix
 * ({@code ./ferrite check-aof --fix}).
 */
public final class AofFormatException extends Exception {
    private final Path file;
    private final long offset;

    public AofFormatException(Path file, long offset, String problem) {
        super(problem + " in " + file + " at offset " + offset);
        this.file = file;
        this.offset = offset;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }

    /** Where its last complete command ends (everything before it is valid). */
    public long offset() {
        return offset;
    }
}
