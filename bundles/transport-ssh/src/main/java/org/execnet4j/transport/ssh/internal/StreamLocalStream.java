package org.execnet4j.transport.ssh.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;

import org.apache.sshd.client.future.OpenFuture;
import org.execnet4j.api.spi.ByteStream;

/**
 * A {@link ByteStream} over a {@link StreamLocalChannel}; it holds its shared connection open
 * until it is closed, by either side or with the connection. It may be handed out before the
 * server confirmed the channel (so that several streams are opened in one roundtrip): its first
 * read or write then waits for the confirmation (at most the timeout) and fails when the server
 * refused the channel; {@code available()} says 0 until then.
 */
final class StreamLocalStream implements ByteStream {
    private final StreamLocalChannel channel;
    private final OpenFuture opened;
    private final Duration timeout;
    private final InputStream input = new PendingInput();
    private final OutputStream output = new PendingOutput();
    private volatile boolean confirmed;

    StreamLocalStream(StreamLocalChannel channel, OpenFuture opened, Duration timeout) {
        this.channel = channel;
        this.opened = opened;
        this.timeout = timeout;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    /** Open until the peer's end of file, or until the channel closes. */
    @Override
    public boolean isOpen() {
        return channel.isOpen() && !channel.isClosing() && !channel.isEofSignalled();
    }

    @Override
    public void close() {
        channel.close(true);
    }

    /** Waits until the server confirmed the channel. */
    private void awaitConfirmed() throws IOException {
        if (confirmed) {
            return;
        }
        try {
            if (!opened.await(timeout)) {
                close();
                throw new IOException("the ssh server did not open the stream to " + channel.path() + " within " + timeout);
            }
        } catch (InterruptedIOException e) {
            close();
            throw e;
        }
        if (!opened.isOpened()) {
            throw new IOException("the ssh server did not open a stream to " + channel.path() + ": "
                    + Failures.reason(opened.getException()), opened.getException());
        }
        confirmed = true;
    }

    /** Whether the server has confirmed the channel (closing one direction then leaves the other open). */
    private boolean openedByServer() {
        return confirmed || opened.isOpened();
    }

    /** The channel's input, once confirmed. */
    private final class PendingInput extends InputStream {
        @Override
        public int read() throws IOException {
            awaitConfirmed();
            return channel.getInvertedOut().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            awaitConfirmed();
            return channel.getInvertedOut().read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            if (!confirmed && !opened.isDone()) {
                return 0;
            }
            awaitConfirmed();
            return channel.getInvertedOut().available();
        }

        @Override
        public void close() throws IOException {
            closeDirection(() -> channel.getInvertedOut().close());
        }
    }

    /**
     * Closes one direction of a channel the server opened (the other stays usable); a channel it
     * has not opened (yet) is closed as a whole.
     */
    private void closeDirection(Closeable direction) throws IOException {
        if (openedByServer()) {
            direction.close();
        } else {
            close();
        }
    }

    /** The channel's output, once confirmed. */
    private final class PendingOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            awaitConfirmed();
            channel.getInvertedIn().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            awaitConfirmed();
            channel.getInvertedIn().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            awaitConfirmed();
            channel.getInvertedIn().flush();
        }

        @Override
        public void close() throws IOException {
            closeDirection(() -> channel.getInvertedIn().close());
        }
    }
}
