package org.execnet4j.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits in tests for observable state instead of sleeping a fixed time: polls a probe until it
 * holds or a deadline passes, then fails with a message that says what was awaited.
 */
public final class Await {
    /** The deadline tests use unless the behaviour under test is the bound itself. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    private static final long POLL_MILLIS = 5;

    private Await() {
    }

    /**
     * Waits until {@code probe} holds, for at most {@link #DEFAULT_DEADLINE}.
     *
     * @param what what is awaited, for the failure message
     * @param probe the condition
     * @throws AssertionError when the deadline passes first
     */
    public static void await(String what, BooleanSupplier probe) {
        await(what, probe, DEFAULT_DEADLINE);
    }

    /**
     * Waits until {@code probe} holds.
     *
     * @param what what is awaited, for the failure message
     * @param probe the condition
     * @param deadline how long to wait at most
     * @throws AssertionError when the deadline passes first, or the waiting thread is interrupted
     */
    public static void await(String what, BooleanSupplier probe, Duration deadline) {
        awaitValue(what, () -> probe.getAsBoolean() ? Boolean.TRUE : null, deadline);
    }

    /**
     * Waits until {@code probe} gives a value other than {@code null} and returns it.
     *
     * @param <T> the value's type
     * @param what what is awaited, for the failure message
     * @param probe gives the value, or {@code null} while it is not there yet
     * @param deadline how long to wait at most
     * @return the first value the probe gave
     * @throws AssertionError when the deadline passes first, or the waiting thread is interrupted
     */
    public static <T> T awaitValue(String what, Supplier<T> probe, Duration deadline) {
        Objects.requireNonNull(probe, "probe");
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out after " + deadline.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /**
     * Waits until {@code thread} is blocked or waiting (parked in a lock, a queue or I/O-free
     * wait), so a test can act on a waiter that has really started waiting.
     *
     * @param what what the thread waits for, for the failure message
     * @param thread the thread
     * @throws AssertionError when the deadline passes first
     */
    public static void awaitWaiting(String what, Thread thread) {
        await(what + " (thread " + thread.getName() + " waiting)", () -> {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
        });
    }
}
