/**
 * The engine's entry points: {@link io.ferrite.core.FerriteStore} (open, key operations,
 * routing to shards), its configuration and its background maintenance cycle.
 */
package io.ferrite.core;
