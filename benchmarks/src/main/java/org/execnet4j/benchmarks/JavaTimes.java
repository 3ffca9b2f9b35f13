package org.execnet4j.benchmarks;

/**
 * JMH's average times of the two {@link SerializerBenchmark} methods.
 *
 * @param dumpsMs mean ms per {@code dumps} call; {@code dumpsErrorMs} its 99.9% error; likewise loads
 * @param description how they were measured
 */
record JavaTimes(double dumpsMs, double dumpsErrorMs, double loadsMs, double loadsErrorMs, String description) {
}
