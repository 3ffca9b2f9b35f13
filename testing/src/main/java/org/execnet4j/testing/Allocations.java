package org.execnet4j.testing;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * Bounds what a piece of code allocates on the current thread (HotSpot's per-thread allocation
 * counter), so tests can hold the memory an untrusted input costs to a multiple of its size.
 */
public final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    /**
     * The bytes the current thread allocated while {@code work} ran.
     *
     * @param work the code to measure (it catches the exceptions it expects; others propagate)
     * @return allocated bytes, garbage included
     */
    public static long measure(Runnable work) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        work.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * Runs {@code work} and throws an {@link AssertionError} naming the input when it allocated
     * more than {@code perInputByte * inputBytes + slack}, twice in a row (the first run of
     * some code also loads and initialises classes, which allocates once).
     *
     * @param work the code to measure (it catches the exceptions it expects; others propagate)
     * @param inputBytes size of the input it works on
     * @param perInputByte allowed bytes per input byte
     * @param slack allowed bytes regardless of the input
     * @param what describes the input, for the message
     */
    public static void assertBounded(Runnable work, long inputBytes, long perInputByte, long slack, Supplier<String> what) {
        long bound = perInputByte * inputBytes + slack;
        long allocated = measure(work);
        if (allocated > bound) {
            allocated = measure(work);
        }
        if (allocated > bound) {
            throw new AssertionError(what.get() + ": " + inputBytes + " input bytes allocated " + allocated
                    + " bytes, more than " + bound + " (" + perInputByte + " per input byte + " + slack + ")");
        }
    }
}
