package io.ferrite.core.collection;

import io.ferrite.core.api.Status;
import io.ferrite.core.api.ValueType;
import io.ferrite.core.engine.KeyContext;
import io.ferrite.core.index.KeyHash;
import io.ferrite.core.log.RecordKind;
import io.ferrite.core.shard.PartStore;
import io.ferrite.core.shard.TableRoot;
import io.ferrite.core.strings.LongParse;
import io.ferrite.core.strings.RedisNumbers;
import java.lang.foreign.MemorySegment;

/**
 * Reads of one element of a collection, and of its size, without the shard's lock (HGET,
 * HEXISTS, HSTRLEN, SISMEMBER, HLEN, SCARD), like GET: a small collection is one record read
 * under its shared lock; a table-encoded one is its root and then one chunk, validated against
 * the parts' sequence lock so that a split running meanwhile is never half seen.
 */
final class Lookups {
    /** One per thread: what a lookup found in the root, and the key of the chunk to read. */
    private static final class Probe {
        final MemorySegment partKey = MemorySegment.ofArray(new byte[PartStore.KEY_SIZE]);
        final LongParse number = new LongParse();
        boolean table;
        boolean found;
        long collection;
        int chunks;
        long size;
    }

    private static final ThreadLocal<Probe> PROBES = ThreadLocal.withInitial(Probe::new);

    private Lookups() {}

    /**
     * Finds the element whose first string is {@code element} in the key's collection of
     * {@code type}, and hands it to {@code visitor}: OK when found, NOT_FOUND when the key or
     * the element is missing, WRONG_TYPE.
     */
    static Status find(KeyContext k, ValueType type, int arity, MemorySegment element, ChunkedTable.ElementVisitor visitor) {
        Probe p = PROBES.get();
        PartStore parts = k.shard().parts();
        long elementLength = element.byteSize();
        while (true) {
            long version = parts.structureVersion();
            if ((version & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            p.table = false;
            p.found = false;
            Status status = k.shard().readRecord(k.db(), k.hash(), k.key(), type, (kind, page, offset, length) -> {
                if (RecordKind.isTable(kind)) {
                    p.table = true;
                    p.collection = TableRoot.collectionId(page, offset);
                    p.chunks = TableRoot.chunks(page, offset);
                } else if (kind == RecordKind.SET_INTSET) {
                    if (RedisNumbers.tryParseLong(element, 0, elementLength, p.number)
                            && IntSet.search(page, offset, length, p.number.value) >= 0) {
                        p.found = true;
                        visitor.element(element, 0, elementLength, 0, 0);
                    }
                } else {
                    long at = Pack.find(page, offset, offset + length, arity, element, 0, elementLength);
                    if (at >= 0) {
                        p.found = true;
                        visit(page, at, arity, visitor);
                    }
                }
            }, k.now());
            if (status != Status.OK || !p.table) {
                return status != Status.OK ? status : p.found ? Status.OK : Status.NOT_FOUND;
            }
            PartStore.key(p.partKey, p.collection, Chunks.of(KeyHash.hash(element, 0, elementLength), p.chunks));
            boolean[] moved = {false};
            parts.read(p.partKey, (page, offset, length) -> {
                long at = Pack.find(page, offset, offset + length, arity, element, 0, elementLength);
                if (at >= 0) {
                    if (parts.structureVersion() != version) {
                        moved[0] = true;
                    } else {
                        p.found = true;
                        visit(page, at, arity, visitor);
                    }
                }
            });
            if (moved[0] || (!p.found && parts.structureVersion() != version)) {
                continue; // a split moved elements while we looked: look again
            }
            return p.found ? Status.OK : Status.NOT_FOUND;
        }
    }

    /** The number of elements of the key's collection of {@code type} into {@code size} (0 when missing). */
    static Status size(KeyContext k, ValueType type, int arity, LongParse size) {
        Probe p = PROBES.get();
        p.size = 0;
        Status status = k.shard().readRecord(k.db(), k.hash(), k.key(), type, (kind, page, offset, length) -> {
            if (RecordKind.isTable(kind)) {
                p.size = TableRoot.count(page, offset);
            } else if (kind == RecordKind.SET_INTSET) {
                p.size = IntSet.count(page, offset, length);
            } else {
                p.size = Pack.count(page, offset, offset + length, arity);
            }
        }, k.now());
        size.value = p.size;
        return status == Status.NOT_FOUND ? Status.OK : status;
    }

    static void visit(MemorySegment page, long at, int arity, ChunkedTable.ElementVisitor visitor) {
        if (arity == 2) {
            long v = Pack.next(page, at);
            visitor.element(page, Pack.data(page, at), Pack.length(page, at), Pack.data(page, v), Pack.length(page, v));
        } else {
            visitor.element(page, Pack.data(page, at), Pack.length(page, at), 0, 0);
        }
    }
}
