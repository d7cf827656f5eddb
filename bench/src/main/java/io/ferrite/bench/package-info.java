/** Benchmarks: JMH engine benchmarks, the memory footprint measurement and the tiered-storage load generator (run by bench/run). */
package io.ferrite.bench;
