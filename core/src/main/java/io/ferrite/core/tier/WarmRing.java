package io.ferrite.core.tier;

import io.ferrite.core.api.StorageException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;

/**
 * The warm region of one shard's log: a file of {@code slots} page-sized slots, mapped into
 * memory once. A read-only page is copied into a free slot and served from the mapping from
 * then on (the kernel may page it out and back in, as for any file-backed page); the slot is
 * freed when the page moves on to the cold region, from an epoch drain action, so no reader can
 * still be looking at it when it is reused. Pages are only ever written into free slots.
 */
public final class WarmRing implements AutoCloseable {
    private final Path path;
    private final long pageSize;
    private final int slots;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment mapping;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();

    public WarmRing(Path path, long pageSize, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("a warm ring needs at least one slot");
        }
        this.path = path;
        this.pageSize = pageSize;
        this.slots = slots;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.truncate(0);
            this.mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, pageSize * slots, arena);
        } catch (IOException e) {
            throw new StorageException("cannot map the warm region file " + path + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < slots; i++) {
            free.add(i);
        }
    }

    /** Takes a free slot, or returns -1 when every slot holds a page. */
    public synchronized int take() {
        Integer slot = free.poll();
        return slot == null ? -1 : slot;
    }

    /** Returns a slot whose page no reader can see any more. */
    public synchronized void release(int slot) {
        free.add(slot);
    }

    public synchronized int freeSlots() {
        return free.size();
    }

    public int slots() {
        return slots;
    }

    /**
     * The memory of {@code slot}, valid until the ring is closed. It is a plain native segment
     * over the mapping rather than a slice of the mapped segment: record accessors then meet two
     * segment classes (native pages, heap blocks of the cold region) instead of three, which
     * keeps their call sites bimorphic and inlined; a third class made them megamorphic
     * (FFM checks were 15% of the event loop's Java samples in the tiered benchmark).
     */
    public MemorySegment slot(int slot) {
        return MemorySegment.ofAddress(mapping.address() + slot * pageSize).reinterpret(pageSize, arena, null);
    }

    @Override
    public void close() {
        arena.close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a scratch file: the next start truncates it anyway
        }
    }
}
