/**
 * Redis's RDB serialization, as far as DUMP and RESTORE need it: the payload framing
 * ({@link io.ferrite.server.rdb.DumpPayload}), RDB lengths and string encodings
 * ({@link io.ferrite.server.rdb.RdbStringCodec}), LZF compression
 * ({@link io.ferrite.server.rdb.Lzf}) and the CRC-64 that guards payloads
 * ({@link io.ferrite.server.rdb.Crc64}).
 *
 * <p>Everything follows Redis 7.0 byte for byte (RDB version 10), so payloads move freely
 * between Ferrite and Redis in both directions. Only the string type exists so far; the other
 * RDB object types arrive with the engine types that hold them.
 */
package io.ferrite.server.rdb;
