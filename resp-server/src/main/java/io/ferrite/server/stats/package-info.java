/** Server statistics: counters for INFO, per-command stats, the slow log and latency events. */
package io.ferrite.server.stats;
