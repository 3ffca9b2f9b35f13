package org.execnet4j.core.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads frames ({@code !bii} header, then the payload) from the remote's byte stream, refusing
 * unknown types, negative lengths and payloads above the configured bound before allocating;
 * an item (CHANNEL_DATA) above the bound is read past and handed on without its payload. A
 * payload's buffer grows as its bytes arrive (doubling from {@value #FIRST_PIECE} bytes), so a
 * header alone never pins the memory its length declares. Reads the stream in chunks of up to
 * {@value #CHUNK} bytes, so a burst of small frames costs one read, not two per frame.
 */
final class FrameReader {
    /** The first allocation for a payload; larger payloads grow their buffer as bytes arrive. */
    static final int FIRST_PIECE = 64 * 1024;

    /** The size of the read buffer; larger reads go straight into the payload. */
    static final int CHUNK = 16 * 1024;

    private final InputStream in;
    private final int maxPayload;
    private final byte[] header = new byte[9];
    private final byte[] chunk = new byte[CHUNK];
    /** The unread bytes of {@link #chunk} are {@code [next, end)}. */
    private int next;
    private int end;
    /** Frame bytes and frames read; written only by the reading thread, read by any. */
    private volatile long bytesRead;
    private volatile long framesRead;

    FrameReader(InputStream in, int maxPayload) {
        this.in = in;
        this.maxPayload = maxPayload;
    }

    /** The next frame, or {@code null} at a clean end of stream (between frames). */
    Frame read() throws IOException {
        int got = readFully(header, 0, 9);
        if (got == 0) {
            return null;
        }
        if (got < 9) {
            throw new EOFException("stream ended inside a frame header (" + got + " of 9 bytes)");
        }
        int code = header[0];
        int channel = int4(header, 1);
        int length = int4(header, 5);
        MessageType type = MessageType.of(code);
        if (type == null) {
            throw new ProtocolException("unknown message type " + code + " (channel " + channel + ")");
        }
        Frame frame;
        if (length > maxPayload && type == MessageType.CHANNEL_DATA) {
            skip(type, length);
            frame = Frame.skipped(type, channel, length);
        } else if (length < 0 || length > maxPayload) {
            throw new ProtocolException("bad payload length " + length + " for " + type + " (limit " + maxPayload + ")");
        } else {
            frame = new Frame(type, channel, readPayload(type, length));
        }
        bytesRead += 9L + length;
        framesRead++;
        return frame;
    }

    /** Frame bytes read so far, headers included. */
    long bytesRead() {
        return bytesRead;
    }

    /** Frames read so far. */
    long framesRead() {
        return framesRead;
    }

    private byte[] readPayload(MessageType type, int length) throws IOException {
        byte[] payload = new byte[Math.min(length, FIRST_PIECE)];
        int filled = 0;
        while (true) {
            filled += readFully(payload, filled, payload.length - filled);
            if (filled == length) {
                return payload;
            }
            if (filled < payload.length) {
                throw new EOFException("stream ended inside a " + type + " payload (" + filled + " of " + length + " bytes)");
            }
            payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
        }
    }

    /** Reads past an item over the limit, so only its channel fails, not the stream. */
    private void skip(MessageType type, int length) throws IOException {
        int left = length;
        while (left > 0) {
            if (next == end && !fill()) {
                throw new EOFException("stream ended inside a skipped " + type + " payload ("
                        + (length - left) + " of " + length + " bytes)");
            }
            int n = Math.min(left, end - next);
            next += n;
            left -= n;
        }
    }

    /** Reads one byte of the handshake; -1 at end of stream. */
    int readHandshakeByte() throws IOException {
        if (next == end && !fill()) {
            return -1;
        }
        return chunk[next++] & 0xFF;
    }

    /** Reads what the stream has (at least one byte) into the empty chunk; false at its end. */
    private boolean fill() throws IOException {
        int n = in.read(chunk, 0, CHUNK);
        if (n < 0) {
            return false;
        }
        next = 0;
        end = n;
        return true;
    }

    /** Reads up to {@code len} bytes, fewer only at the end of the stream; returns how many. */
    private int readFully(byte[] b, int off, int len) throws IOException {
        int total = Math.min(len, end - next);
        System.arraycopy(chunk, next, b, off, total);
        next += total;
        while (total < len) {
            int left = len - total;
            if (left >= CHUNK) {
                int n = in.read(b, off + total, left);
                if (n < 0) {
                    break;
                }
                total += n;
            } else {
                if (!fill()) {
                    break;
                }
                int n = Math.min(left, end);
                System.arraycopy(chunk, 0, b, off + total, n);
                next = n;
                total += n;
            }
        }
        return total;
    }

    static int int4(byte[] b, int at) {
        return (b[at] << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
