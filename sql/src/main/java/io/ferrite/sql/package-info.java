/**
 * The SQL door: an Apache Calcite schema over the Ferrite keyspace, one per logical database,
 * whose system tables ({@code keys}, {@code strings}, {@code hashes}, {@code sets}) are read
 * straight from the engine, key lookups pushed into it; {@link io.ferrite.sql.FerriteSql} opens
 * a JDBC connection on a store.
 */
package io.ferrite.sql;
