package org.execnet4j.transport.popen.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import org.execnet4j.api.spi.ByteStream;

/** A {@link ByteStream} to a Unix domain socket on this machine (how the popen transport reaches one). */
final class LocalUnixSocket implements ByteStream {
    private final SocketChannel channel;
    private final InputStream input;
    private final OutputStream output;

    private LocalUnixSocket(SocketChannel channel, InputStream input) {
        this.channel = channel;
        this.input = input;
        this.output = ChannelStreams.output(channel);
    }

    /**
     * Connects to a Unix domain socket.
     *
     * @param path the socket
     * @param polled whether its input is read only after {@code available()} says there is
     *     something: then {@code available()} tells without blocking and reads poll
     * @return the stream
     * @throws IOException when it cannot be connected (no such socket, no permission)
     */
    static LocalUnixSocket open(Path path, boolean polled) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path));
        try {
            return new LocalUnixSocket(channel, polled ? ChannelStreams.polledInput(channel) : ChannelStreams.input(channel));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is all we can do
        }
    }
}
