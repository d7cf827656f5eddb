/**
 * Redis's RDB serialization: the DUMP/RESTORE payload framing
 * ({@link io.ferrite.server.rdb.DumpPayload}), RDB lengths and string encodings
 * ({@link io.ferrite.server.rdb.RdbStringCodec}), LZF compression
 * ({@link io.ferrite.server.rdb.Lzf}), the CRC-64 that guards payloads and files
 * ({@link io.ferrite.server.rdb.Crc64}), hashes and sets in every encoding Redis 7.0 writes or
 * reads ({@link io.ferrite.server.rdb.RdbCollections}: listpack, intset, hashtable, and the older
 * ziplist and zipmap), whole RDB files read ({@link io.ferrite.server.rdb.RdbFile}, versions 1
 * to 11) and written ({@link io.ferrite.server.rdb.RdbFileWriter} with
 * {@link io.ferrite.server.rdb.RdbObjectWriter}, version 10).
 *
 * <p>Everything follows Redis 7.0 byte for byte, so payloads and files move freely between
 * Ferrite and Redis in both directions. DUMP payloads of lists and sorted sets are refused
 * while those types live on interim storage (RESTORE cannot take them back yet); snapshots
 * hold them.
 */
package io.ferrite.server.rdb;
