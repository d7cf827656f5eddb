/** The latch-free hash index from key hashes to log addresses, and the key hash itself. */
package io.ferrite.core.index;
