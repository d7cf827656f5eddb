package io.ferrite.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Client threads that send pipelined writes to a server until stopped: the load under which
 * tests of rewrites and snapshots check that nothing is lost or applied twice.
 */
final class PipelinedWriters {
    /** Queues the {@code n}th write of writer {@code writer}. */
    @FunctionalInterface
    interface Step {
        void write(Pipeline p, Random random, int writer, int n);
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger failures = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * Starts {@code count} writers, each sending pipelines of {@code batch} writes; a Redis error
     * reply ends a writer's pipeline without failing it when {@code errorsAllowed} (a RENAME of a
     * key another writer deleted).
     */
    static PipelinedWriters start(TestServer server, int count, int batch, boolean errorsAllowed, Step step) {
        PipelinedWriters writers = new PipelinedWriters();
        for (int w = 0; w < count; w++) {
            int id = w;
            writers.threads.add(Thread.ofPlatform().start(() -> {
                try (Jedis jedis = new Jedis(server.host(), server.port(), 30_000)) {
                    Random random = new Random(id);
                    int n = 0;
                    while (!writers.stop.get()) {
                        Pipeline p = jedis.pipelined();
                        for (int i = 0; i < batch; i++, n++) {
                            step.write(p, random, id, n);
                        }
                        p.sync();
                    }
                } catch (RuntimeException e) {
                    if (!(errorsAllowed && e instanceof JedisDataException)) {
                        writers.failures.incrementAndGet();
                        throw e;
                    }
                }
            }));
        }
        return writers;
    }

    /** Stops the writers, waits for their last pipelines, and checks none failed. */
    void stopAndCheck() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures.get()).as("writers that failed").isZero();
    }
}
