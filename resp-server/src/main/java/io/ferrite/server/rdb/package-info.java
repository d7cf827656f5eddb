/**
 * Redis's RDB serialization, as far as DUMP and RESTORE need it: the payload framing
 * ({@link io.ferrite.server.rdb.DumpPayload}), RDB lengths and string encodings
 * ({@link io.ferrite.server.rdb.RdbStringCodec}), LZF compression
 * ({@link io.ferrite.server.rdb.Lzf}), the CRC-64 that guards payloads
 * ({@link io.ferrite.server.rdb.Crc64}), and hashes and sets in every encoding Redis 7.0 writes
 * or reads ({@link io.ferrite.server.rdb.RdbCollections}: listpack, intset, hashtable, and the
 * older ziplist and zipmap on RESTORE).
 *
 * <p>Everything follows Redis 7.0 byte for byte (RDB version 10), so payloads move freely
 * between Ferrite and Redis in both directions. Lists, sorted sets and streams are not stored
 * by the engine yet, so their payloads are refused.
 */
package io.ferrite.server.rdb;
