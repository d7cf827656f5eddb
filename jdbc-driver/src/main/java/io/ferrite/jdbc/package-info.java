/**
 * The remote JDBC driver: {@code jdbc:ferrite://host:port} queries a Ferrite server's SQL port
 * over Avatica's remote protocol (protobuf over HTTP). Small, and runs on Java 17.
 */
package io.ferrite.jdbc;
