/**
 * Redis's command families at the engine level, one class each (keys, strings, hashes, sets):
 * the API the doors call. Each writes only its own logic and runs it through the engine's
 * operation template.
 */
package io.ferrite.core.types;
