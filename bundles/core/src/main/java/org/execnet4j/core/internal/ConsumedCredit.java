package org.execnet4j.core.internal;

/**
 * The receiving half of one channel's flow control (CONTRACTS.md): counts the item bytes the
 * application has taken and says when to credit them to the sender: once a quarter of the
 * window has been consumed, or when the receive queue has just become empty.
 */
final class ConsumedCredit {
    private final int window;
    private long consumed;

    /** @param window the window in bytes; 0 switches flow control off (no credit is ever due) */
    ConsumedCredit(int window) {
        this.window = window;
    }

    /**
     * The application took an item of {@code length} bytes.
     *
     * @param queueEmpty whether the receive queue is empty now
     * @return the bytes to credit now, or 0 when no credit is due yet
     */
    synchronized long taken(int length, boolean queueEmpty) {
        if (window == 0) {
            return 0;
        }
        consumed += length;
        if (consumed >= window / 4 || queueEmpty) {
            long due = consumed;
            consumed = 0;
            return due;
        }
        return 0;
    }
}
