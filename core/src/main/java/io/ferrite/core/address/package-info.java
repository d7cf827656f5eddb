/**
 * Logical addresses of the HybridLog: 64-bit {@code [flags][segment][offset]} positions that
 * the index, the log and its tiers all speak, with no dependency on any of them.
 */
package io.ferrite.core.address;
