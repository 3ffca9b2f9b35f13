package org.execnet4j.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes frames to the remote, one at a time: header and payload go out as one buffer under a
 * lock, so concurrent senders never interleave (execnet has no such lock and corrupts socket
 * streams). Payloads are encoded by the caller with 9 bytes of room in front.
 */
final class FrameWriter {
    static final int HEADER = 9;
    private static final byte[] EMPTY = new byte[HEADER];

    private final OutputStream out;
    /** Frame bytes and frames written; changed only under this writer's lock, read without it. */
    private volatile long bytesWritten;
    private volatile long framesWritten;
    /** Threads writing or waiting to write. */
    private final AtomicInteger writers = new AtomicInteger();

    FrameWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes a frame whose payload fills {@code buffer} after its first 9 bytes. */
    void write(MessageType type, int channelId, byte[] buffer) throws IOException {
        buffer[0] = type.code();
        putInt(buffer, 1, channelId);
        putInt(buffer, 5, buffer.length - HEADER);
        writers.incrementAndGet();
        try {
            synchronized (this) {
                out.write(buffer);
                out.flush();
                bytesWritten += buffer.length;
                framesWritten++;
            }
        } finally {
            writers.decrementAndGet();
        }
    }

    /** Whether a thread is writing or waiting to write now (so a write might wait for a remote that does not read). */
    boolean busy() {
        return writers.get() > 0;
    }

    /** Frame bytes written so far, headers included. */
    long bytesWritten() {
        return bytesWritten;
    }

    /** Frames written so far. */
    long framesWritten() {
        return framesWritten;
    }

    /** Writes a frame without payload. */
    void writeEmpty(MessageType type, int channelId) throws IOException {
        write(type, channelId, EMPTY.clone());
    }

    /** Writes raw bytes (the bootstrap line, before framing starts). */
    synchronized void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
