/**
 * Types of the engine's public API shared by every door: statuses, value and element sinks,
 * change events, TTL modes and conditions, disk-read modes and their exceptions.
 */
package io.ferrite.core.api;
