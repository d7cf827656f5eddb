package io.ferrite.core.checkpoint;

import io.ferrite.core.api.LogCorruptedException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The framing of a checkpoint file: a sequence of sections, each {@code [type:int][length:int]
 * [crc32c:int]} followed by {@code length} bytes of payload. A reader checks each section's
 * checksum before it uses a byte of it, so a damaged file is reported with its name, offset
 * and section, never half-applied.
 */
final class Sections {
    static final int MAX_PAYLOAD = 16 << 20;

    private Sections() {}

    /** Writes sections to a stream; payloads are built in a growing buffer first. */
    static final class Writer implements AutoCloseable {
        private final OutputStream out;
        private final CRC32C crc = new CRC32C();
        private ByteBuffer payload = ByteBuffer.allocate(1 << 16);
        private final ByteBuffer header = ByteBuffer.allocate(12);
        private long written;

        Writer(OutputStream out) {
            this.out = new BufferedOutputStream(out, 1 << 20);
        }

        /** Starts a section's payload (the previous one must have been ended). */
        Writer begin() {
            payload.clear();
            return this;
        }

        private void room(int n) {
            if (payload.remaining() < n) {
                int size = payload.capacity();
                while (size - payload.position() < n) {
                    size *= 2;
                }
                if (size > MAX_PAYLOAD) {
                    throw new IllegalStateException("checkpoint section over " + MAX_PAYLOAD + " bytes");
                }
                ByteBuffer grown = ByteBuffer.allocate(size);
                payload.flip();
                grown.put(payload);
                payload = grown;
            }
        }

        Writer putInt(int v) {
            room(4);
            payload.putInt(v);
            return this;
        }

        Writer putLong(long v) {
            room(8);
            payload.putLong(v);
            return this;
        }

        Writer putDouble(double v) {
            room(8);
            payload.putDouble(v);
            return this;
        }

        Writer putLongs(long[] values) {
            putInt(values.length);
            room(values.length * 8);
            for (long v : values) {
                payload.putLong(v);
            }
            return this;
        }

        Writer putInts(int[] values) {
            putInt(values.length);
            room(values.length * 4);
            for (int v : values) {
                payload.putInt(v);
            }
            return this;
        }

        Writer putString(String s) {
            byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            putInt(bytes.length);
            room(bytes.length);
            payload.put(bytes);
            return this;
        }

        Writer putBytes(MemorySegment from, long offset, int length) {
            room(length);
            MemorySegment.copy(from, ValueLayout.JAVA_BYTE, offset, payload.array(), payload.position(), length);
            payload.position(payload.position() + length);
            return this;
        }

        /** Ends the payload begun last and writes the section. */
        void end(int type) throws IOException {
            int length = payload.position();
            crc.reset();
            crc.update(payload.array(), 0, length);
            header.clear();
            header.putInt(type).putInt(length).putInt((int) crc.getValue());
            out.write(header.array(), 0, 12);
            out.write(payload.array(), 0, length);
            written += 12 + length;
        }

        long written() {
            return written;
        }

        void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Reads the sections a {@link Writer} wrote, checking each one. */
    static final class Reader implements AutoCloseable {
        private final DataInputStream in;
        private final Path path;
        private final CRC32C crc = new CRC32C();
        private byte[] buffer = new byte[1 << 16];
        private ByteBuffer payload;
        private long offset;
        private long sectionOffset;

        Reader(InputStream in, Path path) {
            this.in = new DataInputStream(new BufferedInputStream(in, 1 << 20));
            this.path = path;
        }

        /** Reads the next section, which must be of {@code type}; its payload is then read with the getters. */
        Reader next(int type, String what) throws IOException {
            int actual = nextAny(what);
            if (actual != type) {
                throw corrupt("expected the " + what + " (section " + type + "), found section " + actual);
            }
            return this;
        }

        /** Reads the next section, whatever its type, and returns the type. */
        int nextAny(String what) throws IOException {
            sectionOffset = offset;
            int actual;
            int length;
            int expectedCrc;
            try {
                actual = in.readInt();
                length = in.readInt();
                expectedCrc = in.readInt();
            } catch (EOFException e) {
                throw corrupt("the file ends before the " + what);
            }
            if (length < 0 || length > MAX_PAYLOAD) {
                throw corrupt("the " + what + " claims " + length + " bytes");
            }
            if (buffer.length < length) {
                buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            try {
                in.readFully(buffer, 0, length);
            } catch (EOFException e) {
                throw corrupt("the file ends inside the " + what);
            }
            crc.reset();
            crc.update(buffer, 0, length);
            if ((int) crc.getValue() != expectedCrc) {
                throw corrupt("checksum mismatch (CRC32C) in the " + what);
            }
            offset += 12 + length;
            payload = ByteBuffer.wrap(buffer, 0, length);
            return actual;
        }

        /** True when more bytes follow (a finished file has none). */
        boolean nextAnyOrEof() throws IOException {
            return in.read() >= 0;
        }

        LogCorruptedException corrupt(String why) {
            return new LogCorruptedException("corrupt checkpoint file " + path + " at offset " + sectionOffset + ": " + why);
        }

        private void need(long n) {
            if (payload.remaining() < n) {
                throw corrupt("a section is shorter than its contents");
            }
        }

        int getInt() {
            need(4);
            return payload.getInt();
        }

        long getLong() {
            need(8);
            return payload.getLong();
        }

        double getDouble() {
            need(8);
            return payload.getDouble();
        }

        long[] getLongs() {
            int n = getInt();
            if (n < 0) {
                throw corrupt("negative count");
            }
            need(8L * n);
            long[] out = new long[n];
            payload.asLongBuffer().get(out);
            payload.position(payload.position() + 8 * n);
            return out;
        }

        int[] getInts() {
            int n = getInt();
            if (n < 0) {
                throw corrupt("negative count");
            }
            need(4L * n);
            int[] out = new int[n];
            payload.asIntBuffer().get(out);
            payload.position(payload.position() + 4 * n);
            return out;
        }

        String getString() {
            int n = getInt();
            if (n < 0) {
                throw corrupt("negative length");
            }
            need(n);
            String s = new String(buffer, payload.position(), n, java.nio.charset.StandardCharsets.UTF_8);
            payload.position(payload.position() + n);
            return s;
        }

        /** The rest of the payload, copied into {@code to} at {@code at}; returns its length. */
        int copyRest(MemorySegment to, long at) {
            int n = payload.remaining();
            if (at + n > to.byteSize()) {
                throw corrupt("a page's data runs past the page");
            }
            MemorySegment.copy(buffer, payload.position(), to, ValueLayout.JAVA_BYTE, at, n);
            payload.position(payload.position() + n);
            return n;
        }

        int remaining() {
            return payload.remaining();
        }

        void expectEnd() {
            if (payload.remaining() != 0) {
                throw corrupt("a section holds " + payload.remaining() + " bytes more than its contents");
            }
        }

        long offset() {
            return offset;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
