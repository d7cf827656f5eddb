/**
 * Network plumbing below the protocol: choosing the fastest Netty transport the machine
 * supports ({@link io.ferrite.server.net.TransportSelector}).
 */
package io.ferrite.server.net;
