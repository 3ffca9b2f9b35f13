package org.execnet4j.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a remote's output bytes into UTF-8 lines ({@code \n}, {@code \r\n} or {@code \r} ends a
 * line) of at most {@code maxBytes} bytes: a longer line, or output that never ends a line, is
 * passed on in pieces cut at character boundaries, so memory stays bounded whatever the remote
 * writes. Not thread-safe: one pump feeds it.
 */
final class OutputLines {
    private static final int FIRST_SIZE = 256;

    private final int maxBytes;
    private final Consumer<String> sink;
    private byte[] line = new byte[FIRST_SIZE];
    private int length;
    private boolean afterCr;
    /** Whether a full piece was just passed on with nothing left over, so a line end right after it ends nothing more. */
    private boolean pieceEnded;

    OutputLines(int maxBytes, Consumer<String> sink) {
        this.maxBytes = maxBytes;
        this.sink = sink;
    }

    /** Takes {@code count} more bytes of output, passing on every line they complete. */
    void feed(byte[] bytes, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            byte b = bytes[i];
            if (afterCr) {
                afterCr = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n' || b == '\r') {
                afterCr = b == '\r';
                if (length > 0 || !pieceEnded) {
                    emit(length);
                }
                pieceEnded = false;
            } else {
                append(b);
                pieceEnded = false;
                if (length == maxBytes) {
                    emit(characterBoundary());
                    pieceEnded = length == 0;
                }
            }
        }
    }

    /** Passes on what is left of an unfinished last line. */
    void finish() {
        if (length > 0) {
            emit(length);
        }
    }

    private void append(byte b) {
        if (length == line.length) {
            line = Arrays.copyOf(line, Math.min(maxBytes, 2 * line.length));
        }
        line[length++] = b;
    }

    /** Where a full buffer can be cut without splitting a UTF-8 sequence (all of it if none is open). */
    private int characterBoundary() {
        int start = length - 1;
        while (start > length - 4 && start > 0 && (line[start] & 0xC0) == 0x80) {
            start--;
        }
        int lead = line[start] & 0xFF;
        int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return start > 0 && length - start < needed ? start : length;
    }

    /** Passes on the first {@code cut} bytes and keeps the rest as the start of the next line. */
    private void emit(int cut) {
        String text = new String(line, 0, cut, StandardCharsets.UTF_8);
        System.arraycopy(line, cut, line, 0, length - cut);
        length -= cut;
        if (line.length > FIRST_SIZE && length < FIRST_SIZE) {
            line = Arrays.copyOf(line, FIRST_SIZE);
        }
        sink.accept(text);
    }
}
