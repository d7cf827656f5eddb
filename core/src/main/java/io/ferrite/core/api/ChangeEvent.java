package io.ferrite.core.api;

import java.lang.foreign.MemorySegment;

/**
 * One change of the keyspace, as a {@link ChangeEventListener} receives it. The segments are
 * valid only during the call (they may point into the log): copy what must outlive it.
 *
 * @param db        the logical database, -1 for a FLUSHALL
 * @param key       the key (empty for {@link ChangeKind#FLUSH})
 * @param kind      what happened, named as Redis's keyspace events
 * @param shard     the shard whose lock the change was made under (-1 for FLUSH, which holds all)
 * @param sequence  this shard's count of events, one more for each: the events of one shard (and
 *                  so of one key) are numbered in the order their changes happened (0 for FLUSH)
 * @param oldValue  for a subscriber that asked for values: the string the key held before a
 *                  write or removal of a string key, else null (a key that did not exist, another
 *                  type, an event that changes no value such as expire or rename)
 * @param newValue  likewise, the string the key holds after the write (null for a removal)
 */
public record ChangeEvent(int db, MemorySegment key, ChangeKind kind, int shard, long sequence,
                          MemorySegment oldValue, MemorySegment newValue) {
}
