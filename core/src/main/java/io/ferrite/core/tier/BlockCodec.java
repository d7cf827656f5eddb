package io.ferrite.core.tier;

import io.ferrite.core.api.Compression;
import com.github.luben.zstd.Zstd;
import io.ferrite.core.api.LogCorruptedException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The on-disk form of one cold block: a run of whole records, compressed, behind a
 * self-describing header, so a segment file can be read back (or scanned at recovery) without
 * any other metadata.
 *
 * <pre>
 * offset 0   int   magic "FBLK"
 * offset 4   byte  format version (1)
 * offset 5   byte  compression code ({@link Compression})
 * offset 6   short reserved (0)
 * offset 8   long  logical address of the block's first record
 * offset 16  int   raw length (bytes of records)
 * offset 20  int   stored length (bytes after the header)
 * offset 24  int   CRC32C of bytes 0..23 and of the stored bytes
 * offset 28  int   reserved (0)
 * offset 32  stored bytes
 * </pre>
 *
 * A block whose compressed form would not be smaller is stored uncompressed (code NONE), so
 * incompressible values cost 32 bytes per block, not more. Little-endian throughout.
 *
 * <p>An encoder instance keeps scratch buffers and is confined to one thread; {@link #decode}
 * is static and thread-safe.
 */
public final class BlockCodec {
    public static final int HEADER_SIZE = 32;
    private static final int MAGIC = 0x4B4C4246; // "FBLK" read as a little-endian int
    private static final int VERSION = 1;
    private static final LZ4Compressor LZ4_COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final LZ4SafeDecompressor LZ4_DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    private static final int ZSTD_LEVEL = 3;

    private final Compression compression;
    private final CRC32C crc = new CRC32C();
    private byte[] raw = new byte[0];
    private byte[] out = new byte[0];

    public BlockCodec(Compression compression) {
        this.compression = compression;
    }

    /**
     * Encodes {@code length} bytes of {@code source} at {@code offset} (records starting at
     * logical address {@code address}).
     *
     * @return the encoded block; valid in {@link #output()} until the next call
     */
    public int encode(MemorySegment source, long offset, int length, long address) {
        if (raw.length < length) {
            raw = new byte[length];
        }
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, offset, raw, 0, length);
        int bound = HEADER_SIZE + maxStored(length);
        if (out.length < bound) {
            out = new byte[bound];
        }
        Compression used = compression;
        int stored = switch (compression) {
            case NONE -> -1;
            case LZ4 -> LZ4_COMPRESSOR.compress(raw, 0, length, out, HEADER_SIZE, out.length - HEADER_SIZE);
            case ZSTD -> {
                long n = Zstd.compressByteArray(out, HEADER_SIZE, out.length - HEADER_SIZE, raw, 0, length, ZSTD_LEVEL);
                yield Zstd.isError(n) ? -1 : (int) n;
            }
        };
        if (stored < 0 || stored >= length) {
            used = Compression.NONE;
            System.arraycopy(raw, 0, out, HEADER_SIZE, length);
            stored = length;
        }
        ByteBuffer header = ByteBuffer.wrap(out, 0, HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0, MAGIC);
        header.put(4, (byte) VERSION);
        header.put(5, (byte) used.code());
        header.putShort(6, (short) 0);
        header.putLong(8, address);
        header.putInt(16, length);
        header.putInt(20, stored);
        header.putInt(28, 0);
        header.putInt(24, checksum(out, stored));
        return HEADER_SIZE + stored;
    }

    /** The buffer {@link #encode} wrote into. */
    public byte[] output() {
        return out;
    }

    private int maxStored(int length) {
        return switch (compression) {
            case NONE -> length;
            case LZ4 -> Math.max(length, LZ4_COMPRESSOR.maxCompressedLength(length));
            case ZSTD -> (int) Math.max(length, Zstd.compressBound(length));
        };
    }

    private int checksum(byte[] block, int stored) {
        crc.reset();
        crc.update(block, 0, 24);
        crc.update(block, HEADER_SIZE, stored);
        return (int) crc.getValue();
    }

    /** The stored length in a block header, to know how much to read after the header. */
    public static int storedLength(byte[] header) {
        return ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(20);
    }

    /**
     * Checks and decodes one block read from disk.
     *
     * @param block           the header and stored bytes
     * @param expectedAddress the address the directory says the block starts at
     * @param rawLength       the raw length the directory recorded
     * @param file            the segment file the block was read from, and
     * @param offset          its offset there, both for error messages only (named lazily: a
     *                        read that succeeds builds no string)
     * @return the records
     * @throws LogCorruptedException when anything does not match what was written
     */
    public static byte[] decode(byte[] block, long expectedAddress, int rawLength, Path file, long offset) {
        return decode(block, block.length, expectedAddress, rawLength, file, offset);
    }

    /** As {@link #decode(byte[], long, int, Path, long)}, for a block in the first {@code blockLength} bytes of {@code block}. */
    public static byte[] decode(byte[] block, int blockLength, long expectedAddress, int rawLength, Path file, long offset) {
        if (blockLength < HEADER_SIZE) {
            throw corrupt(file, offset, "block is truncated (" + blockLength + " bytes)");
        }
        ByteBuffer header = ByteBuffer.wrap(block, 0, HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        if (header.getInt(0) != MAGIC || header.get(4) != VERSION) {
            throw corrupt(file, offset, "bad block header");
        }
        int stored = header.getInt(20);
        int length = header.getInt(16);
        if (stored < 0 || stored > blockLength - HEADER_SIZE) {
            throw corrupt(file, offset, "stored length " + stored + " does not fit the block");
        }
        CRC32C crc = new CRC32C();
        crc.update(block, 0, 24);
        crc.update(block, HEADER_SIZE, stored);
        if ((int) crc.getValue() != header.getInt(24)) {
            throw corrupt(file, offset, "checksum mismatch (CRC32C)");
        }
        if (header.getLong(8) != expectedAddress || length != rawLength) {
            throw corrupt(file, offset, "block holds address " + header.getLong(8) + " length " + length
                    + ", expected " + expectedAddress + " length " + rawLength);
        }
        byte[] raw;
        int code = header.get(5);
        try {
            raw = switch (Compression.ofCode(code)) {
                case NONE -> {
                    if (stored != length) {
                        throw corrupt(file, offset, "uncompressed block with stored length " + stored + " != " + length);
                    }
                    byte[] copy = new byte[length];
                    System.arraycopy(block, HEADER_SIZE, copy, 0, length);
                    yield copy;
                }
                case LZ4 -> {
                    byte[] dest = new byte[length];
                    int n = LZ4_DECOMPRESSOR.decompress(block, HEADER_SIZE, stored, dest, 0, length);
                    if (n != length) {
                        throw corrupt(file, offset, "LZ4 block decoded to " + n + " bytes, expected " + length);
                    }
                    yield dest;
                }
                case ZSTD -> {
                    byte[] dest = new byte[length];
                    long n = Zstd.decompressByteArray(dest, 0, length, block, HEADER_SIZE, stored);
                    if (Zstd.isError(n) || n != length) {
                        throw corrupt(file, offset, "zstd block decoded to " + (Zstd.isError(n) ? Zstd.getErrorName(n) : n + " bytes"));
                    }
                    yield dest;
                }
            };
        } catch (LogCorruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt(file, offset, "block does not decode: " + e.getMessage());
        }
        return raw;
    }

    private static LogCorruptedException corrupt(Path file, long offset, String what) {
        return new LogCorruptedException("corrupt log block in " + file + " at offset " + offset + ": " + what);
    }
}
