package org.execnet4j.benchmarks;

import java.lang.management.ManagementFactory;

import org.execnet4j.serializer.DumpFormat;
import org.execnet4j.serializer.Serializer;

/**
 * The least process CPU time of one {@code dumps} / {@code loads} call of the payload, measured in
 * this JVM (all its threads, so GC work is counted): the figure that other processes' load on a
 * shared machine inflates least, to set beside Python's {@code time.process_time} figures.
 *
 * @param dumpsMs least CPU ms per {@code dumps} call over the rounds; likewise loads
 */
record CpuPerCall(double dumpsMs, double loadsMs) {
    private static final int WARMUP_CALLS = 1000;
    private static final int ROUNDS = 10;
    /** Enough calls that a round spans hundreds of ms: the process CPU clock may tick in 10 ms steps. */
    private static final int CALLS_PER_ROUND = 100;

    /** Warms both calls up, then measures {@value #ROUNDS} rounds of each and keeps the best round. */
    static CpuPerCall measure(Object payload, byte[] dump) {
        Runnable dumps = () -> Serializer.dumps(payload, DumpFormat.V1);
        Runnable loads = () -> Serializer.loads(dump);
        return new CpuPerCall(best(dumps), best(loads));
    }

    private static double best(Runnable call) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < WARMUP_CALLS; i++) {
            call.run();
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < ROUNDS; r++) {
            long before = os.getProcessCpuTime();
            for (int i = 0; i < CALLS_PER_ROUND; i++) {
                call.run();
            }
            best = Math.min(best, (os.getProcessCpuTime() - before) / 1e6 / CALLS_PER_ROUND);
        }
        return best;
    }
}
