package org.execnet4j.api.spi;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A two-way byte stream to a peer, such as a Unix domain socket reached through a transport
 * ({@link UnixSocketReach}). Reading and writing may happen on two threads at once.
 */
public interface ByteStream extends Closeable {

    /** @return the bytes from the peer */
    InputStream input();

    /** @return the bytes to the peer; closing it sends end of file and keeps {@link #input()} open */
    OutputStream output();

    /**
     * @return whether the stream is still open: not closed by this side, and not ended by the
     *     peer where the transport learns of that
     */
    boolean isOpen();

    /** Closes both directions; what the peer still sends is dropped. */
    @Override
    void close();
}
