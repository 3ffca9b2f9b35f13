package org.execnet4j.core.internal;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A channel's queue of received items. A receiver that finds it empty busy-waits a little before it
 * parks: on an idle machine with several cores, waking a parked thread on another core costs 20-40 us
 * (more where the hypervisor does not poll idle cores), as much as the rest of an echo roundtrip. It
 * spins only while waits are short: a wait longer than twice the budget turns spinning off for this
 * channel until a wait is short again, so a slow conversation costs no CPU.
 */
final class ReceiveQueue {
    /** The system property that sets the spin budget in microseconds; 0 turns spinning off. */
    static final String SPIN_PROPERTY = "execnet4j.receiveSpinMicros";
    private static final long DEFAULT_SPIN_MICROS = 100;

    private final long spinNanos;
    private final LinkedBlockingDeque<Object> items = new LinkedBlockingDeque<>();
    /** Counts additions: a spinning receiver reads this field instead of taking the deque's lock. */
    private final AtomicLong additions = new AtomicLong();
    /** Whether the last wait that ended with an item was short enough that spinning would have caught it. */
    private volatile boolean spinning;

    ReceiveQueue() {
        this(defaultSpinNanos());
    }

    ReceiveQueue(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    /** The budget this JVM uses: the system property's, or none on a single core, where spinning only delays the sender. */
    static long defaultSpinNanos() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return 0;
        }
        return TimeUnit.MICROSECONDS.toNanos(Math.max(0, Long.getLong(SPIN_PROPERTY, DEFAULT_SPIN_MICROS)));
    }

    void add(Object item) {
        items.add(item);
        additions.incrementAndGet();
    }

    void addFirst(Object item) {
        items.addFirst(item);
        additions.incrementAndGet();
    }

    /** The first item, or {@code null} at once when there is none. */
    Object poll() {
        return items.poll();
    }

    /**
     * Takes the first item, waiting for one.
     *
     * @param timeout how long to wait at most; {@code null} waits without limit
     * @return the item, or {@code null} when the timeout passed first
     * @throws InterruptedException when the thread is interrupted while parked
     */
    Object take(Duration timeout) throws InterruptedException {
        long seen = additions.get();
        Object item = items.poll();
        if (item != null) {
            return item;
        }
        long start = System.nanoTime();
        long limit = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
        if (spinning) {
            long budget = Math.min(spinNanos, limit);
            while (additions.get() == seen && System.nanoTime() - start < budget) {
                Thread.onSpinWait();
            }
            item = items.poll();
            if (item != null) {
                return item;
            }
        }
        item = timeout == null ? items.take() : items.poll(limit - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
        long waited = System.nanoTime() - start;
        if (item != null || waited > 2 * spinNanos) {
            spinning = item != null && spinNanos > 0 && waited <= 2 * spinNanos;
        }
        return item;
    }

    /** Whether the next wait on an empty queue spins first; for tests. */
    boolean spinsNext() {
        return spinning;
    }
}
