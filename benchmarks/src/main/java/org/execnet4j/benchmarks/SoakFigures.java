package org.execnet4j.benchmarks;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** What a soak run watches: threads, file descriptors, child processes and the heap's peak. */
record SoakFigures(int threads, int fds, long processes) {

    /** The figures of this JVM now. */
    static SoakFigures now() {
        String[] fds = new File("/proc/self/fd").list();
        return new SoakFigures(ManagementFactory.getThreadMXBean().getThreadCount(), fds == null ? -1 : fds.length,
                ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count());
    }

    /** Starts measuring a new heap peak. */
    static void resetHeapPeak() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The heap's peak since the last reset, in MiB: the sum of the heap pools' peaks (an upper bound). */
    static long heapPeakMib() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }

    /** The maximum heap, in MiB. */
    static long heapMaxMib() {
        return Runtime.getRuntime().maxMemory() >> 20;
    }

    @Override
    public String toString() {
        return "threads " + threads + ", fds " + fds + ", child processes " + processes;
    }
}
