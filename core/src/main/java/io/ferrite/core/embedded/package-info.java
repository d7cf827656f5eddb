/**
 * Engines that embedded doors (a JCache CacheManager, a JDBC connection) open in the
 * application's JVM: their settings from properties, their persistence by checkpoints, and the
 * registry that makes every door of one data directory share one engine.
 */
package io.ferrite.core.embedded;
