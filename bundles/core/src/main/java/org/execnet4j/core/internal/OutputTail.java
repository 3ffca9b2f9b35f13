package org.execnet4j.core.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/** The last lines of a remote's output, at most a number of lines and of characters, for error messages. Thread-safe. */
final class OutputTail {
    private static final int MAX_LINES = 20;

    private final int maxChars;
    private final Deque<String> lines = new ArrayDeque<>();
    private int chars;

    OutputTail(int maxChars) {
        this.maxChars = maxChars;
    }

    synchronized void add(String line) {
        String kept = line.length() > maxChars ? line.substring(0, maxChars) : line;
        lines.addLast(kept);
        chars += kept.length();
        while (lines.size() > MAX_LINES || chars > maxChars) {
            chars -= lines.removeFirst().length();
        }
    }

    /** The lines kept, joined by newlines, or empty. */
    synchronized String text() {
        return String.join("\n", lines);
    }
}
