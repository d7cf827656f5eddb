/**
 * The HybridLog's storage tiers below the in-memory pages: the warm region (a memory-mapped
 * ring file of read-only pages), the cold region (compressed, checksummed blocks in segment
 * files, read back with positional I/O) and the cache of decompressed cold blocks.
 */
package io.ferrite.core.tier;
