package io.ferrite.server.rdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes an RDB file as redis-server 7.0 does (version 10): the signature, auxiliary fields,
 * then each key (a database selector when the database changes, its expiry, its
 * {@link RdbObjectWriter object}), then EOF and the CRC-64 of everything before it. Keys may
 * come in any order of databases and from several threads at once (a point-in-time image
 * gets them from the writers it met and from its own scan): {@link #key} is synchronized.
 * Redis's loader reads such a file as it reads its own.
 */
public final class RdbFileWriter implements AutoCloseable {
    public static final int VERSION = 10;
    private static final int OPCODE_AUX = 250;
    private static final int OPCODE_EXPIRETIME_MS = 252;
    private static final int OPCODE_SELECTDB = 254;
    private static final int OPCODE_EOF = 255;
    private static final int FLUSH_AT = 1 << 20;

    private final FileChannel channel;
    private final RdbWriter buffer = new RdbWriter(FLUSH_AT + (64 << 10));
    private long crc;
    private long written;
    private long keys;
    private int db = -1;
    private final boolean checksum;

    /** Creates (or empties) {@code file} and writes the header and {@code aux} fields. */
    public RdbFileWriter(Path file, Map<String, String> aux, boolean checksum) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.checksum = checksum;
        byte[] signature = ("REDIS" + String.format("%04d", VERSION)).getBytes(StandardCharsets.US_ASCII);
        buffer.writeBytes(signature, 0, signature.length);
        for (Map.Entry<String, String> field : aux.entrySet()) {
            buffer.writeByte(OPCODE_AUX);
            RdbStringCodec.write(buffer, field.getKey().getBytes(StandardCharsets.UTF_8));
            RdbStringCodec.write(buffer, field.getValue().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Adds a key of database {@code db} with its RDB {@code object} and expiry (epoch ms, 0: none). */
    public synchronized void key(int db, byte[] key, long expireAt, byte[] object) throws IOException {
        if (db != this.db) {
            buffer.writeByte(OPCODE_SELECTDB).writeLength(db);
            this.db = db;
        }
        if (expireAt > 0) {
            buffer.writeByte(OPCODE_EXPIRETIME_MS).writeLittleEndian(expireAt, 8);
        }
        buffer.writeByte(object[0] & 0xff);
        RdbStringCodec.write(buffer, key);
        buffer.writeBytes(object, 1, object.length - 1);
        keys++;
        if (buffer.size() >= FLUSH_AT) {
            drain();
        }
    }

    public synchronized long keys() {
        return keys;
    }

    /** Bytes written so far. */
    public synchronized long size() {
        return written + buffer.size();
    }

    /** Writes EOF and the checksum and fsyncs the file. */
    public synchronized void finish() throws IOException {
        buffer.writeByte(OPCODE_EOF);
        drain();
        ByteBuffer footer = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(checksum ? crc : 0).flip();
        while (footer.hasRemaining()) {
            written += channel.write(footer);
        }
        channel.force(true);
    }

    private void drain() throws IOException {
        crc = Crc64.update(crc, buffer.array(), 0, buffer.size());
        ByteBuffer bytes = ByteBuffer.wrap(buffer.array(), 0, buffer.size());
        while (bytes.hasRemaining()) {
            written += channel.write(bytes);
        }
        buffer.clear();
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
