package org.execnet4j.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A blocking call run on a thread of its own, so a test can wait until the call really blocks,
 * act, and then see how the call ended.
 */
public final class Waiter {
    /** A call that may block and may throw. */
    @FunctionalInterface
    public interface BlockingCall {
        /**
         * Runs the call.
         *
         * @throws Exception whatever the call throws
         */
        void run() throws Exception;
    }

    private final String what;
    private final Thread thread;
    private volatile Throwable failure;

    private Waiter(String what, BlockingCall call) {
        this.what = what;
        this.thread = new Thread(() -> {
            try {
                call.run();
            } catch (Throwable t) {
                failure = t;
            }
        }, "waiter: " + what);
        this.thread.setDaemon(true);
    }

    /**
     * Starts {@code call} on a new daemon thread.
     *
     * @param what what the call waits for, for failure messages
     * @param call the call
     * @return the started waiter
     */
    public static Waiter start(String what, BlockingCall call) {
        Waiter waiter = new Waiter(what, call);
        waiter.thread.start();
        return waiter;
    }

    /**
     * Waits until the call's thread is blocked or waiting.
     *
     * @throws AssertionError when it does not block within {@link Await#DEFAULT_DEADLINE}, or
     *     the call ended instead
     */
    public void awaitBlocked() {
        Await.await(what + " blocking", () -> {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.BLOCKED || state == Thread.State.TERMINATED;
        });
        if (!thread.isAlive()) {
            throw new AssertionError(what + " ended instead of blocking", failure);
        }
    }

    /**
     * Waits for the call to end and returns what it threw.
     *
     * @param deadline how long to wait at most
     * @return the throwable the call ended with, or {@code null} when it returned normally
     * @throws AssertionError when the call is still running after {@code deadline}
     */
    public Throwable failure(Duration deadline) {
        try {
            thread.join(TimeUnit.NANOSECONDS.toMillis(deadline.toNanos()) + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
        if (thread.isAlive()) {
            throw new AssertionError(what + " still running after " + deadline.toMillis() + " ms");
        }
        return failure;
    }

    /**
     * Whether the call has ended.
     *
     * @return true once the call returned or threw
     */
    public boolean isDone() {
        return !thread.isAlive();
    }
}
