package org.execnet4j.transport.popen.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Blocking streams over a socket channel that, unlike {@code Channels.newInputStream}, let one
 * thread read while another writes.
 */
final class ChannelStreams {
    private ChannelStreams() {
    }

    /** Reads from {@code channel}; closing it shuts the channel's input down. */
    static InputStream input(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
            }

            @Override
            public void close() throws IOException {
                if (channel.isOpen()) {
                    channel.shutdownInput();
                }
            }
        };
    }

    /**
     * Reads from {@code channel}, which it switches to non-blocking mode, and tells what is
     * {@code available()} without blocking (as a pipe does), for a reader that must not block on
     * a stream a leftover process may hold open; closing it closes the channel.
     */
    static InputStream polledInput(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        return new InputStream() {
            private final ByteBuffer buffer = ByteBuffer.allocate(8192).flip();
            private boolean ended;

            @Override
            public synchronized int available() throws IOException {
                if (!buffer.hasRemaining() && !ended) {
                    buffer.clear();
                    ended = channel.read(buffer) < 0;
                    buffer.flip();
                }
                return buffer.remaining();
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public synchronized int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (available() == 0) {
                    if (ended) {
                        return -1;
                    }
                    try {
                        wait(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while reading");
                    }
                }
                int n = Math.min(len, buffer.remaining());
                buffer.get(b, off, n);
                return n;
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** Writes to {@code channel}; closing it shuts the channel's output down. */
    static OutputStream output(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }

            @Override
            public void close() throws IOException {
                if (channel.isOpen()) {
                    channel.shutdownOutput();
                }
            }
        };
    }
}
