/**
 * Server configuration in Redis's terms: the typed directive registry
 * ({@link io.ferrite.server.config.ServerConfig}, {@link io.ferrite.server.config.Directives}),
 * redis.conf parsing with include and Redis's fatal-error report
 * ({@link io.ferrite.server.config.ConfigFileParser}), redis-server style command-line
 * overrides ({@link io.ferrite.server.config.ServerArguments}), and CONFIG GET / SET / REWRITE
 * semantics with Redis 7's exact replies.
 */
package io.ferrite.server.config;
