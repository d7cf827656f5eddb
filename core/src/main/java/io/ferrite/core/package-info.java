/**
 * The engine as the doors see it: {@link io.ferrite.core.FerriteStore} (open, close, the
 * command families, change events, memory and tier reports) and its configuration.
 *
 * <p>The doors (RESP, JCache, SQL) use only this package, {@code api}, {@code types} and
 * {@code strings}; everything else in {@code io.ferrite.core} is the engine's inside and may
 * change at any time (a build check in each door enforces this).
 */
package io.ferrite.core;
