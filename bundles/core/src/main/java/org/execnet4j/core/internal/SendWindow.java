package org.execnet4j.core.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.execnet4j.api.ChannelTimeoutException;
import org.execnet4j.api.ExecnetException;

/**
 * The sending half of one channel's flow control (docs/protocol-extensions.md): the item bytes
 * sent and not yet credited by the receiver. A sender of L bytes waits while
 * {@code unacked > 0 && unacked >= window / 4 && unacked + L > window}: below a quarter window
 * it never waits (the receiver may keep up to that much uncredited, {@link ConsumedCredit}),
 * and one item larger than the window still goes when little is outstanding. So at most
 * {@code window} bytes plus one item are ever outstanding. Credits wake a waiting sender; the
 * channel's end wakes it with that end's error. Only the sending thread ever waits here.
 */
final class SendWindow {
    private final int window;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long unacked;
    private Supplier<RuntimeException> ended;

    /** @param window the window in bytes; 0 switches flow control off (senders never wait) */
    SendWindow(int window) {
        this.window = window;
    }

    /**
     * Waits until {@code length} more bytes fit the window, then counts them as sent.
     *
     * @param timeout how long to wait at most; {@code null} waits until credit comes or the
     *     channel ends
     * @param channel names the channel in the timeout message
     * @throws ChannelTimeoutException when the receiver consumed too little in time
     * @throws RuntimeException the channel's end error when it ends while waiting
     */
    void acquire(int length, Duration timeout, Object channel) {
        if (window == 0) {
            return;
        }
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (mustWait(length)) {
                if (ended != null) {
                    throw ended.get();
                }
                if (timeout == null) {
                    changed.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new ChannelTimeoutException("cannot send " + length + " bytes on " + channel + " within "
                                + timeout + ": the receiver has not consumed " + unacked + " bytes sent before (flow window "
                                + window + " bytes)");
                    }
                    changed.await(left, TimeUnit.NANOSECONDS);
                }
            }
            unacked += length;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecnetException("interrupted while waiting for flow credit on " + channel, e);
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code length} more bytes must wait for credit (the lock is held). */
    private boolean mustWait(int length) {
        return unacked > 0 && unacked >= window / 4 && unacked + length > window;
    }

    /** The receiver consumed {@code bytes}: waiting senders may go on. */
    void credit(long bytes) {
        lock.lock();
        try {
            unacked = Math.max(0, unacked - bytes);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The channel can take no more items: waiting and later senders get {@code error}. */
    void end(Supplier<RuntimeException> error) {
        lock.lock();
        try {
            if (ended == null) {
                ended = error;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
