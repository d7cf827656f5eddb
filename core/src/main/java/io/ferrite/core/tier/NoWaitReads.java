package io.ferrite.core.tier;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Positional reads that never wait for the disk: Linux's {@code preadv2} with
 * {@code RWF_NOWAIT} returns the data when it is in the page cache and fails with EAGAIN
 * otherwise, instead of blocking. A network event loop can then serve a cold block straight
 * from the page cache, and hand only real disk reads to the I/O pool (each hand-off costs two
 * thread wake-ups, which measured ~40 us of CPU per read on this project's VMs, against ~1 us
 * for the read itself). Anywhere this is unavailable (not Linux, an old kernel or libc) every
 * read takes the I/O pool.
 *
 * <p>File descriptors are opened here with {@code open(2)}; a descriptor must only be read
 * while its file cannot be closed, which the callers guarantee with epoch protection.
 */
final class NoWaitReads {
    private static final System.Logger LOG = System.getLogger("ferrite.tier");
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int RWF_NOWAIT = 0x8;
    /** Larger reads go to the I/O pool: the scratch buffer stays small. */
    static final int MAX_LENGTH = 256 * 1024;

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle PREADV2;
    static final boolean AVAILABLE;

    /** A thread's native buffer and iovec, allocated once. */
    private static final class Scratch {
        final MemorySegment buffer = Arena.global().allocate(MAX_LENGTH, 4096);
        final MemorySegment iovec = Arena.global().allocate(16, 8);
        /** Where the bytes are handed over: reused, so a read allocates nothing. */
        byte[] heap = new byte[4096];

        Scratch() {
            iovec.set(ValueLayout.ADDRESS, 0, buffer);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static {
        MethodHandle open = null;
        MethodHandle close = null;
        MethodHandle preadv2 = null;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            open = linker.downcallHandle(libc.find("open").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                    Linker.Option.firstVariadicArg(2));
            close = linker.downcallHandle(libc.find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            preadv2 = linker.downcallHandle(libc.find("preadv2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.INFO, "non-blocking page-cache reads unavailable (" + e + "): every cold read goes through the I/O pool");
            open = null;
        }
        OPEN = open;
        CLOSE = close;
        PREADV2 = preadv2;
        AVAILABLE = open != null && System.getProperty("os.name", "").startsWith("Linux");
    }

    private NoWaitReads() {}

    /** Opens {@code path} for reading; -1 when unavailable or the open failed. */
    static int open(Path path) {
        if (!AVAILABLE) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            return (int) OPEN.invokeExact(arena.allocateFrom(path.toString()), O_RDONLY | O_CLOEXEC, 0);
        } catch (Throwable e) {
            return -1;
        }
    }

    static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            // nothing to do: the descriptor is gone either way
        }
    }

    /**
     * Reads exactly {@code length} bytes at {@code offset} if they are all in the page cache.
     *
     * @return an array of this thread's, reused by its next call, holding the bytes from index
     *         0; or null when the read would wait for the disk (or failed in any way: the caller
     *         then reads through the I/O pool, which reports errors properly)
     */
    static byte[] readIfCached(int fd, long offset, int length) {
        if (fd < 0 || length > MAX_LENGTH) {
            return null;
        }
        Scratch scratch = SCRATCH.get();
        scratch.iovec.set(ValueLayout.JAVA_LONG, 8, length);
        long n;
        try {
            n = (long) PREADV2.invokeExact(fd, scratch.iovec, 1, offset, RWF_NOWAIT);
        } catch (Throwable e) {
            return null;
        }
        if (n != length) {
            return null; // EAGAIN (-1), or only part of it cached
        }
        if (scratch.heap.length < length) {
            scratch.heap = new byte[Math.max(length, scratch.heap.length * 2)];
        }
        MemorySegment.copy(scratch.buffer, ValueLayout.JAVA_BYTE, 0, scratch.heap, 0, length);
        return scratch.heap;
    }
}
