/**
 * Commands as Redis describes them: the table loaded from Redis 7's own COMMAND metadata, the
 * per-connection command context, and the dispatcher that checks arity, authentication and
 * memory before a handler runs.
 */
package io.ferrite.server.command;
