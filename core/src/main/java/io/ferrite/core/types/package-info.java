/**
 * Redis data types over the engine: the string commands now; lists, hashes, sets and sorted
 * sets join here, each as its own command class.
 */
package io.ferrite.core.types;
