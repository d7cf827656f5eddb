/**
 * Command handlers, one class per command family (connection, server, keys, strings, bits),
 * each registering its handlers in the {@link io.ferrite.server.command.CommandTable}.
 */
package io.ferrite.server.family;
