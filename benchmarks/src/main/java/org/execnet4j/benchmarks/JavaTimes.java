package org.execnet4j.benchmarks;

import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * JMH's figures of the two {@link SerializerBenchmark} methods.
 *
 * @param dumps the figures of {@code dumps}
 * @param loads the figures of {@code loads}
 * @param description how they were measured
 */
record JavaTimes(Op dumps, Op loads, String description) {

    /**
     * One benchmark method's figures, from JMH's primary result and its GC profiler.
     *
     * @param ms mean ms per call over all forks' measurement iterations
     * @param errorMs its 99.9% error
     * @param allocBytes bytes allocated per call ({@code gc.alloc.rate.norm}), NaN if not profiled
     * @param gcCount collections during the measurement iterations, all forks ({@code gc.count})
     * @param gcMs their time in ms ({@code gc.time})
     */
    record Op(double ms, double errorMs, double allocBytes, double gcCount, double gcMs) {

        static Op of(RunResult run) {
            Result<?> primary = run.getPrimaryResult();
            Map<String, Result> secondary = run.getSecondaryResults();
            return new Op(primary.getScore(), primary.getScoreError(), score(secondary, "gc.alloc.rate.norm"),
                    score(secondary, "gc.count"), score(secondary, "gc.time"));
        }

        private static double score(Map<String, Result> secondary, String label) {
            Result<?> r = secondary.get(label);
            return r == null ? Double.NaN : r.getScore();
        }
    }
}
