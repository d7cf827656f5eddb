/**
 * The embedded JDBC driver: {@code jdbc:ferrite:mem:} and {@code jdbc:ferrite:file:/path} open
 * (or join) an engine in this JVM and query it through {@link io.ferrite.sql.FerriteSql}.
 */
package io.ferrite.sql.jdbc;
