/** Connected clients: per-connection state and the registry CLIENT LIST/KILL and INFO read. */
package io.ferrite.server.client;
