package io.ferrite.core.types;

import io.ferrite.core.engine.Engine;
import io.ferrite.core.index.KeyHash;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Loads many keys at once (a snapshot at start, DEBUG RELOAD): one thread hands the writes
 * over, and one worker per shard runs them, so the shards fill in parallel and never wait for
 * each other's locks. A key always goes to the worker of its shard, so its writes run in the
 * order they were submitted. The first failure of a write stops the load: it is thrown by the
 * next {@link #submit} or by {@link #finish}.
 *
 * <p>Not thread-safe on the submitting side: one thread submits. Obtain it from
 * {@link KeyCommands#bulkLoad()}.
 */
public final class BulkLoad implements AutoCloseable {
    /** One write of the load, run on a worker thread. */
    @FunctionalInterface
    public interface Write {
        void run() throws Exception;
    }

    private static final int BATCH = 256;
    private static final Object STOP = new Object();

    private final Engine engine;
    private final List<Write>[] batches;
    private final BlockingQueue<Object>[] queues;
    private final Thread[] workers;
    private volatile Exception failure;

    @SuppressWarnings("unchecked")
    BulkLoad(Engine engine) {
        this.engine = engine;
        int shards = engine.shards().length;
        this.batches = new List[shards];
        this.queues = new BlockingQueue[shards];
        this.workers = new Thread[shards];
        for (int i = 0; i < shards; i++) {
            batches[i] = new ArrayList<>(BATCH);
            BlockingQueue<Object> queue = new ArrayBlockingQueue<>(16);
            queues[i] = queue;
            workers[i] = Thread.ofPlatform().daemon().name("ferrite-load-" + i).start(() -> work(queue));
        }
    }

    @SuppressWarnings("unchecked")
    private void work(BlockingQueue<Object> queue) {
        try {
            while (true) {
                Object next = queue.take();
                if (next == STOP) {
                    return;
                }
                if (failure != null) {
                    continue; // drain: the submitter learns of the failure and stops
                }
                for (Write write : (List<Write>) next) {
                    write.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (failure == null) {
                failure = e;
            }
            drain(queue);
        }
    }

    private static void drain(BlockingQueue<Object> queue) {
        try {
            while (queue.take() != STOP) {
                // discard
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues {@code write} on the worker of {@code key}'s shard (the key only routes it). */
    public void submit(MemorySegment key, Write write) throws Exception {
        throwIfFailed();
        int shard = engine.shardFor(KeyHash.hash(key)).id();
        List<Write> batch = batches[shard];
        batch.add(write);
        if (batch.size() == BATCH) {
            hand(shard);
        }
    }

    private void hand(int shard) throws Exception {
        List<Write> batch = batches[shard];
        batches[shard] = new ArrayList<>(BATCH);
        while (!queues[shard].offer(batch, 100, TimeUnit.MILLISECONDS)) {
            throwIfFailed();
            if (!workers[shard].isAlive()) {
                throw new IllegalStateException("a load worker stopped");
            }
        }
    }

    /** Runs what is queued, waits for the workers and throws the first failure. */
    public void finish() throws Exception {
        for (int i = 0; i < queues.length; i++) {
            if (!batches[i].isEmpty()) {
                hand(i);
            }
        }
        close();
        throwIfFailed();
    }

    private void throwIfFailed() throws Exception {
        Exception first = failure;
        if (first != null) {
            close();
            throw first;
        }
    }

    /** Stops the workers (after what they were handed); safe to call more than once. */
    @Override
    public void close() {
        for (int i = 0; i < queues.length; i++) {
            if (workers[i].isAlive()) {
                try {
                    queues[i].put(STOP);
                    workers[i].join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
