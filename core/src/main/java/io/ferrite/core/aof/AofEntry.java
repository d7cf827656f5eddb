package io.ferrite.core.aof;

/**
 * One slot of the append-only file's queue. Its place in the file is fixed when it is queued
 * (under the shard lock of the change it records, so changes of one key keep their order); its
 * bytes may come a moment later, when the command that claimed it has computed its logged
 * form (SPOP's popped members, INCRBYFLOAT's result). The writer waits for them.
 */
public final class AofEntry {
    /** Bytes of an entry whose command turned out to log nothing. */
    static final byte[] NOTHING = new byte[0];

    /** What the writer does with an entry. */
    enum Kind {
        /** A command for the incremental file. */
        COMMAND,
        /** Part of a key's image, for the rewrite file the writer writes itself. */
        REWRITE_IMAGE,
        /**
         * Marks where a rewrite's base is taken: later commands go to a new incremental file,
         * and the writer opens a rewrite file of its own for images when asked to.
         */
        REWRITE_START,
        /** Marks where a rewrite ends: the writer makes the new base (its own or {@link #file}) current. */
        REWRITE_END,
        /** Marks a rewrite given up: the writer deletes its rewrite file. */
        REWRITE_ABORT,
        /** Asks the writer for an fsync of everything before it (SHUTDOWN, close). */
        SYNC,
        /** Asks the writer where in the incremental file it is (a checkpoint was frozen here). */
        POSITION
    }

    final Kind kind;
    /** The database the command runs in; -1 when it names none (FLUSHALL). Set before the bytes. */
    int db;
    private volatile byte[] command;
    /** The entry's number in write order, set by the writer (0 = not written yet). */
    volatile long position;
    /** For a POSITION marker: where the writer was, set before {@link #done} completes. */
    volatile AofPosition at;
    /** For a REWRITE_START marker: the writer is to write the images it is sent into a rewrite file of its own. */
    boolean imagesToWriter;
    /** For a REWRITE_END marker: the base the rewrite wrote itself (null: the writer's own). */
    java.nio.file.Path file;
    /** For markers: completed by the writer when it has acted on them. */
    final java.util.concurrent.CompletableFuture<Void> done;

    AofEntry(Kind kind, int db, byte[] command) {
        this.kind = kind;
        this.db = db;
        this.command = command;
        this.done = kind == Kind.COMMAND || kind == Kind.REWRITE_IMAGE ? null : new java.util.concurrent.CompletableFuture<>();
    }

    static AofEntry marker(Kind kind) {
        return new AofEntry(kind, -1, NOTHING);
    }

    byte[] command() {
        return command;
    }

    /** Sets the entry's bytes (once); {@code bytes} of length 0 log nothing. */
    void fill(byte[] bytes) {
        this.command = bytes;
    }

    boolean filled() {
        return command != null;
    }
}
