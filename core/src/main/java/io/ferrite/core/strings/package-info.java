/**
 * Storage-independent algorithms behind Redis string and key commands: number parsing and
 * formatting with Redis's exact rules, bit operations, LCS, glob matching and range
 * normalisation. Nothing here touches the store; callers pass views of values and arguments.
 */
package io.ferrite.core.strings;
