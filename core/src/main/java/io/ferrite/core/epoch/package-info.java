/**
 * Epoch-based protection of memory that can be retired while lock-free readers use it:
 * log pages are freed only when no protected reader can still hold an address into them.
 */
package io.ferrite.core.epoch;
