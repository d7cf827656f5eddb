/**
 * The HybridLog: logical addresses, record layout, off-heap pages and the memory budget they
 * are counted against.
 */
package io.ferrite.core.log;
