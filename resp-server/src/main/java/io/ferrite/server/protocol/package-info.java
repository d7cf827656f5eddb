/**
 * The RESP wire protocol: decoding requests (multibulk and inline) straight from the inbound
 * {@code ByteBuf} into a reusable {@link io.ferrite.server.protocol.RespRequest} flyweight,
 * and encoding RESP2/RESP3 replies with {@link io.ferrite.server.protocol.RespWriter}.
 *
 * <p>Nothing here knows about commands: a {@link io.ferrite.server.protocol.RequestHandler}
 * receives each decoded request synchronously and writes its replies.
 */
package io.ferrite.server.protocol;
