package io.ferrite.core.aof;

/**
 * A point in the append-only file: the incremental file (its name in the AOF directory), the
 * byte offset in it, and the database its commands had selected there. A checkpoint of the log
 * frozen at that point is completed by replaying the AOF from it.
 */
public record AofPosition(String file, long offset, int db) {
    /** As a tag word list: {@code <file> <offset> <db>}. */
    public String format() {
        return file + " " + offset + " " + db;
    }

    /** The inverse of {@link #format}; null when {@code text} is not one. */
    public static AofPosition parse(String text) {
        int db = text.lastIndexOf(' ');
        int offset = db <= 0 ? -1 : text.lastIndexOf(' ', db - 1);
        if (offset <= 0) {
            return null;
        }
        try {
            return new AofPosition(text.substring(0, offset), Long.parseLong(text.substring(offset + 1, db)),
                    Integer.parseInt(text.substring(db + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
