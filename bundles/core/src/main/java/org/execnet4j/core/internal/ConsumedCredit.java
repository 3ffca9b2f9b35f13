package org.execnet4j.core.internal;

/**
 * The receiving half of one channel's flow control (docs/protocol-extensions.md): counts the
 * item bytes the application has taken and says when to credit them to the sender: once they
 * reach a quarter of the window. Fewer bytes stay uncredited, and the sender never waits while
 * fewer than a quarter window is outstanding ({@link SendWindow}), so this never stalls it; a
 * roundtrip of small items costs no credit frame.
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
     * @param length the item's payload bytes
     * @return the bytes to credit now, or 0 when no credit is due yet
     */
    synchronized long taken(int length) {
        if (window == 0) {
            return 0;
        }
        consumed += length;
        if (consumed >= window / 4) {
            long due = consumed;
            consumed = 0;
            return due;
        }
        return 0;
    }
}
