package io.ferrite.server.persistence;

import io.ferrite.core.FerriteStore;
import io.ferrite.core.EncodingLimits;
import io.ferrite.core.api.CollectionImage;
import io.ferrite.core.api.ExpireCondition;
import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.strings.LongParse;
import io.ferrite.core.types.BulkLoad;
import io.ferrite.server.rdb.RdbCollections;
import io.ferrite.server.rdb.RdbFile;
import io.ferrite.server.rdb.RdbFormatException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads an RDB file into the store, as Redis's {@code rdbLoad} does: every key of every type
 * the engine has, with its expiry; keys already expired are left out; hashes and sets get the
 * encoding Redis's loader would give them. A key met twice is an error unless {@code merge}
 * (DEBUG RELOAD MERGE), which lets the file's value replace the one in memory. Any problem with
 * the file (truncation, a wrong checksum, a type Ferrite lacks) stops the load with a message
 * naming the file: never a silent start with part of the data. The file is parsed on the
 * calling thread while one worker per shard writes the keys ({@link BulkLoad}).
 */
final class RdbLoader {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RdbLoader.class);
    private static final long PROGRESS_EVERY_MILLIS = 2000;
    private static final int BATCH = 128;

    /** What was loaded. */
    record Loaded(long keys, long expiredSkipped, long bytes, long millis) {}

    private final FerriteStore store;
    private final LoadingState state;

    RdbLoader(FerriteStore store, LoadingState state) {
        this.store = store;
        this.state = state;
    }

    Loaded load(Path file, boolean merge) throws IOException {
        long started = System.currentTimeMillis();
        byte[] data = Files.readAllBytes(file);
        state.begin(started, data.length);
        long[] counts = new long[2];
        long[] nextReport = {started + PROGRESS_EVERY_MILLIS};
        try (BulkLoad bulk = store.keys().bulkLoad()) {
            RdbFile.read(data, new RdbFile.Visitor() {
                @Override
                public void string(int db, byte[] key, byte[] value, long expireAt) throws Exception {
                    if (skip(expireAt)) {
                        return;
                    }
                    MemorySegment name = MemorySegment.ofArray(key);
                    bulk.submit(name, () -> written(key, store.keys().restore(db, name, MemorySegment.ofArray(value), expireAt, merge)));
                }

                @Override
                public void collection(int db, byte[] key, ValueType type, int rdbType, List<byte[]> elements, long expireAt)
                        throws Exception {
                    if (skip(expireAt)) {
                        return;
                    }
                    MemorySegment name = MemorySegment.ofArray(key);
                    List<byte[]> kept = List.copyOf(elements);
                    switch (type) {
                        case HASH, SET -> bulk.submit(name, () -> {
                            EncodingLimits limits = store.encodingLimits();
                            CollectionImage image = RdbCollections.image(type, rdbType, kept, limits.hashMaxListpackEntries(),
                                    limits.hashMaxListpackValue(), limits.setMaxIntsetEntries());
                            written(key, store.keys().restore(db, name, image, expireAt, merge));
                        });
                        case LIST, ZSET -> bulk.submit(name, () -> {
                            if (merge) {
                                store.keys().delete(db, name);
                            } else if (store.keys().exists(db, name)) {
                                throw duplicate(key);
                            }
                            sequence(db, name, type, kept);
                            if (expireAt != 0) {
                                store.keys().expire(db, name, expireAt, ExpireCondition.ALWAYS);
                            }
                        });
                        default -> throw new RdbFormatException("a " + type.redisName() + " cannot be loaded");
                    }
                }

                /** An expired key is left out, as Redis's loader does. */
                private boolean skip(long expireAt) {
                    if (expireAt != 0 && expireAt <= System.currentTimeMillis()) {
                        counts[1]++;
                        return true;
                    }
                    counts[0]++;
                    return false;
                }

                @Override
                public void progress(long read, long total) {
                    state.loaded(read);
                    long now = System.currentTimeMillis();
                    if (now >= nextReport[0]) {
                        nextReport[0] = now + PROGRESS_EVERY_MILLIS;
                        log.info(state.progress("RDB", counts[0], "keys"));
                    }
                }
            });
            bulk.finish();
        } catch (RdbFormatException e) {
            throw new IOException("Bad RDB file " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Could not load the RDB file " + file + ": " + e.getMessage(), e);
        }
        return new Loaded(counts[0], counts[1], data.length, System.currentTimeMillis() - started);
    }

    /** A list (RPUSH order) or a sorted set, written in batches. */
    private void sequence(int db, MemorySegment key, ValueType type, List<byte[]> elements) throws RdbFormatException {
        LongParse result = new LongParse();
        int step = type == ValueType.ZSET ? 2 : 1;
        int items = elements.size() / step;
        for (int from = 0; from < items; from += BATCH) {
            int n = Math.min(BATCH, items - from);
            MemorySegment[] members = new MemorySegment[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                members[i] = MemorySegment.ofArray(elements.get((from + i) * step));
                if (step == 2) {
                    scores[i] = RdbFile.parseScore(elements.get((from + i) * 2 + 1));
                }
            }
            Status status = type == ValueType.LIST
                    ? store.lists().push(db, key, members, 0, n, false, false, result)
                    : store.zsets().add(db, key, scores, members, 0, n, 0, result, new double[1]);
            if (status != Status.OK) {
                throw new RdbFormatException("could not store the " + type.redisName() + " '" + text(key.toArray(
                        java.lang.foreign.ValueLayout.JAVA_BYTE)) + "': " + status);
            }
        }
    }

    private static void written(byte[] key, Status status) throws RdbFormatException {
        if (status == Status.NOT_PERFORMED) {
            throw duplicate(key);
        }
        if (status != Status.OK) {
            throw new RdbFormatException("could not store key '" + text(key) + "': " + status);
        }
    }

    private static RdbFormatException duplicate(byte[] key) {
        return new RdbFormatException("duplicate key '" + text(key) + "'");
    }

    private static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
