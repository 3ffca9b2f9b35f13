package org.execnet4j.core.internal;

import static org.execnet4j.testing.Await.awaitWaiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The channel queue's spin before parking: it spins only after a short wait, never longer than the
 * receiver's timeout, and a long wait turns it off again.
 */
class ReceiveQueueTest {
    private static final long LONG_BUDGET = TimeUnit.SECONDS.toNanos(60);
    private static final long SHORT_BUDGET = TimeUnit.MILLISECONDS.toNanos(250);

    /** A thread taking one item from a queue. */
    private record Receiver(Thread thread, CompletableFuture<Object> item) {
        static Receiver start(ReceiveQueue queue) {
            CompletableFuture<Object> item = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    item.complete(queue.take(null));
                } catch (InterruptedException | RuntimeException e) {
                    item.completeExceptionally(e);
                }
            }, "receiver");
            thread.start();
            return new Receiver(thread, item);
        }

        Object get() throws Exception {
            return item.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void itemsComeOutInOrderAndAnEndPutBackComesFirst() throws InterruptedException {
        ReceiveQueue queue = new ReceiveQueue(LONG_BUDGET);
        queue.add("a");
        queue.add("b");
        assertEquals("a", queue.take(null));
        queue.addFirst("end");
        assertEquals("end", queue.poll());
        assertEquals("b", queue.take(Duration.ZERO));
        assertNull(queue.poll());
        assertNull(queue.take(Duration.ZERO));
        assertFalse(queue.spinsNext(), "a wait that found nothing says nothing about how soon items come");
    }

    @Test
    void aNewQueueParksAndAShortWaitTurnsSpinningOn() throws Exception {
        ReceiveQueue queue = new ReceiveQueue(LONG_BUDGET);
        assertFalse(queue.spinsNext(), "a new channel does not spin before it learned its waits are short");
        Receiver receiver = Receiver.start(queue);
        awaitWaiting("the receiver parked", receiver.thread());
        queue.add("x");
        assertEquals("x", receiver.get());
        assertTrue(queue.spinsNext(), "a wait far under twice the budget turns spinning on");
    }

    @Test
    void aSpinningReceiverDoesNotParkAndTakesWhatArrives() throws Exception {
        ReceiveQueue queue = spinning(LONG_BUDGET);
        Receiver receiver = Receiver.start(queue);
        Thread.sleep(200);
        assertEquals(Thread.State.RUNNABLE, receiver.thread().getState(),
                "within its budget the receiver busy-waits instead of parking");
        queue.add("y");
        assertEquals("y", receiver.get());
        assertTrue(queue.spinsNext());
    }

    @Test
    void aTimeoutShorterThanTheBudgetEndsTheSpin() throws InterruptedException {
        ReceiveQueue queue = spinning(LONG_BUDGET);
        long start = System.nanoTime();
        assertNull(queue.take(Duration.ofMillis(50)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30),
                "the receiver's 50 ms timeout bounds the spin, not the 60 s budget");
        assertTrue(queue.spinsNext(), "a wait that ended empty within the budget keeps the channel spinning");
    }

    @Test
    void aWaitOverTwiceTheBudgetTurnsSpinningOff() throws Exception {
        ReceiveQueue queue = spinning(SHORT_BUDGET);
        assertNull(queue.take(Duration.ofMillis(600)));
        assertFalse(queue.spinsNext(), "after a 600 ms wait with a 250 ms budget the next wait parks at once");
    }

    @Test
    void aZeroBudgetNeverSpins() throws Exception {
        ReceiveQueue queue = new ReceiveQueue(0);
        Receiver receiver = Receiver.start(queue);
        awaitWaiting("the receiver parked", receiver.thread());
        queue.add("z");
        assertEquals("z", receiver.get());
        assertFalse(queue.spinsNext());
    }

    /** A queue that learned its waits are short: a parked receiver got its item at once. */
    private static ReceiveQueue spinning(long budget) throws InterruptedException {
        ReceiveQueue queue = new ReceiveQueue(budget);
        Receiver receiver = Receiver.start(queue);
        awaitWaiting("the receiver parked", receiver.thread());
        queue.add("first");
        receiver.thread().join();
        assertTrue(queue.spinsNext(), "set-up: the short first wait turned spinning on");
        return queue;
    }
}
