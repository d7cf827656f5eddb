/**
 * The RESP server: start-up ({@link io.ferrite.server.Main}), the Netty side
 * ({@link io.ferrite.server.FerriteServer}, one {@code ConnectionHandler} per connection) and
 * the state shared by every connection ({@link io.ferrite.server.ServerContext}).
 */
package io.ferrite.server;
