package io.ferrite.core.checkpoint;

import io.ferrite.core.address.LogicalAddress;
import io.ferrite.core.epoch.LightEpoch;
import io.ferrite.core.index.HashIndex;
import io.ferrite.core.log.HybridLog;
import io.ferrite.core.shard.Shard;
import io.ferrite.core.tier.BlockDirectory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One shard's checkpoint file: its counters and the frozen log's shape (META), each index
 * (INDEX, then its chunks' bytes and its long arrays in pieces), the cold blocks' directory
 * (BLOCKS pieces), and the in-memory pages (PAGE, then DATA pieces of up to 1 MiB), closed by
 * END. The file format is private to this package; {@link Sections} frames it.
 */
final class ShardFile {
    private static final long MAGIC = 0x4652524954434B31L; // "FRRITCK1"
    private static final int VERSION = 1;
    private static final int META = 1;
    private static final int INDEX = 2;
    private static final int CHUNK = 3;
    private static final int LONGS = 4;
    private static final int PAGE = 5;
    private static final int DATA = 6;
    private static final int END = 7;
    private static final int LONGS_PER_PIECE = 1 << 18;
    private static final int DATA_PIECE = 1 << 20;

    private ShardFile() {}

    /** What writing a shard's file produced. */
    record Written(long fileBytes, long pageBytes, boolean complete) {}

    static Path path(Path root, int shard, long id) {
        return root.resolve("shard-" + shard).resolve("checkpoint-%06d.ckpt".formatted(id));
    }

    /** Writes {@code image} and the frozen pages of {@code log} to {@code path}, and forces it to the device. */
    static Written write(Path path, int shardId, Shard.Image image, HybridLog log) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             Sections.Writer out = new Sections.Writer(Channels.newOutputStream(channel))) {
            HybridLog.Frozen frozen = image.log();
            out.begin().putLong(MAGIC).putInt(VERSION).putInt(shardId)
                    .putLong(frozen.begin()).putLong(frozen.head()).putLong(frozen.end()).putLong(frozen.logBytes())
                    .putLong(image.nextCollectionId()).putLongs(image.keyCounts()).putLongs(image.expireCounts())
                    .putLongs(image.liveBytes()).putInts(image.flushGenerations()).end(META);
            for (HashIndex.Image index : image.indexes()) {
                writeIndex(out, index);
            }
            writeIndex(out, image.parts());
            writeLongs(out, image.coldBlocks());
            long[] pageBytes = {0, 0};
            boolean complete = log.copyFrozenPages(frozen, (seq, pages, memory, length) -> {
                out.begin().putLong(seq).putInt(pages).putLong(length).end(PAGE);
                for (long at = 0; at < length; at += DATA_PIECE) {
                    out.begin().putBytes(memory, at, (int) Math.min(DATA_PIECE, length - at)).end(DATA);
                }
                pageBytes[0] += length;
                pageBytes[1]++;
            });
            out.begin().putLong(pageBytes[1]).putLong(pageBytes[0]).end(END);
            out.flush();
            channel.force(true);
            return new Written(out.written(), pageBytes[0], complete);
        }
    }

    private static void writeIndex(Sections.Writer out, HashIndex.Image index) throws IOException {
        long[] marks = index.crossLinkMarks();
        out.begin().putDouble(index.maxLoad()).putInt(index.initialBuckets()).putLong(index.buckets())
                .putLong(index.entryCount()).putLong(index.overflowUsed()).putLong(index.overflowCapacity())
                .putInt(index.primary().length).putInt(index.overflow().length).putInt(marks == null ? 0 : 1).end(INDEX);
        for (MemorySegment chunk : index.primary()) {
            out.begin().putBytes(chunk, 0, (int) chunk.byteSize()).end(CHUNK);
        }
        for (MemorySegment chunk : index.overflow()) {
            out.begin().putBytes(chunk, 0, (int) chunk.byteSize()).end(CHUNK);
        }
        writeLongs(out, index.freeOverflow());
        if (marks != null) {
            writeLongs(out, marks);
        }
    }

    /** A long array as its length, then pieces of up to {@link #LONGS_PER_PIECE}. */
    private static void writeLongs(Sections.Writer out, long[] values) throws IOException {
        out.begin().putLong(values.length).end(LONGS);
        for (int from = 0; from < values.length; from += LONGS_PER_PIECE) {
            out.begin().putLongs(Arrays.copyOfRange(values, from, Math.min(values.length, from + LONGS_PER_PIECE))).end(LONGS);
        }
    }

    /**
     * Restores shard {@code shard} (new and empty) from the file at {@code path}, whose length
     * the pointer gave as {@code expectedLength}.
     *
     * @throws io.ferrite.core.api.LogCorruptedException naming the file and offset when it is damaged
     */
    static void read(Path path, long expectedLength, Shard shard, LightEpoch epoch) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
             Sections.Reader in = new Sections.Reader(Channels.newInputStream(channel), path)) {
            if (channel.size() != expectedLength) {
                throw new io.ferrite.core.api.LogCorruptedException("corrupt checkpoint file " + path + ": it has "
                        + channel.size() + " bytes, the checkpoint pointer says " + expectedLength);
            }
            in.next(META, "shard header");
            if (in.getLong() != MAGIC || in.getInt() != VERSION) {
                throw in.corrupt("not a Ferrite checkpoint file of version " + VERSION);
            }
            int id = in.getInt();
            if (id != shard.id()) {
                throw in.corrupt("the file is shard " + id + "'s, expected shard " + shard.id() + "'s");
            }
            HybridLog.Frozen frozen = new HybridLog.Frozen(in.getLong(), in.getLong(), in.getLong(), in.getLong());
            if (frozen.begin() > frozen.head() || frozen.head() > frozen.end() || frozen.begin() < LogicalAddress.FIRST_VALID) {
                throw in.corrupt("log bounds out of order");
            }
            long nextId = in.getLong();
            long[] keyCounts = in.getLongs();
            long[] expireCounts = in.getLongs();
            long[] liveBytes = in.getLongs();
            int[] generations = in.getInts();
            in.expectEnd();
            int databases = shard.databases();
            if (keyCounts.length != databases || expireCounts.length != databases || liveBytes.length != databases
                    || generations.length != databases) {
                throw new io.ferrite.core.api.StorageException("checkpoint file " + path + " holds " + keyCounts.length
                        + " databases, this store has " + databases);
            }
            HashIndex.Image[] indexes = new HashIndex.Image[databases];
            HashIndex.Image parts = null;
            try {
                for (int db = 0; db < databases; db++) {
                    indexes[db] = readIndex(in, "index of database " + db);
                }
                parts = readIndex(in, "index of collection parts");
                long[] blocks = readLongs(in, "cold block directory");
                if (blocks.length % 4 != 0) {
                    throw in.corrupt("the cold block directory is not whole");
                }
                Shard.Image image = new Shard.Image(frozen, indexes, parts, keyCounts, expireCounts, liveBytes, nextId,
                        generations, blocks);
                try {
                    shard.restore(image, segmentLengths(blocks), epoch);
                } catch (IllegalArgumentException e) {
                    throw in.corrupt(e.getMessage());
                }
            } finally {
                for (HashIndex.Image index : indexes) {
                    if (index != null) {
                        index.close();
                    }
                }
                if (parts != null) {
                    parts.close();
                }
            }
            readPages(in, shard.log());
        }
    }

    private static HashIndex.Image readIndex(Sections.Reader in, String what) throws IOException {
        in.next(INDEX, what);
        double maxLoad = in.getDouble();
        int initialBuckets = in.getInt();
        long buckets = in.getLong();
        long entries = in.getLong();
        long overflowUsed = in.getLong();
        long overflowCapacity = in.getLong();
        int primaryCount = in.getInt();
        int overflowCount = in.getInt();
        boolean marks = in.getInt() != 0;
        in.expectEnd();
        if (primaryCount < 0 || overflowCount < 0 || primaryCount > (1 << 24) || overflowCount > (1 << 24)) {
            throw in.corrupt("the " + what + " claims " + primaryCount + " + " + overflowCount + " chunks");
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment[] primary = readChunks(in, arena, primaryCount, what);
            MemorySegment[] overflow = readChunks(in, arena, overflowCount, what);
            long[] free = readLongs(in, what + " (free buckets)");
            long[] crossLinks = marks ? readLongs(in, what + " (cross links)") : null;
            return new HashIndex.Image(maxLoad, initialBuckets, buckets, entries, overflowUsed, overflowCapacity, free,
                    primary, overflow, crossLinks, arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static MemorySegment[] readChunks(Sections.Reader in, Arena arena, int count, String what) throws IOException {
        MemorySegment[] chunks = new MemorySegment[count];
        for (int i = 0; i < count; i++) {
            in.next(CHUNK, what + " (chunk " + i + ")");
            chunks[i] = arena.allocate(in.remaining(), 64);
            in.copyRest(chunks[i], 0);
        }
        return chunks;
    }

    private static long[] readLongs(Sections.Reader in, String what) throws IOException {
        in.next(LONGS, what);
        long n = in.getLong();
        in.expectEnd();
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw in.corrupt("the " + what + " claims " + n + " entries");
        }
        long[] out = new long[(int) n];
        for (int from = 0; from < n; ) {
            in.next(LONGS, what);
            long[] piece = in.getLongs();
            in.expectEnd();
            if (from + (long) piece.length > n) {
                throw in.corrupt("the " + what + " has more entries than it claims");
            }
            System.arraycopy(piece, 0, out, from, piece.length);
            from += piece.length;
            if (piece.length == 0) {
                throw in.corrupt("an empty piece in the " + what);
            }
        }
        return out;
    }

    private static void readPages(Sections.Reader in, HybridLog log) throws IOException {
        long pages = 0;
        long bytes = 0;
        while (true) {
            int type = in.nextAny("page or end of file");
            if (type == END) {
                long expectedPages = in.getLong();
                long expectedBytes = in.getLong();
                in.expectEnd();
                if (expectedPages != pages || expectedBytes != bytes) {
                    throw in.corrupt("the file holds " + pages + " pages (" + bytes + " bytes), its end says "
                            + expectedPages + " (" + expectedBytes + ")");
                }
                if (in.nextAnyOrEof()) {
                    throw in.corrupt("data after the end of the checkpoint");
                }
                return;
            }
            if (type != PAGE) {
                throw in.corrupt("expected a page or the end of the file, found section " + type);
            }
            long seq = in.getLong();
            int count = in.getInt();
            long length = in.getLong();
            in.expectEnd();
            MemorySegment memory;
            try {
                memory = log.restorePage(seq, count, length);
            } catch (IllegalArgumentException e) {
                throw in.corrupt(e.getMessage());
            }
            for (long at = 0; at < length; ) {
                in.next(DATA, "data of page " + seq);
                at += in.copyRest(memory, at);
                if (at > length) {
                    throw in.corrupt("page " + seq + " holds more data than its length");
                }
            }
            pages++;
            bytes += length;
        }
    }

    /** The bytes of each segment file that {@code blocks} refer to. */
    static Map<Long, Long> segmentLengths(long[] blocks) {
        Map<Long, Long> lengths = new TreeMap<>();
        for (int i = 0; i < blocks.length; i += 4) {
            long location = blocks[i + 2];
            long end = BlockDirectory.fileOffsetOf(location) + blocks[i + 3];
            lengths.merge(BlockDirectory.segmentOf(location), end, Math::max);
        }
        return lengths;
    }
}
