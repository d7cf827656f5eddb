/**
 * The JCache door: a JSR-107 provider whose caches are keys of the Ferrite engine, embedded in
 * the application's JVM. The entries of cache {@code users} are Redis strings
 * {@code users:<key>}, so the RESP door reads and writes the same data with the same TTLs.
 * Start at {@link io.ferrite.jcache.FerriteCachingProvider}.
 */
package io.ferrite.jcache;
