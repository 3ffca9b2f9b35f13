package org.execnet4j.transport.ssh.internal;

import java.io.InputStream;
import java.io.OutputStream;

import org.execnet4j.api.spi.ByteStream;

/**
 * A {@link ByteStream} over a {@link StreamLocalChannel}; it holds its shared connection open
 * until it is closed, by either side or with the connection.
 */
final class StreamLocalStream implements ByteStream {
    private final StreamLocalChannel channel;

    StreamLocalStream(StreamLocalChannel channel) {
        this.channel = channel;
    }

    @Override
    public InputStream input() {
        return channel.getInvertedOut();
    }

    @Override
    public OutputStream output() {
        return channel.getInvertedIn();
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
}
