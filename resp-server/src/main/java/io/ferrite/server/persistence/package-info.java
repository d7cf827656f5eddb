/**
 * The RESP door's side of durability: opening and replaying the append-only file at start,
 * turning it on and off with CONFIG SET, the logged form of each write command, and the
 * persistence fields of INFO. The file format and the writer are the engine's
 * ({@link io.ferrite.core.aof}).
 */
package io.ferrite.server.persistence;
