/** Benchmarks: JMH engine benchmarks and the memory footprint measurement (run by bench/run). */
package io.ferrite.bench;
