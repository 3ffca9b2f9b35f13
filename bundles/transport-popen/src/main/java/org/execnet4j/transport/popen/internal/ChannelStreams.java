package org.execnet4j.transport.popen.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import org.execnet4j.api.spi.AwaitableInput;

/**
 * Blocking streams over a socket channel that, unlike {@code Channels.newInputStream}, let one
 * thread read while another writes.
 */
final class ChannelStreams {
    private ChannelStreams() {
    }

    /** One byte of {@code in} through its array read, or -1 at its end. */
    private static int readOne(InputStream in) throws IOException {
        byte[] one = new byte[1];
        return in.read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    /** Reads from {@code channel}; closing it shuts the channel's input down. */
    static InputStream input(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return readOne(this);
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
     * a stream a leftover process may hold open; such a reader waits for input with
     * {@link AwaitableInput#await}. Closing it closes the channel.
     */
    static InputStream polledInput(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        return new PolledInput(channel);
    }

    /** See {@link #polledInput}. */
    private static final class PolledInput extends InputStream implements AwaitableInput {
        private final SocketChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(8192).flip();
        private boolean ended;
        /** Waits for input, made on the first wait; guarded by this stream. */
        private volatile Selector selector;
        private volatile boolean woken;

        PolledInput(SocketChannel channel) {
            this.channel = channel;
        }

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
            return readOne(this);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                synchronized (this) {
                    if (available() > 0) {
                        int n = Math.min(len, buffer.remaining());
                        buffer.get(b, off, n);
                        return n;
                    }
                    if (ended) {
                        return -1;
                    }
                }
                await(Duration.ofSeconds(1));
            }
        }

        @Override
        public boolean await(Duration timeout) throws IOException {
            try {
                Selector waiting;
                synchronized (this) {
                    if (available() > 0) {
                        return true;
                    }
                    if (ended || !channel.isOpen()) {
                        return false;
                    }
                    waiting = selector;
                    if (waiting == null) {
                        waiting = Selector.open();
                        channel.register(waiting, SelectionKey.OP_READ);
                        selector = waiting;
                    }
                }
                if (!woken) {
                    waiting.select(Math.max(1, timeout.toMillis()));
                    waiting.selectedKeys().clear();
                }
                woken = false;
                synchronized (this) {
                    return channel.isOpen() && (available() > 0 || !ended);
                }
            } catch (ClosedSelectorException e) {
                return false;   // the stream was closed meanwhile
            }
        }

        @Override
        public void wake() {
            woken = true;
            Selector waiting = selector;
            if (waiting != null) {
                waiting.wakeup();
            }
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                Selector waiting = selector;
                if (waiting != null) {
                    waiting.close();
                }
            }
        }
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
