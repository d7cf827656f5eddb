/**
 * Types of the engine's public API shared by every door: statuses, value sinks, change
 * events.
 */
package io.ferrite.core.api;
